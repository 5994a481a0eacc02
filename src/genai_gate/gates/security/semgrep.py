"""semgrep with the rule file shipped in this package, offline (`--metrics off`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from genai_gate.gates.security.scanner import (
    Scanner,
    ScanRequest,
    ToolReport,
    crashed,
    display_path,
    run_tool,
    security_finding,
)
from genai_gate.gates.security.severity import Level
from genai_gate.results import Finding, Location

RULES = Path(__file__).with_name("rules") / "python-llm-app.yaml"
"""The shipped rule set: registry configs (`p/...`) need the network, a file does not."""
LEVELS = {
    "INFO": Level.LOW,
    "LOW": Level.LOW,
    "WARNING": Level.MEDIUM,
    "MEDIUM": Level.MEDIUM,
    "ERROR": Level.HIGH,
    "HIGH": Level.HIGH,
    "CRITICAL": Level.CRITICAL,
}
"""semgrep's legacy (INFO/WARNING/ERROR) and current (LOW..CRITICAL) severities."""
OFFLINE = ["--metrics", "off", "--disable-version-check"]


class Semgrep(Scanner):
    """`semgrep scan --config RULES --json PATH`; obeys .gitignore and .semgrepignore (without
    one, semgrep's default ignore list skips test folders, vendored code and virtualenvs)."""

    name = "semgrep"
    executable = "semgrep"

    def __init__(self, rules: Path = RULES) -> None:
        self.rules = rules

    def scan(self, request: ScanRequest) -> ToolReport:
        """Run the rule file over `request.path`."""
        args = ["scan", "--config", str(self.rules.resolve()), *OFFLINE, "--json", "--quiet"]
        done = run_tool(self.executable, [*args, str(request.path)])
        try:
            data = json.loads(done.stdout)
        except json.JSONDecodeError:
            raise crashed(self.name, done, "printed no JSON report") from None
        if done.returncode != 0 and not data.get("results") and data.get("errors"):
            first = data["errors"][0]
            raise crashed(self.name, done, f"failed: {first.get('message', first)}")
        report = ToolReport(self.name, str(data.get("version", "unknown")))
        seen: set[tuple[str, str, int]] = set()
        for item in data.get("results", []):
            finding = self._finding(item)
            where = finding.location
            key = (finding.rule_id, where.path if where else "", (where.line or 0) if where else 0)
            if key not in seen:  # one finding per rule and line, however many patterns matched
                seen.add(key)
                report.findings.append(finding)
        report.problems = [self._problem(error) for error in data.get("errors", [])]
        report.scanned = len(data.get("paths", {}).get("scanned", []))
        return report

    def _finding(self, item: dict[str, Any]) -> Finding:
        extra = item.get("extra", {})
        metadata = extra.get("metadata", {})
        rule_id = str(item.get("check_id", "semgrep")).rsplit(".", 1)[-1]
        start, end = item.get("start", {}), item.get("end", {})
        return security_finding(
            self.name,
            rule_id,
            LEVELS.get(str(extra.get("severity", "")).upper(), Level.HIGH),
            " ".join(str(extra.get("message", "")).split()),
            Location(
                path=display_path(str(item.get("path", ""))),
                line=start.get("line"),
                column=start.get("col"),
                end_line=end.get("line") if end.get("line") != start.get("line") else None,
            ),
            rule_name=rule_id,
            cwe=metadata.get("cwe"),
            owasp_llm=metadata.get("owasp-llm"),
        )

    @staticmethod
    def _problem(error: dict[str, Any]) -> str:
        where = display_path(error["path"]) if error.get("path") else "semgrep"
        message = " ".join(str(error.get("message", error.get("type", "error"))).split())
        return f"{where}: {message[:300]}"
