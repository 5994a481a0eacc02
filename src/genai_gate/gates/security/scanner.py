"""The interface every security tool implements, and running a tool as a subprocess.

A `Scanner` turns one real tool run into a `ToolReport`: findings with a four-step severity,
plus the parts it could not scan. A tool that is not installed, times out or crashes raises
`InfraError` (exit 3); input the tool rejects as the caller's mistake raises `UsageError` (exit 2).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

from genai_gate.errors import InfraError
from genai_gate.gates.security.severity import Level
from genai_gate.results import Finding, Location

INSTALL_HINT = "pip install 'genai-gate[security]'"
TIMEOUT_S = 600
"""Longest a single tool run may take before it counts as an infrastructure failure."""


@dataclass(frozen=True)
class ScanRequest:
    """What to scan."""

    path: Path
    """Source folder for the static analysers."""
    requirements: tuple[Path, ...] = ()
    """Locked requirements files for the dependency audit."""
    osv_url: str | None = None
    """OSV query endpoint for pip-audit (None: pip-audit's default, the public OSV API)."""


@dataclass
class ToolReport:
    """What one tool run found."""

    tool: str
    """Tool name as given to `--tools`."""
    version: str
    """Version of the tool that ran."""
    findings: list[Finding] = field(default_factory=list)
    """Findings, each with `properties["severity"]` set to a `Level` value."""
    problems: list[str] = field(default_factory=list)
    """Parts the tool could not scan (unparsable files, skipped packages): the scan is partial."""
    scanned: int = 0
    """Files (static analysers) or packages (dependency audit) covered."""


class Scanner(ABC):
    """One security tool."""

    name: str
    """Name used in `--tools`, in results and as the SARIF file name."""
    executable: str
    """Console script that runs the tool."""

    @abstractmethod
    def scan(self, request: ScanRequest) -> ToolReport:
        """Run the tool on `request` and map its output."""


def find_executable(name: str) -> str:
    """The tool beside the running Python (same venv) or on PATH; InfraError when absent."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise InfraError(f"{name} is not installed (tool missing): {INSTALL_HINT}")
    return found


def run_tool(
    name: str, args: list[str], cwd: Path | None = None, timeout_s: float = TIMEOUT_S
) -> subprocess.CompletedProcess[str]:
    """Run `name args...`, capturing output; InfraError when it cannot start or times out."""
    command = [find_executable(name), *args]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    try:
        return subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout_s,
            env=env,
            check=False,
        )
    except OSError as exc:
        raise InfraError(f"{name} could not start: {exc}") from None
    except subprocess.TimeoutExpired:
        raise InfraError(f"{name} did not finish within {timeout_s:.0f} s") from None


def crashed(name: str, done: subprocess.CompletedProcess[str], what: str) -> InfraError:
    """The error for a tool run that ended without usable output (exit 3)."""
    tail = (done.stderr or done.stdout or "").strip().splitlines()[-3:]
    detail = " | ".join(line.strip() for line in tail) or "no output"
    return InfraError(f"{name} {what} (exit {done.returncode}): {detail}")


def tool_version(name: str) -> str:
    """The version `name --version` prints (first dotted number), or "unknown"."""
    done = run_tool(name, ["--version"], timeout_s=60)
    match = re.search(r"\d+\.\d+(\.\d+)?", done.stdout + done.stderr)
    return match.group(0) if match else "unknown"


def display_path(path: str | Path) -> str:
    """A tool-reported path relative to the current directory when below it, POSIX style."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def security_finding(
    tool: str,
    rule_id: str,
    level: Level,
    message: str,
    location: Location | None,
    *,
    rule_name: str | None = None,
    help_uri: str | None = None,
    **facts: object,
) -> Finding:
    """A finding of `tool` with its four-step severity in `properties`."""
    properties: dict[str, object] = {
        "tool": tool,
        "severity": level.value,
        "tags": ["security", tool],
    }
    properties.update({k: v for k, v in facts.items() if v not in (None, "", [], {})})
    return Finding(
        rule_id=rule_id,
        severity=level.sarif_level,
        message=message,
        location=location,
        rule_name=rule_name,
        help_uri=help_uri,
        properties=properties,
    )
