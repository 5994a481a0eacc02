"""The typed summary and details of `smoke-test`: health, cases and latency, each an action
output; the details are empty (what the health endpoint answered is in the `health` case)."""

from __future__ import annotations

from pydantic import ConfigDict

from genai_gate.results import TypedDetails, TypedSummary


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


class SmokeDetails(TypedDetails):
    """Details of a smoke test: none. Each dependency check the health endpoint listed is in
    the `health` case's details (`checks.<name>.ok` / `.detail`), and each golden case's outcome
    in its own case; an undeclared key here is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
