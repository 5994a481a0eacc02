"""Cost per request in production (the guard's counters in Prometheus) against the estimate.

The estimate is the per-request cost that `cost-estimate` computed for the agent's prompt (its
results file); production is `increase(llm_cost_usd_total) / increase(llm_requests_total)`
over the window. More than `max_increase_pct` above the estimate fails; no traffic, no estimate
or an unreadable Prometheus is an error, never a pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from genai_gate.errors import UsageError
from genai_gate.gates.canary.prometheus import PrometheusClient
from genai_gate.gates.cost.details import CostDetails
from genai_gate.results import GateResult, Status
from genai_gate.runtime_guard import names

GATE = "monitor-cost"


@dataclass(frozen=True)
class Production:
    """Spend and requests over the window."""

    cost_usd: float
    requests: float

    @property
    def per_request_usd(self) -> float:
        """Mean spend per request."""
        return self.cost_usd / self.requests


def estimate_per_request(path: Path, prompt: str) -> float:
    """`per_request_usd` of `prompt` in a cost-estimate results file (UsageError when absent)."""
    rows = {row.prompt_id: row for row in CostDetails.of(GateResult.read(path)).prompts or []}
    row = rows.get(prompt)
    value = row.per_request_usd if row is not None else None
    if value is None or value <= 0:
        known = ", ".join(sorted(rows)) or "none"
        raise UsageError(
            f"{path}: details.prompts: no per_request_usd for prompt {prompt!r} (prompts: {known})"
        )
    return value


def production(client: PrometheusClient, selector: str, window: str, end: float) -> Production:
    """Spend and requests in the window ending at `end` (PrometheusError on failure)."""
    inner = f"{{{selector}}}" if selector.strip() else ""

    def total(name: str) -> float:
        series = client.query_range(f"sum(increase({name}{inner}[{window}]))", end, end, 60)
        values = [v for v in (series.values if series else []) if math.isfinite(v)]
        return values[-1] if values else 0.0

    return Production(total(names.COST), total(names.REQUESTS))


def judge(
    actual: Production, estimate_usd: float, max_increase_pct: float, window: str
) -> GateResult:
    """Pass within the allowed increase, fail above it, error without traffic."""
    figures = {"estimate_per_request_usd": estimate_usd, "window": window}
    if actual.requests < 1:
        return GateResult(
            gate=GATE,
            status=Status.ERROR,
            title=f"no production requests in the last {window}: cost per request unknown",
            error=f"{names.REQUESTS} did not increase in the last {window}",
            summary=figures,
        )
    per_request = actual.per_request_usd
    change = (per_request - estimate_usd) / estimate_usd * 100
    failed = change > max_increase_pct
    verdict = "above" if failed else "within"
    return GateResult(
        gate=GATE,
        status=Status.FAIL if failed else Status.PASS,
        title=(
            f"cost per request ${per_request:.6f} vs estimate ${estimate_usd:.6f} "
            f"({change:+.1f}%, {verdict} +{max_increase_pct:g}%) over {actual.requests:.0f} "
            f"requests in {window}"
        ),
        summary={
            **figures,
            "per_request_usd": round(per_request, 8),
            "change_pct": round(change, 1),
            "requests": round(actual.requests),
            "max_increase_pct": max_increase_pct,
        },
    )
