"""The typed options of `genai-gate security-scan` (light: read by --help and by the scan)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from genai_gate.gates.security.tools import TOOLS
from genai_gate.options import GateOptions

LEVELS = ("low", "medium", "high", "critical")
"""`--fail-on-severity` values (`severity.Level`)."""


@dataclass(frozen=True)
class Options(GateOptions):
    """Options of one security scan."""

    tools: tuple[str, ...] = TOOLS
    """Tools to run, in run order."""
    fail_on_severity: str = "high"
    """Findings of this severity or worse fail the gate (one of `LEVELS`)."""
    requirements: tuple[Path, ...] = ()
    """Pinned requirements files for pip-audit (default: requirements.lock or requirements.txt
    in `path`)."""
    path: Path = Path(".")
    """Source folder for bandit and semgrep."""
    sarif_dir: Path | None = None
    """Write `<sarif_dir>/<tool>.sarif` for every tool that ran."""
    osv_url: str | None = field(default_factory=lambda: os.environ.get("PIP_AUDIT_OSV_URL"))
    """OSV query endpoint for pip-audit (default: $PIP_AUDIT_OSV_URL, else the public API)."""
