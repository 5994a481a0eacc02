"""The typed summary of `cost-estimate` (read by audit-log's compliance check)."""

from __future__ import annotations

from genai_gate.results import TypedSummary


class CostSummary(TypedSummary):
    """Key figures of a cost estimate; each is an action output. A figure may be absent (a
    results file written by another tool); one that is present must have its type."""

    monthly_cost_usd: float | None = None
    """Projected monthly cost of the head revision (USD, rounded to cents)."""
    delta_pct: float | None = None
    """Change of the monthly projection vs the base ref (%), None without a base ref."""
    base_monthly_cost_usd: float | None = None
    """Projected monthly cost of the base ref (USD), None without one."""
    prompts: int | None = None
    """Prompts priced."""
    approved_by: str | None = None
    """PR label that approved a cost over the limits, if any."""
