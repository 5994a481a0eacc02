"""Names of the runtime guard's Prometheus series: one place for the guard, alert rules and docs.

Importing this module needs nothing beyond the standard library, so `genai-gate monitor rules`
works without the `[guard]` extra.
"""

from __future__ import annotations

REQUESTS = "llm_requests_total"
"""Counter of answered requests, labels `model` and `status` (`ok`, `error`, `blocked`)."""
ERRORS = "llm_request_errors_total"
"""Counter of failed requests, label `model` (the `status="error"` subset of REQUESTS, kept as
its own counter so readers of raw counter samples, like canary-gate, need no label filter)."""
LATENCY = "llm_latency_seconds"
"""Histogram of request latency in seconds, label `model` (`_bucket`, `_sum`, `_count`)."""
COST = "llm_cost_usd_total"
"""Counter of model spend in US dollars, label `model`."""
QUALITY = "llm_quality_score"
"""Histogram of quality scores in [0, 1] (online judge or user feedback), label `model`."""
PII_BLOCKS = "llm_pii_blocks_total"
"""Counter of responses whose personal data was blocked or masked, labels `pii_type`, `action`."""

STATUSES = ("ok", "error", "blocked")
"""Values of the `status` label of REQUESTS."""
LATENCY_BUCKETS = (0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0)
"""Upper bounds of the latency histogram, seconds (p95 alerts interpolate inside them)."""
QUALITY_BUCKETS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0)
"""Upper bounds of the quality-score histogram."""
