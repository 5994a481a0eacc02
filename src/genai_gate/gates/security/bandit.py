"""bandit: Python SAST (PyPI `bandit`), its JSON report mapped onto findings."""

from __future__ import annotations

import json
import re
from typing import Any

from genai_gate.gates.security.scanner import (
    Scanner,
    ScanRequest,
    ToolReport,
    crashed,
    display_path,
    run_tool,
    security_finding,
    tool_version,
)
from genai_gate.gates.security.severity import Level
from genai_gate.results import Finding, Location

EXCLUDED_FOLDERS = (
    *(".git", "__pycache__", ".tox", ".nox", ".eggs", ".venv", "venv"),
    *("node_modules", "site-packages", ".genai-gate"),
)
EXCLUDED = ",".join(f"/{folder}/" for folder in EXCLUDED_FOLDERS)
"""Folders never scanned (bandit's defaults, virtual environments, our results); bandit excludes
a file whose path contains one of these strings."""
SECRET_TESTS = {"B105", "B106", "B107"}
"""Hard-coded password tests, whose message quotes the value: it is masked."""
LEVELS = {"LOW": Level.LOW, "MEDIUM": Level.MEDIUM, "HIGH": Level.HIGH}


class Bandit(Scanner):
    """`bandit -r PATH -f json`: every test bandit ships, severity as bandit rates it."""

    name = "bandit"
    executable = "bandit"

    def scan(self, request: ScanRequest) -> ToolReport:
        """Run bandit recursively over `request.path`."""
        args = ["-r", str(request.path), "-f", "json", "-q", "-x", EXCLUDED]
        done = run_tool(self.executable, args)
        if done.returncode not in (0, 1):
            raise crashed(self.name, done, "failed")
        try:
            data = json.loads(done.stdout)
        except json.JSONDecodeError:
            raise crashed(self.name, done, "printed no JSON report") from None
        report = ToolReport(self.name, tool_version(self.executable))
        for item in data.get("results", []):
            report.findings.append(self._finding(item))
        report.problems = [
            f"{display_path(e.get('filename', '?'))}: {e.get('reason', 'not scanned')}"
            for e in data.get("errors", [])
        ]
        metrics = data.get("metrics", {})
        report.scanned = sum(1 for key in metrics if key != "_totals")
        return report

    def _finding(self, item: dict[str, Any]) -> Finding:
        line = item.get("line_number")
        column = item.get("col_offset")
        cwe = item.get("issue_cwe")
        message = str(item.get("issue_text", ""))
        if item.get("test_id") in SECRET_TESTS:
            message = re.sub(r"'([^']{0,2})[^']*'", r"'\1…(masked)'", message)
        return security_finding(
            self.name,
            str(item.get("test_id", "bandit")),
            LEVELS.get(str(item.get("issue_severity", "")).upper(), Level.HIGH),
            message,
            Location(
                path=display_path(str(item.get("filename", ""))),
                line=line if isinstance(line, int) and line > 0 else None,
                column=column + 1 if isinstance(column, int) else None,
            ),
            rule_name=str(item.get("test_name") or item.get("test_id")),
            help_uri=str(item["more_info"]) if item.get("more_info") else None,
            confidence=str(item.get("issue_confidence", "")).lower(),
            cwe=f"CWE-{cwe['id']}" if isinstance(cwe, dict) and cwe.get("id") else None,
        )
