"""The toy gate's Markdown section and shard merger."""

from __future__ import annotations

from genai_gate.results import GateResult, TypedSummary


def markdown_section(result: GateResult) -> str:
    """What the toy said."""
    return f"**The toy said:** {result.details['greeting']}"


def merge_results(shards: list[GateResult], merged: GateResult) -> GateResult:
    """Greetings add up over shards."""
    merged.summary = {"greetings": sum(s.summary["greetings"] for s in shards)}
    return merged


class ToySummary(TypedSummary):
    """The toy's figures."""

    greetings: int
    """Greetings said."""
