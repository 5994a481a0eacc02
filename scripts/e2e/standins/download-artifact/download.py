"""Stand-in of actions/download-artifact: copy stored artifacts into the destination."""

import fnmatch
import os
import shutil
from pathlib import Path

store = Path(os.environ["E2E_ARTIFACTS"])
names = sorted(p.name for p in store.iterdir() if p.is_dir()) if store.exists() else []
if os.environ["NAME"]:
    names = [n for n in names if n == os.environ["NAME"]]
elif os.environ["PATTERN"]:
    names = [n for n in names if fnmatch.fnmatch(n, os.environ["PATTERN"])]
dest = Path(os.environ["DEST"])
single = bool(os.environ["NAME"]) or os.environ["MERGE"] == "true"
for n in names:
    shutil.copytree(store / n, dest if single else dest / n, dirs_exist_ok=True)
print(f"downloaded {names} to {dest}")
