"""The guard's Prometheus metrics (needs the `[guard]` extra: `prometheus_client`)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from genai_gate.runtime_guard.filter import Filtered
from genai_gate.runtime_guard.names import (
    COST,
    ERRORS,
    LATENCY,
    LATENCY_BUCKETS,
    PII_BLOCKS,
    QUALITY,
    QUALITY_BUCKETS,
    REQUESTS,
    STATUSES,
)

try:
    from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        "genai_gate.runtime_guard needs prometheus_client: pip install 'genai-gate[guard]'"
    ) from exc


CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
"""The classic text format `generate_latest` writes, which every Prometheus version scrapes."""


def _base(name: str) -> str:
    """prometheus_client adds `_total` to counters itself."""
    return name.removesuffix("_total")


@dataclass
class Call:
    """One request being served: set `cost_usd` (and `status`) before the block ends."""

    model: str
    cost_usd: float = 0.0
    status: str = "ok"


class GuardMetrics:
    """The seed's agent metrics in their own registry (served by `exposition`)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            _base(REQUESTS), "Answered LLM requests.", ["model", "status"], registry=r
        )
        self.errors = Counter(_base(ERRORS), "Failed LLM requests.", ["model"], registry=r)
        self.latency = Histogram(
            LATENCY,
            "LLM request latency in seconds.",
            ["model"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.cost = Counter(_base(COST), "Model spend in USD.", ["model"], registry=r)
        self.quality = Histogram(
            QUALITY,
            "Quality scores in [0, 1].",
            ["model"],
            buckets=QUALITY_BUCKETS,
            registry=r,
        )
        self.pii_blocks = Counter(
            _base(PII_BLOCKS),
            "Responses whose personal data was blocked or masked.",
            ["pii_type", "action"],
            registry=r,
        )

    def observe(self, model: str, status: str, latency_s: float, cost_usd: float = 0.0) -> None:
        """Count one finished request."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
        if cost_usd < 0 or latency_s < 0:
            raise ValueError("latency and cost cannot be negative")
        self.requests.labels(model=model, status=status).inc()
        if status == "error":
            self.errors.labels(model=model).inc()
        self.latency.labels(model=model).observe(latency_s)
        if cost_usd:
            self.cost.labels(model=model).inc(cost_usd)

    @contextmanager
    def track(self, model: str) -> Iterator[Call]:
        """Time a request; an exception escaping the block counts as `error` (and is re-raised)."""
        call = Call(model)
        started = time.perf_counter()
        try:
            yield call
        except BaseException:
            call.status = "error"
            raise
        finally:
            self.observe(call.model, call.status, time.perf_counter() - started, call.cost_usd)

    def score(self, model: str, quality: float) -> None:
        """Record one quality score (online judge, user feedback)."""
        if not 0.0 <= quality <= 1.0:
            raise ValueError(f"quality score must be within [0, 1], got {quality}")
        self.quality.labels(model=model).observe(quality)

    def incident(self, filtered: Filtered) -> None:
        """Count what the output filter did, once per PII type found in the response."""
        if filtered.action is None:
            return
        for kind in sorted({match.type for match in filtered.matches}):
            self.pii_blocks.labels(pii_type=kind, action=filtered.action).inc()

    def exposition(self) -> tuple[bytes, str]:
        """The `/metrics` body and its content type (Prometheus text format)."""
        return generate_latest(self.registry), CONTENT_TYPE
