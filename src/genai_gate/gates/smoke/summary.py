"""The typed summary of `smoke-test`: health, cases and latency, each an action output."""

from __future__ import annotations

from genai_gate.results import TypedSummary


class SmokeSummary(TypedSummary):
    """Key figures of a smoke test. smoke-test writes `healthy`, `cases` and `failed` whenever
    the health endpoint answered, the error rate when a case was sent and the p95 latency when
    one was answered; none is written when the service could not be reached."""

    omit_absent = True

    healthy: bool | None = None
    """Whether the health endpoint answered healthy (and listed its checks when required)."""
    cases: int | None = None
    """Golden cases sent (0 when the service is unhealthy or none are configured)."""
    failed: int | None = None
    """Cases that failed (no answer, wrong shape or unmet expectations)."""
    error_rate: float | None = None
    """failed / cases, rounded to 4 places."""
    latency_p95_ms: float | None = None
    """Nearest-rank p95 latency of the answered cases (ms)."""
