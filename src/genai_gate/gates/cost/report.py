"""The cost gate's Markdown section (step summary, PR comment): what changed first, then every
prompt's estimate, the approval that accepted a spike, and estimate-vs-actual of recorded runs."""

from __future__ import annotations

from typing import Any

from genai_gate.report.text import md_inline, md_table
from genai_gate.results import GateResult

MAX_ROWS = 40
"""Prompt rows shown before the rest is summarised (changed prompts are listed first)."""


def _usd(value: Any) -> str:
    if value is None:
        return "-"
    if abs(value) >= 1 or value == 0:
        return f"${value:,.2f}"
    return f"${value:.4f}" if abs(value) >= 0.01 else f"${value:.6f}"


def _pct(value: Any) -> str:
    return "-" if value is None else f"{value:+.1f}%"


def _tokens(row: dict[str, Any]) -> str:
    head, base = row.get("template_tokens"), row.get("base_template_tokens")
    mark = "~" if row.get("approximate") else ""
    if base is None or base == head:
        return f"{mark}{head if head is not None else '-'}"
    return f"{mark}{base} → {mark}{head if head is not None else '-'}"


def markdown_section(result: GateResult) -> str:
    """Per-prompt table (changed first), approval note, approximation note, actuals."""
    details = result.details
    rows: list[dict[str, Any]] = details.get("prompts", [])
    order = {"changed": 0, "added": 1, "removed": 2, "unchanged": 3}
    rows = sorted(rows, key=lambda r: (order.get(r.get("change", ""), 9), r.get("prompt_id", "")))
    blocks = []
    if details.get("approved_by"):
        blocks.append(
            f"> **Approved:** the limits were exceeded, accepted by the PR label "
            f"`{md_inline(details['approved_by'], 80)}`."
        )
    if rows:
        ref = md_inline(details.get("base_ref") or "", 60)
        columns = ["prompt", "model", "template tokens", "per request", "per month"]
        if ref:
            columns.append(f"change vs `{ref}`")
        body = []
        for r in rows[:MAX_ROWS]:
            line = (
                f"| `{md_inline(r['prompt_id'], 80)}` | "
                f"{md_inline(r.get('model', ''), 40)} | {_tokens(r)} | "
                f"{_usd(r.get('per_request_usd'))} | {_usd(r.get('monthly_usd'))} |"
            )
            if ref:
                delta = f"{_pct(r.get('delta_pct'))} ({_usd(r.get('delta_monthly_usd'))}/month)"
                line += f" {r.get('change', '')}: {delta} |"
            body.append(line)
        blocks.append(md_table(columns, body, len(rows), "prompts (see the results file)"))
    total = details.get("total", {})
    if total:
        blocks.append(
            f"**Projected monthly cost:** {_usd(total.get('monthly_usd'))}"
            + (
                f" (base {_usd(total.get('base_monthly_usd'))}, {_pct(total.get('delta_pct'))})"
                if total.get("base_monthly_usd") is not None
                else ""
            )
        )
    if details.get("approximate_prompts"):
        names = ", ".join(f"`{md_inline(n, 60)}`" for n in details["approximate_prompts"][:20])
        blocks.append(
            f"~ approximate token counts (`approx-chars-4`, not the model's tokenizer): {names}"
        )
    actuals = details.get("actuals", [])
    if actuals:
        lines = [
            "| run | requests | actual | estimated | estimate error |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {md_inline(a['gate'], 40)} | {a['requests']} | {_usd(a.get('actual_usd'))} | "
            f"{_usd(a.get('estimated_usd'))} | {_pct(a.get('error_pct'))} |"
            for a in actuals
        ]
        blocks.append("**Estimate vs actual**\n\n" + "\n".join(lines))
    return "\n\n".join(blocks)
