"""The typed details of `canary-gate`: the rules, the window, the chart and the audit event a step
leaves for `audit-log record`."""

from __future__ import annotations

from pydantic import Field

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


Figure = float | str | None
"""A rounded number; infinities and NaN as the strings `inf`, `-inf`, `nan`."""


class RuleRow(StrictModel):
    """One rollback rule's outcome."""

    rule: str
    """Rule name, e.g. `error_rate.consecutive`."""
    metric: str
    """Metric the rule judges."""
    fired: bool
    """True when the rule asks for a rollback."""
    reason: str = ""
    """Why it fired or not."""
    value: Figure = None
    """The canary's figure the rule compared."""
    threshold: Figure = None
    """The limit it was compared with."""
    ratio: Figure = None
    """Canary vs baseline ratio, where the rule has one."""


class JudgedWindow(StrictModel):
    """The judged period."""

    start: str
    """RFC 3339 start."""
    end: str
    """RFC 3339 end."""
    interval_s: int | None = None
    """Seconds per judged window (one point per side)."""


class Chart(StrictModel):
    """Where the baseline vs canary chart was written."""

    path: str
    """File path of the chart, beside the results file."""
    format: str = "svg"
    """Image format."""


class Looks(StrictModel):
    """How an extended (group-sequential) step went: looks made, planned and possible."""

    looks: int
    """Looks made (1: the step was judged on its window only)."""
    windows: int
    """Windows the last look judged."""
    first_windows: int
    """Windows of the first look (the configured window)."""
    planned_looks: list[int]
    """Windows at each look planned before the first one."""
    possible_looks: list[int]
    """Windows at each look `canary.sequential` allows."""
    limit: str | None = None
    """Why fewer looks were planned than allowed (no data yet, the run's deadline)."""
    clear: list[str] = Field(default_factory=list)
    """The early-promotion tests (`<metric>.clear`) that were met at the last look."""


class CanaryDetails(TypedDetails):
    """Details of a canary step; the keys not declared here (`coverage`, `metrics`: the
    per-side scrape coverage and the per-metric evidence rows) pass untyped."""

    reason: str | None = None
    """Why the step got its decision."""
    decided_by: list[str] | None = None
    """What decided: the fired rules' names, or `kayenta.score` / `kayenta.<metric>`."""
    critical_failures: list[str] | None = None
    """Critical metrics judged harmful."""
    rules: list[RuleRow] | None = None
    """Every rollback rule's outcome, fired or not."""
    window: JudgedWindow | None = None
    """The canary's judged period."""
    baseline_window: JudgedWindow | None = None
    """The baseline's period, when it is not `window` (the 100% step)."""
    plot: Chart | None = None
    """The chart written beside the results file."""
    sequential: Looks | None = None
    """The looks of the step (`canary.sequential`)."""
    audit_event: AuditEvent | None = None
    """The record `audit-log record` appends for this step."""
