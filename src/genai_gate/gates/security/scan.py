"""The security scan itself: the tools in parallel, one result, SARIF per tool (`command.py`
is the CLI)."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from genai_gate.context import Context
from genai_gate.errors import ConfigError, GateError, UsageError, located
from genai_gate.gates.security.bandit import Bandit
from genai_gate.gates.security.options import Options
from genai_gate.gates.security.pip_audit import PipAudit
from genai_gate.gates.security.sarif_files import write_sarif_files
from genai_gate.gates.security.scanner import Scanner, ScanRequest, ToolReport
from genai_gate.gates.security.semgrep import Semgrep
from genai_gate.gates.security.severity import Level
from genai_gate.gates.security.summary import SecurityDetails, SecuritySummary, ToolOutcome
from genai_gate.gates.security.tools import DISCOVERED_REQUIREMENTS, TOOLS
from genai_gate.locations import relocate_findings
from genai_gate.results import ErrorKind, GateResult, Status

GATE = "security-scan"
SCANNERS: dict[str, type[Scanner]] = dict(zip(TOOLS, (Bandit, Semgrep, PipAudit), strict=True))
"""Every tool, by its `--tools` name, in run order."""


def requirements_files(given: Sequence[Path], path: Path) -> tuple[Path, ...]:
    """The requirements files to audit, each checked readable (ConfigError naming the file)."""
    files = list(given) or [
        path / name for name in DISCOVERED_REQUIREMENTS if (path / name).is_file()
    ]
    if not files:
        raise UsageError(
            f"pip-audit: no requirements file: pass --requirements FILE (none of "
            f"{', '.join(DISCOVERED_REQUIREMENTS)} in {path}), or leave pip-audit out of --tools"
        )
    for file in files:
        try:
            file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ConfigError(
                located(file, None, "", f"cannot read requirements file: {reason}")
            ) from None
    return tuple(files)


def _request(options: Options) -> ScanRequest:
    path = options.path
    if not path.is_dir():
        raise UsageError(f"--path {path}: not a folder")
    requirements = (
        requirements_files(options.requirements, path) if "pip-audit" in options.tools else ()
    )
    return ScanRequest(path=path, requirements=requirements, osv_url=options.osv_url or None)


def scan_all(tools: Sequence[str], request: ScanRequest) -> dict[str, ToolReport | GateError]:
    """Each tool's report, or the error that stopped it; the tools run in parallel."""

    def one(name: str) -> ToolReport | GateError:
        try:
            return SCANNERS[name]().scan(request)
        except GateError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(tools)) as pool:
        return dict(zip(tools, pool.map(one, tools), strict=True))


def build_result(outcomes: dict[str, ToolReport | GateError], threshold: Level) -> GateResult:
    """One result over every tool: error if any tool could not run, else fail on the threshold."""
    reports = {name: o for name, o in outcomes.items() if isinstance(o, ToolReport)}
    errors = {name: o for name, o in outcomes.items() if isinstance(o, GateError)}
    findings = [f for report in reports.values() for f in report.findings]
    for finding in findings:
        finding.properties["blocking"] = Level(finding.properties["severity"]).at_least(threshold)
    findings.sort(key=lambda f: -Level(f.properties["severity"]).rank)
    blocking = sum(bool(f.properties["blocking"]) for f in findings)
    problems = [f"{name}: {p}" for name, r in reports.items() for p in r.problems]
    count = {
        level: sum(f.properties["severity"] == level.value for f in findings) for level in Level
    }
    per_tool = ", ".join(f"{name} {len(report.findings)}" for name, report in reports.items())
    if errors:
        status = Status.ERROR
        title = f"{', '.join(errors)} could not run" + (f" ({per_tool})" if per_tool else "")
    elif blocking:
        status = Status.FAIL
        title = f"{blocking} of {len(findings)} findings at or above {threshold.value} ({per_tool})"
    else:
        status = Status.PASS
        title = f"no finding at or above {threshold.value} ({per_tool})"
    usage = any(e.exit_code == UsageError.exit_code for e in errors.values())
    return GateResult(
        gate=GATE,
        status=status,
        title=title + (f"; not scanned: {len(problems)}" if problems else ""),
        summary=SecuritySummary(
            findings=len(findings),
            blocking=blocking,
            critical=count[Level.CRITICAL],
            high=count[Level.HIGH],
            medium=count[Level.MEDIUM],
            low=count[Level.LOW],
            threshold=threshold.value,
            tools=",".join(outcomes),
        ).as_dict(),
        findings=findings,
        incomplete=bool(errors or problems),
        error="\n".join(str(exc) for exc in errors.values()) or None,  # each names its tool
        error_kind=(ErrorKind.USAGE if usage else ErrorKind.INFRA) if errors else None,
        details=SecurityDetails(
            threshold=threshold.value,
            tools=[_tool_outcome(name, outcome, threshold) for name, outcome in outcomes.items()],
            not_scanned=problems,
        ).as_dict(),
    )


def _tool_outcome(name: str, outcome: ToolReport | GateError, threshold: Level) -> ToolOutcome:
    if isinstance(outcome, GateError):
        return ToolOutcome(tool=name, status="error", error=str(outcome))
    blocking = sum(Level(f.properties["severity"]).at_least(threshold) for f in outcome.findings)
    return ToolOutcome(
        tool=name,
        version=outcome.version,
        status="fail" if blocking else "pass",
        findings=len(outcome.findings),
        blocking=blocking,
        scanned=outcome.scanned,
        not_scanned=outcome.problems,
    )


def run(options: Options, ctx: Context) -> GateResult:
    """Run the tools, judge their findings, write the SARIF files."""
    outcomes = scan_all(options.tools, _request(options))
    result = build_result(outcomes, Level(options.fail_on_severity))
    relocate_findings(result, [Path.cwd()])
    if options.sarif_dir is not None:
        written = write_sarif_files(options.sarif_dir, outcomes)
        files = [str(path) for path in written]
        details = SecurityDetails.of(result).model_copy(update={"sarif_files": files})
        result.details = details.as_dict()
    return result
