"""The canary gate's Markdown section (step summary, PR comment): decision, then the evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from genai_gate.gates.canary.event import CanaryDetails
from genai_gate.gates.canary.summary import CanarySummary
from genai_gate.report.text import format_value, md_inline
from genai_gate.results import GateResult

VERDICT_ICONS = {"pass": "✅", "high": "🔺", "low": "🔻", "nodata": "❔"}


def _side(side: dict[str, Any]) -> str:
    return f"{format_value(side.get('mean'))} (n={side.get('n', 0)})"


def _interval(row: dict[str, Any]) -> str:
    if row.get("confidence_interval") is None:
        return "-"
    low, high = row["confidence_interval"]
    return f"{format_value(row['effect'])} [{format_value(low)}, {format_value(high)}]"


def markdown_section(result: GateResult) -> str:
    """Decision and reason, the per-metric evidence table and where the chart is."""
    details = CanaryDetails.of(result)
    rows = result.details.get("metrics") or []
    if not rows:
        return ""
    lines = [
        f"**Decision: {md_inline(CanarySummary.of(result).decision or '?', 20)}** "
        f"— {md_inline(details.reason or '', 300)}",
        "",
        "| metric | verdict | baseline mean | canary mean | ratio | p | effect [98% CI] | why |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        critical = " (critical)" if row.get("critical") else ""
        lines.append(
            f"| `{md_inline(row['metric'], 60)}`{critical} "
            f"| {VERDICT_ICONS.get(row['classification'], '')} {row['classification']} "
            f"| {_side(row['baseline'])} | {_side(row['canary'])} "
            f"| {format_value(row.get('mean_ratio'))} | {format_value(row.get('p_value'))} "
            f"| {_interval(row)} | {md_inline(row.get('reason', ''), 200)} |"
        )
    if details.rules:
        lines += ["", "| rule | fired | figure | why |", "|---|---|---|---|"]
        for rule in details.rules:
            lines.append(
                f"| `{md_inline(rule.rule, 80)}` | {'🔴 yes' if rule.fired else 'no'} "
                f"| {format_value(rule.value)} | {md_inline(rule.reason, 300)} |"
            )
    window = details.window
    if window:
        lines += ["", f"Window {window.start} to {window.end}, "
                  f"one point per {format_value(window.interval_s)} s per side."]  # fmt: skip
    if details.plot:
        chart = md_inline(Path(details.plot.path).name, 100)
        lines += ["", f"Chart of baseline vs canary: `{chart}` "
                  "(SVG, written beside the results file)."]  # fmt: skip
    return "\n".join(lines)
