"""Runtime guard for an agent: the seed's Prometheus metrics and a PII output filter.

    from genai_gate.runtime_guard import GuardMetrics, PiiFilter

    metrics, pii = GuardMetrics(), PiiFilter("mask")
    with metrics.track(model) as call:
        answer = agent(request)
        call.cost_usd = cost_of(answer.usage)
        filtered = pii.apply(answer.text, allowed=[own_iban])
        metrics.incident(filtered)
        if filtered.blocked:
            call.status = "blocked"
    body, content_type = metrics.exposition()   # serve it at /metrics

The series names are in `genai_gate.runtime_guard.names`; `genai-gate monitor rules` alerts
on them and canary-gate can judge them. The metrics need the `[guard]` extra
(`prometheus_client`); the filter only needs genai-gate itself.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from genai_gate.runtime_guard.filter import BLOCKED_MESSAGE, Filtered, PiiFilter
    from genai_gate.runtime_guard.metrics import Call, GuardMetrics

__all__ = ["BLOCKED_MESSAGE", "Call", "Filtered", "GuardMetrics", "PiiFilter"]

_HOME = {
    "BLOCKED_MESSAGE": "filter",
    "Filtered": "filter",
    "PiiFilter": "filter",
    "Call": "metrics",
    "GuardMetrics": "metrics",
}
"""Where each public name lives: imported on first use, so `guard.names` stays light."""


def __getattr__(name: str) -> object:
    """Import the filter (PII detectors) or the metrics (prometheus_client) only when asked for."""
    if name in _HOME:
        return getattr(import_module(f"genai_gate.runtime_guard.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
