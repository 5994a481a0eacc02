"""The typed summary of `canary-gate`: the step's decision and figures, each an action output."""

from __future__ import annotations

from genai_gate.results import TypedSummary


class CanarySummary(TypedSummary):
    """Decision and key figures of one canary step. canary-gate always writes `decision`,
    `step` and `next_traffic_pct`, and the others unless Prometheus could not answer; a file
    written by another tool may lack any of them, but one that is present has its type."""

    omit_absent = True

    decision: str | None = None
    """promote, hold or rollback."""
    step: int | None = None
    """Canary traffic % judged."""
    next_traffic_pct: int | None = None
    """Traffic % to move to (the next step, the same step, or 0 on rollback)."""
    failed_metrics: str | None = None
    """Metrics judged harmful or whose rule fired, comma-separated (empty when none)."""
    baseline_requests: int | None = None
    """Baseline requests in the judged window."""
    canary_requests: int | None = None
    """Canary requests in the judged window."""
    score: float | None = None
    """Share of passing metrics; absent when the metrics were unavailable."""
