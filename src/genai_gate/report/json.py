"""JSON renderer: the results file format itself (schema-versioned GateResult)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from genai_gate.results import GateResult


def render(result: GateResult) -> str:
    """The result as indented JSON, exactly as written to `<results-dir>/<gate>.json`."""
    return result.model_dump_json(indent=2, exclude_none=True) + "\n"
