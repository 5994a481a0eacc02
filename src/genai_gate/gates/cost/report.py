"""The cost gate's Markdown section (step summary, PR comment): what changed first, then every
prompt's estimate, the approval that accepted a spike, and estimate-vs-actual of recorded runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_gate.gates.cost.details import ActualRow, CostDetails, PromptRow
from genai_gate.report.text import md_inline, md_table

if TYPE_CHECKING:
    from genai_gate.results import GateResult

MAX_ROWS = 40
"""Prompt rows shown before the rest is summarised (changed prompts are listed first)."""


def _usd(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 1 or value == 0:
        return f"${value:,.2f}"
    return f"${value:.4f}" if abs(value) >= 0.01 else f"${value:.6f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:+.1f}%"


def _tokens(row: PromptRow) -> str:
    head, base = row.template_tokens, row.base_template_tokens
    mark = "~" if row.approximate else ""
    if base is None or base == head:
        return f"{mark}{head if head is not None else '-'}"
    return f"{mark}{base} → {mark}{head if head is not None else '-'}"


def _prompt_table(details: CostDetails) -> str:
    order = {"changed": 0, "added": 1, "removed": 2, "unchanged": 3}
    rows = sorted(details.prompts or [], key=lambda r: (order[r.change], r.prompt_id))
    if not rows:
        return ""
    ref = md_inline(details.base_ref or "", 60)
    columns = ["prompt", "model", "template tokens", "per request", "per month"]
    if ref:
        columns.append(f"change vs `{ref}`")
    body = []
    for r in rows[:MAX_ROWS]:
        line = (
            f"| `{md_inline(r.prompt_id, 80)}` | {md_inline(r.model, 40)} | {_tokens(r)} | "
            f"{_usd(r.per_request_usd)} | {_usd(r.monthly_usd)} |"
        )
        if ref:
            line += f" {r.change}: {_pct(r.delta_pct)} ({_usd(r.delta_monthly_usd)}/month) |"
        body.append(line)
    return md_table(columns, body, len(rows), "prompts (see the results file)")


def _actuals_table(actuals: list[ActualRow]) -> str:
    lines = [
        "| run | requests | actual | estimated | estimate error |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {md_inline(a.gate, 40)} | {a.requests} | {_usd(a.actual_usd)} | "
        f"{_usd(a.estimated_usd)} | {_pct(a.error_pct)} |"
        for a in actuals
    ]
    return "**Estimate vs actual**\n\n" + "\n".join(lines)


def markdown_section(result: GateResult) -> str:
    """Per-prompt table (changed first), approval note, approximation note, actuals."""
    details = CostDetails.of(result)
    blocks = []
    if details.approved_by:
        blocks.append(
            f"> **Approved:** the limits were exceeded, accepted by the PR label "
            f"`{md_inline(details.approved_by, 80)}`."
        )
    table = _prompt_table(details)
    if table:
        blocks.append(table)
    total = details.total
    if total is not None:
        blocks.append(
            f"**Projected monthly cost:** {_usd(total.monthly_usd)}"
            + (
                f" (base {_usd(total.base_monthly_usd)}, {_pct(total.delta_pct)})"
                if total.base_monthly_usd is not None
                else ""
            )
        )
    if details.approximate_prompts:
        names = ", ".join(f"`{md_inline(n, 60)}`" for n in details.approximate_prompts[:20])
        blocks.append(
            f"~ approximate token counts (`approx-chars-4`, not the model's tokenizer): {names}"
        )
    if details.actuals:
        blocks.append(_actuals_table(details.actuals))
    return "\n\n".join(blocks)
