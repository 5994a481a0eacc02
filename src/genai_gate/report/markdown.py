"""Markdown renderer (the GitHub step summary): one gate's report, cut below 1 MiB with a note."""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_gate.report.document import fit, utf8_size
from genai_gate.report.sections import footer, gate_blocks

if TYPE_CHECKING:
    from genai_gate.results import GateResult

STEP_SUMMARY_LIMIT = 1024 * 1024
"""GitHub's limit on one step's summary, in bytes."""

SAFETY_MARGIN = 4096
"""Bytes kept free below the limit (the truncation note is counted separately)."""


def render(result: GateResult, limit: int = STEP_SUMMARY_LIMIT - SAFETY_MARGIN) -> str:
    """The result as Markdown of at most `limit` UTF-8 bytes."""
    return fit(
        gate_blocks(result),
        limit,
        measure=utf8_size,
        limit_desc=f"{limit:,} bytes (GitHub step summary limit)",
        hint="The full result is in the results file and the JSON/SARIF/JUnit outputs.",
        footer=footer(result),
    )
