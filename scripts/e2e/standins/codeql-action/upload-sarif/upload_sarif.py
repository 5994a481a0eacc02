"""Stand-in of github/codeql-action/upload-sarif: validate SARIF 2.1.0, store it per category."""

import json
import os
import sys
from pathlib import Path

doc = json.loads(Path(os.environ["SARIF"]).read_text(encoding="utf-8"))
if doc.get("version") != "2.1.0" or not isinstance(doc.get("runs"), list):
    sys.exit("not a SARIF 2.1.0 log")
category = os.environ["CATEGORY"] or "default"
# upload-sarif takes the category of a run from runAutomationDetails.id when it has one (the
# part before the last "/"); an input that says otherwise would mislead, so it is refused here
ids = {run.get("automationDetails", {}).get("id") for run in doc["runs"]} - {None}
for run_id in ids:
    own = run_id.rsplit("/", 1)[0] if "/" in run_id else run_id
    if own != category:
        sys.exit(f"category input {category!r} differs from runAutomationDetails.id {run_id!r}")
dest = Path(os.environ["E2E_ARTIFACTS"]) / "sarif" / (category.replace("/", "-") + ".sarif")
if dest.exists():
    sys.exit(f"a SARIF file with category {category!r} was already uploaded in this run")
dest.parent.mkdir(parents=True, exist_ok=True)
dest.write_text(json.dumps(doc), encoding="utf-8")
results = sum(len(run.get("results", [])) for run in doc["runs"])
print(f"stored {category}: {results} results")
