"""Copies files into $E2E_ARTIFACTS/<name>/ (stand-in for actions/upload-artifact under act)."""

import os
import shutil
import sys
from pathlib import Path

dest = Path(os.environ["E2E_ARTIFACTS"]) / os.environ["NAME"]
if dest.exists():
    sys.exit(f"artifact {os.environ['NAME']} already uploaded in this run")
found = [Path(p.strip()) for p in os.environ["PATHS"].splitlines() if p.strip()]
found = [p for p in found if p.exists()]
if not found:
    print(f"no files found for {os.environ['NAME']}")
    sys.exit(1 if os.environ["MISSING"] == "error" else 0)
dest.mkdir(parents=True)
for p in found:
    if p.is_dir():  # as upload-artifact does: a folder's files sit at the artifact's root
        shutil.copytree(p, dest, dirs_exist_ok=True)
    else:
        shutil.copy2(p, dest / p.name)
print(f"uploaded {[str(p) for p in found]} as {os.environ['NAME']}")
