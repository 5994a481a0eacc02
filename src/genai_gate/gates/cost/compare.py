"""Base vs head: per-prompt and total estimates with absolute and relative change."""

from __future__ import annotations

from genai_gate.gates.cost.details import Change, PromptRow, Totals
from genai_gate.gates.cost.estimate import (
    RequestEstimate,
    monthly_cost,
    prices_of,
    request_estimate,
)
from genai_gate.gates.cost.settings import CostSettings
from genai_gate.gates.cost.snapshot import PromptTokens, Snapshot


def pct_change(base: float | None, head: float | None) -> float | None:
    """Relative change in percent; None when there is no base to compare with."""
    if base is None or head is None or base == 0:
        return None
    return (head - base) / base * 100


def _estimate(
    p: PromptTokens, snap: Snapshot, fallback: Snapshot | None, settings: CostSettings
) -> tuple[RequestEstimate, float | None]:
    traffic = settings.traffic.get(p.prompt_id)
    request = request_estimate(
        p, prices_of(p.model, snap, fallback.models if fallback else None), traffic
    )
    return request, monthly_cost(request, traffic, settings)


def compare(
    head: Snapshot, base: Snapshot | None, settings: CostSettings
) -> tuple[list[PromptRow], Totals]:
    """Rows for every prompt of head (and of base, when given) and the monthly totals."""
    rows: list[PromptRow] = []
    ids = sorted(set(head.prompts) | set(base.prompts if base else ()))
    for prompt_id in ids:
        now = head.prompts.get(prompt_id)
        before = base.prompts.get(prompt_id) if base else None
        head_req, head_month = _estimate(now, head, None, settings) if now else (None, None)
        base_req, base_month = (
            _estimate(before, base, head, settings) if before and base else (None, None)
        )
        shown = now or before
        assert shown is not None
        change: Change
        if base is None:
            change = "unchanged"
        elif now is None:
            change = "removed"
        elif before is None:
            change = "added"
        else:
            same = (before.template_tokens, before.model) == (now.template_tokens, now.model)
            same = (
                same
                and base_req is not None
                and head_req is not None
                and abs(base_req.cost_usd - head_req.cost_usd) < 1e-12
            )
            change = "unchanged" if same else "changed"
        traffic = settings.traffic.get(prompt_id)
        delta_month = None
        if base is not None and (head_month is not None or base_month is not None):
            delta_month = (head_month or 0.0) - (base_month or 0.0)
        rows.append(
            PromptRow(
                prompt_id=prompt_id,
                change=change,
                model=shown.model,
                path=shown.path,
                line=shown.line,
                approximate=shown.approximate,
                tokenizer=shown.tokenizer,
                template_tokens=now.template_tokens if now else None,
                base_template_tokens=before.template_tokens if before else None,
                per_request_usd=head_req.cost_usd if head_req else None,
                base_per_request_usd=base_req.cost_usd if base_req else None,
                input_tokens=head_req.input_tokens if head_req else None,
                output_tokens=head_req.output_tokens if head_req else None,
                output_source=head_req.output_source if head_req else None,
                requests_per_day=traffic.requests_per_day if traffic else None,
                monthly_usd=head_month,
                base_monthly_usd=base_month,
                delta_monthly_usd=delta_month,
                delta_pct=pct_change(
                    base_req.cost_usd if base_req else None, head_req.cost_usd if head_req else None
                ),
            )
        )
    monthly = sum(r.monthly_usd or 0.0 for r in rows)
    if base is None:
        return rows, Totals(
            monthly_usd=monthly, base_monthly_usd=None, delta_usd=None, delta_pct=None
        )
    base_monthly = sum(r.base_monthly_usd or 0.0 for r in rows)
    return rows, Totals(
        monthly_usd=monthly,
        base_monthly_usd=base_monthly,
        delta_usd=monthly - base_monthly,
        delta_pct=pct_change(base_monthly, monthly),
    )
