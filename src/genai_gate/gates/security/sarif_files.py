"""One SARIF file per security tool, each with its own code-scanning category.

upload-sarif takes the category from `runAutomationDetails.id` when a run has one (the part
before the last `/`), so every file carries `automationDetails.id` = `genai-gate/<tool>/`: the
three tools never overwrite each other's alerts, nor those of the gates' own SARIF.

A tool that could not run gets no file: an upload with no results would close every open alert
of its category as fixed, while the scan said nothing about them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from genai_gate.errors import GateError
from genai_gate.gates.security.scanner import ToolReport
from genai_gate.gates.security.severity import Level
from genai_gate.integrations.files import write_atomic
from genai_gate.report import sarif
from genai_gate.results import GateResult, Status

HOMEPAGES = {
    "bandit": "https://bandit.readthedocs.io/",
    "semgrep": "https://semgrep.dev/",
    "pip-audit": "https://pypi.org/project/pip-audit/",
}
"""`tool.driver.informationUri` of each tool."""


def tool_run(tool: str, report: ToolReport) -> dict[str, Any]:
    """The SARIF run of one tool's findings; parts not scanned become warnings of the run."""
    result = GateResult(gate=tool, status=Status.PASS, findings=report.findings)
    run = sarif.run(result)
    driver = run["tool"]["driver"]
    driver["name"] = tool
    driver["version"] = report.version
    driver["informationUri"] = HOMEPAGES[tool]
    worst: dict[str, Level] = {}
    for finding in result.findings:
        level = Level(finding.properties["severity"])
        if finding.rule_id not in worst or level.rank > worst[finding.rule_id].rank:
            worst[finding.rule_id] = level
    for rule in driver["rules"]:
        props = rule.setdefault("properties", {})
        props["security-severity"] = worst[rule["id"]].security_severity
    run["automationDetails"] = {"id": f"{sarif.category(tool)}/"}
    if report.problems:
        run["invocations"][0]["toolExecutionNotifications"] = [
            {"level": "warning", "message": {"text": problem}} for problem in report.problems
        ]
    return run


def write_sarif_files(folder: Path, outcomes: Mapping[str, ToolReport | GateError]) -> list[Path]:
    """Write `folder/<tool>.sarif` for every tool that ran; the paths written."""
    written = []
    for tool, outcome in outcomes.items():
        if isinstance(outcome, GateError):
            continue
        log = {"$schema": sarif.SCHEMA_URI, "version": "2.1.0", "runs": [tool_run(tool, outcome)]}
        path = folder / f"{tool}.sarif"
        write_atomic(path, json.dumps(log, indent=2, ensure_ascii=False) + "\n")
        written.append(path)
    return written
