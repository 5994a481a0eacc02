"""The typed summary and details of `security-scan`: the findings by severity (action outputs)
and each tool's outcome (the Markdown section shows them)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from genai_gate.results import TypedDetails, TypedSummary, key_when_set
from genai_gate.schema import StrictModel


class SecuritySummary(TypedSummary):
    """Key figures of a scan. security-scan always writes all of them; a file written by another
    tool may lack any, but one that is present has its type."""

    omit_absent = True

    findings: int | None = None
    """Findings of every tool that ran."""
    blocking: int | None = None
    """Findings at or above the threshold: they fail the gate."""
    critical: int | None = None
    """Findings of severity critical."""
    high: int | None = None
    """Findings of severity high."""
    medium: int | None = None
    """Findings of severity medium."""
    low: int | None = None
    """Findings of severity low."""
    threshold: str | None = None
    """`--fail-on-severity`: low, medium, high or critical."""
    tools: str | None = None
    """Tools run, comma-separated, in run order."""


class ToolOutcome(StrictModel):
    """What one tool did (`details.tools`): its figures when it ran, its error when it could
    not."""

    tool: str
    """Tool name as given to `--tools`."""
    version: str | None = key_when_set()
    """Version of the tool that ran (absent when it could not run)."""
    status: Literal["pass", "fail", "error"]
    """fail: a finding at or above the threshold; error: the tool could not run."""
    error: str | None = key_when_set()
    """Why the tool could not run (only then)."""
    findings: int | None = key_when_set()
    """Findings of the tool."""
    blocking: int | None = key_when_set()
    """Its findings at or above the threshold."""
    scanned: int | None = key_when_set()
    """Files (static analysers) or packages (dependency audit) covered."""
    not_scanned: list[str] | None = key_when_set()
    """Parts the tool could not scan (unparsable files, skipped packages)."""


class SecurityDetails(TypedDetails):
    """Details of a scan; the keys not declared here pass untyped."""

    threshold: str = "high"
    """`--fail-on-severity`: findings of this severity or worse block the gate."""
    tools: list[ToolOutcome] = Field(default_factory=list)
    """Each tool, in run order."""
    not_scanned: list[str] = Field(default_factory=list)
    """Every part a tool could not scan, `<tool>: <what>`: the scan is incomplete."""
    sarif_files: list[str] | None = key_when_set()
    """SARIF files written, one per tool that ran (with `--sarif-dir` only)."""
