"""What a run of `genai_gate.runner` works on and gives back: jobs, outcomes, totals, the report,
and the error of a run stopped because its target is unreachable."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from genai_gate.cache import ResponseCache, canonical_text, key_of
from genai_gate.errors import InfraError
from genai_gate.targets.interface import ChatRequest, ChatResponse


@dataclass(frozen=True, slots=True)
class Job:
    """One request to send."""

    key: str
    """Caller's id of the job (e.g. the test-case id); not part of the cache key."""
    request: ChatRequest
    sample: int = 0
    """Sample index: repeated samples of one request are cached separately."""


@dataclass(frozen=True)
class CacheLookup:
    """A job looked up in the response cache: its key, its canonical request, the hit if any."""

    key: str
    payload: str
    hit: ChatResponse | None


def look_up(cache: ResponseCache, identity: str, job: Job) -> CacheLookup:
    """`job` in `cache`, for the target whose canonical identity is `identity`."""
    payload = canonical_text(job.request.cache_payload())
    key = key_of(identity, payload, job.sample)
    return CacheLookup(key, payload, cache.get_canonical(key, identity, payload))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one job: a response, or an error message."""

    job: Job
    response: ChatResponse | None
    error: str | None
    attempts: int
    """Requests sent for this job (0 for a cache hit or a job that never ran)."""
    stopped: bool = False
    """Never started because the run was stopped (circuit breaker open)."""

    @property
    def ok(self) -> bool:
        """True when the job got a response."""
        return self.response is not None


@dataclass
class RunStats:
    """Totals of one run."""

    sent: int = 0
    """Requests sent to the target, retries included (0 when everything came from the cache)."""
    cache_hits: int = 0
    failed: int = 0
    """Jobs without a response."""
    prompt_tokens: int = 0
    """Tokens of the responses received in this run (cache hits not included)."""
    completion_tokens: int = 0
    wall_s: float = 0.0
    retries: int = 0
    """Requests sent again after a 429, 5xx, timeout or connection error."""
    latency_p50_ms: float | None = None
    """Median latency of the responses received in this run (None when all came from cache)."""
    latency_p95_ms: float | None = None


@dataclass(repr=False)
class RunReport:
    """Outcomes in job order, plus totals."""

    outcomes: list[Outcome]
    stats: RunStats = field(default_factory=RunStats)

    def __repr__(self) -> str:
        # Short on purpose: asyncio.run reprs the result (signal.getsignal quirk), and the
        # full repr of thousands of outcomes costs ~0.1 ms per case.
        return f"RunReport(<{len(self.outcomes)} outcomes>, stats={self.stats!r})"


class CircuitOpen(InfraError):
    """The target is unreachable: the run was stopped. `.partial` holds what was done."""

    def __init__(self, message: str, partial: RunReport) -> None:
        super().__init__(message)
        self.partial = partial


NOT_RUN = "not run: the run was stopped because the target is unreachable"


def report_of(outcomes: list[Outcome], stats: RunStats) -> RunReport:
    """The report of finished outcomes (in job order): failures, retries, latency percentiles
    added to `stats`."""
    stats.failed = sum(1 for outcome in outcomes if outcome.response is None)
    stats.retries = sum(max(0, outcome.attempts - 1) for outcome in outcomes)
    latencies = sorted(
        outcome.response.latency_ms
        for outcome in outcomes
        if outcome.response is not None and not outcome.response.cached
    )
    if latencies:
        stats.latency_p50_ms = _percentile(latencies, 0.50)
        stats.latency_p95_ms = _percentile(latencies, 0.95)
    return RunReport(outcomes=outcomes, stats=stats)


def _percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of sorted values."""
    index = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return round(ordered[index], 3)
