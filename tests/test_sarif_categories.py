"""No two SARIF uploads of one pipeline share a code-scanning category.

upload-sarif decides the category like this (github/codeql-action, `src/upload-lib.ts`,
`populateRunAutomationDetails`): a run that already has `automationDetails.id` keeps it, and
only a run without one gets `<category input>/`; so for our own SARIF the `id` wins over the
`category:` input, whatever the workflow says. An upload whose category was already used
replaces that category's alerts for the commit, so two files sharing one would hide each
other's findings. act does not model this (its upload-sarif is a stand-in), hence a static test.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from genai_gate.commands import COMMANDS
from genai_gate.gates.security.sarif_files import tool_run, write_sarif_files
from genai_gate.gates.security.scan import SCANNERS
from genai_gate.gates.security.scanner import ToolReport
from genai_gate.report import sarif
from genai_gate.results import Finding, GateResult, Location, Severity, Status

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
INTERNAL_ACTION = re.compile(r"(?:^\$|genai-gate/genai-gate)/actions/(?P<gate>[a-z-]+)(?:@|$)")
UPLOAD_SARIF = "github/codeql-action/upload-sarif@"


def effective_category(run: dict[str, Any], category_input: str | None) -> str:
    """The category upload-sarif files `run` under (the id wins; the input fills a gap)."""
    details = run.get("automationDetails") or {}
    automation_id = details.get("id")
    if automation_id is None:
        if category_input is None:
            raise AssertionError("a SARIF run without automationDetails.id needs a category")
        automation_id = category_input if category_input.endswith("/") else category_input + "/"
    return automation_id.rsplit("/", 1)[0]


def our_sarif_runs(tmp_path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every SARIF file genai-gate can write in one pipeline, by a name for the message."""
    finding = Finding(
        rule_id="X1",
        severity=Severity.ERROR,
        message="m",
        location=Location(path="a.py", line=1),
        properties={"severity": "high", "tool": "t"},
    )
    files: dict[str, list[dict[str, Any]]] = {}
    for name, spec in COMMANDS.items():
        if spec.gate:  # --output sarif=FILE of every gate
            result = GateResult(gate=name, status=Status.FAIL, findings=[finding])
            files[f"{name} --output sarif"] = json.loads(sarif.render(result))["runs"]
    outcomes = {tool: ToolReport(tool, "1.0.0", findings=[finding]) for tool in SCANNERS}
    for path in write_sarif_files(tmp_path, outcomes):  # security-scan --sarif-dir
        files[f"security-scan --sarif-dir {path.name}"] = json.loads(path.read_text())["runs"]
    return files


def test_every_sarif_file_we_write_has_its_own_category(tmp_path: Path) -> None:
    files = our_sarif_runs(tmp_path)
    categories = {
        name: effective_category(run, category_input="one-input-for-all")
        for name, runs in files.items()
        for run in runs
    }
    repeated = [c for c, n in Counter(categories.values()).items() if n > 1]
    assert repeated == [], categories
    assert categories["security-scan --sarif-dir bandit.sarif"] == "genai-gate/bandit"
    assert categories["security-scan --sarif-dir pip-audit.sarif"] == "genai-gate/pip-audit"
    assert categories["prompt-lint --output sarif"] == "genai-gate/prompt-lint"
    assert all(len(runs) == 1 for runs in files.values())


def upload_steps(path: Path) -> list[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    """(job, upload step, the job's steps) for every upload-sarif step of a workflow."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []
    for job_name, job in (data.get("jobs") or {}).items():
        steps = job.get("steps") or []
        for step in steps:
            if str(step.get("uses", "")).startswith(UPLOAD_SARIF):
                found.append((job_name, step, steps))
    return found


def tool_runs(tools: list[str]) -> list[dict[str, Any]]:
    """The runs `security-scan --sarif-dir` writes for `tools`."""
    return [tool_run(tool, ToolReport(tool, "1.0.0")) for tool in tools]


def produced_runs(steps: list[dict[str, Any]], sarif_file: str) -> list[dict[str, Any]] | None:
    """The SARIF runs a genai-gate action of the job writes to `sarif_file` (None: not ours).

    A gate action writes its `sarif-file`; the security-scan action writes `<sarif-dir>/<tool>
    .sarif`, and an upload of the folder itself takes all of them.
    """
    for step in steps:
        match = INTERNAL_ACTION.search(str(step.get("uses", "")))
        if not match:
            continue
        inputs = step.get("with") or {}
        if inputs.get("sarif-file") == sarif_file:
            result = GateResult(gate=match.group("gate"), status=Status.PASS)
            return list(json.loads(sarif.render(result))["runs"])
        folder = str(inputs.get("sarif-dir", "")).rstrip("/")
        if folder and sarif_file.rstrip("/") == folder:
            return tool_runs(list(SCANNERS))
        if folder and sarif_file.startswith(folder + "/"):
            return tool_runs([Path(sarif_file).stem])
    return None


def pipeline_uploads(tmp_path: Path) -> list[tuple[str, str, str | None]]:
    """(where, effective category, category input) of every SARIF run the workflows upload."""
    uploads = []
    for path in WORKFLOWS:
        for job, step, steps in upload_steps(path):
            given = (step.get("with") or {}).get("category")
            sarif_file = str((step.get("with") or {}).get("sarif_file", ""))
            runs = produced_runs(steps, sarif_file)
            # None: a third-party tool's SARIF (trivy, gitleaks), which has no automation id
            for run in runs if runs is not None else [{}]:
                category = effective_category(run, given)
                uploads.append((f"{path.name}:{job}:{sarif_file}", category, given))
    return uploads


def test_sarif_uploads_of_the_workflows_never_share_a_category(tmp_path: Path) -> None:
    uploads = pipeline_uploads(tmp_path)
    assert uploads, "no upload-sarif step found"
    counts = Counter(category for _, category, _ in uploads)
    assert [u for u in uploads if counts[u[1]] > 1] == []


def test_a_category_input_says_what_upload_sarif_will_use(tmp_path: Path) -> None:
    misleading = [
        (where, given, category)
        for where, category, given in pipeline_uploads(tmp_path)
        if given is not None and given.rstrip("/") != category
    ]
    assert misleading == []
