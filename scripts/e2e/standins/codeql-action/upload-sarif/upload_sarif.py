"""Stand-in of github/codeql-action/upload-sarif: validate SARIF 2.1.0, store it per category."""

import json
import os
import sys
from pathlib import Path

doc = json.loads(Path(os.environ["SARIF"]).read_text(encoding="utf-8"))
if doc.get("version") != "2.1.0" or not isinstance(doc.get("runs"), list):
    sys.exit("not a SARIF 2.1.0 log")
category = os.environ["CATEGORY"] or "default"
dest = Path(os.environ["E2E_ARTIFACTS"]) / "sarif" / f"{category}.sarif"
if dest.exists():
    sys.exit(f"a SARIF file with category {category!r} was already uploaded in this run")
dest.parent.mkdir(parents=True, exist_ok=True)
dest.write_text(json.dumps(doc), encoding="utf-8")
results = sum(len(run.get("results", [])) for run in doc["runs"])
print(f"stored {category}: {results} results")
