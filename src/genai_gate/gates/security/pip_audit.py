"""pip-audit: known vulnerabilities of the caller's locked (pinned) requirements, from OSV.

Runs `pip-audit -r FILE --disable-pip --no-deps -s osv`: the pins are audited as written,
nothing is resolved or installed. `--osv-url` (or `$PIP_AUDIT_OSV_URL`) points it at another
OSV query endpoint. pip-audit reports no severity: it is read from the same OSV service's
records (`osv_severity`); a vulnerability whose records state none counts as critical, so it
fails at any `--fail-on-severity` (fail closed rather than guess).
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from genai_gate.errors import ConfigError, InfraError, located
from genai_gate.gates.security.osv_severity import OsvRecords, RatedSeverity
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

NETWORK_TIMEOUT_S = 15
"""pip-audit's per-request timeout towards OSV."""
UNKNOWN_SEVERITY = Level.CRITICAL
"""Severity given to a vulnerability whose OSV records state none."""
_ERROR_LINE = re.compile(r"^ERROR:pip_audit[^:]*:(?P<message>.*)$", re.MULTILINE)


def canonical_name(name: str) -> str:
    """PEP 503 normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pin_lines(path: Path) -> dict[str, int]:
    """Line number of each `name==version` pin in a requirements file, by canonical name."""
    lines: dict[str, int] = {}
    pin = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*==")
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = pin.match(text)
        if match:
            lines.setdefault(canonical_name(match.group(1)), number)
    return lines


class PipAudit(Scanner):
    """One pip-audit run per requirements file."""

    name = "pip-audit"
    executable = "pip-audit"

    def scan(self, request: ScanRequest) -> ToolReport:
        """Audit every requirements file of `request`."""
        report = ToolReport(self.name, "unknown")
        records = OsvRecords(request.osv_url)
        for requirements in request.requirements:
            self._audit(requirements, request.osv_url, report, records)
        return report

    def _audit(
        self, requirements: Path, osv_url: str | None, report: ToolReport, records: OsvRecords
    ) -> None:
        with tempfile.TemporaryDirectory(prefix="genai-gate-pip-audit-") as tmp:
            output = Path(tmp) / "report.json"
            args = ["-r", str(requirements), "--disable-pip", "--no-deps"]
            args += ["--vulnerability-service", "osv", "--format", "json", "--output", str(output)]
            args += ["--progress-spinner", "off", "--timeout", str(NETWORK_TIMEOUT_S)]
            if osv_url:
                args += ["--osv-url", osv_url]
            done = run_tool(self.executable, args)
            if not output.is_file():
                raise self._failure(requirements, done, osv_url)
            try:
                data = json.loads(output.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                raise crashed(self.name, done, "wrote an unreadable JSON report") from None
        if report.version == "unknown":
            report.version = tool_version(self.executable)
        lines = pin_lines(requirements)
        shown = display_path(requirements)
        for dependency in data.get("dependencies", []):
            name, version = str(dependency.get("name")), str(dependency.get("version", "?"))
            if dependency.get("skip_reason"):
                report.problems.append(f"{shown}: {name} not audited: {dependency['skip_reason']}")
                continue
            report.scanned += 1
            location = Location(path=shown, line=lines.get(canonical_name(name)))
            for vuln in dependency.get("vulns", []):
                aliases = sorted(str(a) for a in vuln.get("aliases", []))
                # the advisory's own id, then GitHub's (which carry a rating), then the rest
                ids = [
                    str(vuln.get("id")),
                    *sorted(aliases, key=lambda a: not a.startswith("GHSA")),
                ]
                rated = records.severity(ids)
                report.findings.append(self._finding(name, version, vuln, location, rated))

    def _finding(
        self,
        name: str,
        version: str,
        vuln: dict[str, Any],
        where: Location,
        rated: RatedSeverity | None,
    ) -> Finding:
        fixes = [str(v) for v in vuln.get("fix_versions", [])]
        aliases = sorted(str(a) for a in vuln.get("aliases", []))  # pip-audit's order varies
        vuln_id = str(vuln.get("id"))
        fixed = f" Fixed in {', '.join(fixes)}." if fixes else " No fixed version known."
        also = f" ({', '.join(aliases)})" if aliases else ""
        description = " ".join(str(vuln.get("description") or "").split())[:400].rstrip(".")
        return security_finding(
            self.name,
            vuln_id,
            rated.level if rated else UNKNOWN_SEVERITY,
            f"{name} {version} has known vulnerability {vuln_id}{also}: {description}.{fixed}",
            where.model_copy(),
            rule_name=f"{name} {version}: {vuln_id}",
            help_uri=f"https://osv.dev/vulnerability/{vuln_id}",
            package=name,
            version=version,
            fix_versions=fixes,
            aliases=aliases,
            severity_source=rated.source if rated else "no severity in OSV: counted as critical",
        )

    def _failure(self, requirements: Path, done: Any, osv_url: str | None) -> Exception:
        messages = [m.group("message").strip() for m in _ERROR_LINE.finditer(done.stderr or "")]
        for message in messages:
            if "not pinned" in message or "invalid requirements" in message:
                detail = re.sub(r"\s*\(from RequirementLine\(.*$", "", message)
                return ConfigError(located(requirements, None, "", f"pip-audit: {detail}"))
        stderr = done.stderr or ""
        if "ConnectionError" in stderr or "Could not connect" in stderr or "Timeout" in stderr:
            target = osv_url or "the OSV API"
            return InfraError(f"pip-audit could not reach {target} while auditing {requirements}")
        if messages:
            return crashed(self.name, done, f"failed on {requirements}: {messages[-1]}")
        return crashed(self.name, done, f"failed on {requirements}")
