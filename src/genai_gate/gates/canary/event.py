"""The typed details of `canary-gate`: the audit event a step leaves for `audit-log record`."""

from __future__ import annotations

from genai_gate.results import TypedDetails
from genai_gate.schema import StrictModel


class AuditEvent(StrictModel):
    """What `audit-log record` appends for one canary step: `step` and `decision` at least
    (an event without them is no canary step); the others, when present, have their types."""

    event: str = "canary-step"
    """`canary-step`."""
    step: int
    """Canary traffic % judged."""
    decision: str
    """promote, hold or rollback."""
    next_traffic_pct: int | None = None
    """Traffic % to move to."""
    score: float | None = None
    """Share of passing metrics; None when the metrics were unavailable."""
    reason: str | None = None
    """Why the step got its decision."""
    baseline: str | None = None
    """Deployment label of the baseline."""
    canary: str | None = None
    """Deployment label of the canary."""
    window: dict[str, str] | None = None
    """The judged period (`start`, `end`)."""
    baseline_window: dict[str, str] | None = None
    """The baseline's period, when it is not `window`."""
    metrics: dict[str, str] | None = None
    """Verdict per metric."""
    prometheus: str | None = None
    """Prometheus queried (without credentials)."""
    success: bool | None = None
    """True for promote."""


class CanaryDetails(TypedDetails):
    """Details of a canary step; the keys not declared here pass untyped."""

    audit_event: AuditEvent | None = None
    """The record `audit-log record` appends for this step."""
