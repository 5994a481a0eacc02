"""Read every metric's baseline and canary series for one step window from Prometheus."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from genai_gate.gates.canary.prometheus import PrometheusClient, Series
from genai_gate.gates.canary.settings import CanarySettings, render_template


@dataclass(frozen=True)
class Window:
    """The judged time range: `points` samples every `interval_s`, the last one at `end`."""

    end: float
    window_s: int
    interval_s: int

    @property
    def start(self) -> float:
        """Time of the first sample (its rate window begins `interval_s` earlier)."""
        return self.end - self.window_s + self.interval_s


@dataclass
class Collected:
    """Series of both deployments: per metric, the queries sent and what came back."""

    series: dict[str, tuple[Series, Series]] = field(default_factory=dict)
    queries: dict[str, tuple[str, str]] = field(default_factory=dict)
    requests: tuple[float, float] = (0.0, 0.0)
    """Requests served in the window by (baseline, canary), from the traffic query."""


def promql_string(value: str) -> str:
    """`value` as the inside of a double-quoted PromQL string."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def placeholders(settings: CanarySettings, label: str, interval_s: int) -> dict[str, str]:
    """Values of `{{label}}`, `{{selector}}` and `{{interval}}` for one deployment."""
    escaped = promql_string(label)
    selector = f'{settings.label_name}="{escaped}"'
    if settings.extra_matchers.strip():
        selector += f",{settings.extra_matchers.strip()}"
    return {"label": escaped, "selector": selector, "interval": f"{interval_s}s"}


def _empty() -> Series:
    return Series([], [])


def collect(
    client: PrometheusClient,
    settings: CanarySettings,
    window: Window,
    baseline_label: str,
    canary_label: str,
) -> Collected:
    """Run the traffic query and every metric query for both labels (PrometheusError on failure)."""
    values = [
        placeholders(settings, label, window.interval_s) for label in (baseline_label, canary_label)
    ]

    def fetch(template: str) -> tuple[tuple[str, str], tuple[Series, Series]]:
        queries = (render_template(template, values[0]), render_template(template, values[1]))
        results = tuple(
            client.query_range(q, window.start, window.end, window.interval_s) or _empty()
            for q in queries
        )
        return queries, (results[0], results[1])

    collected = Collected()
    _, traffic = fetch(settings.traffic.query)
    baseline_req, canary_req = (
        sum(v for v in side.values if math.isfinite(v)) * window.interval_s for side in traffic
    )
    collected.requests = (baseline_req, canary_req)
    for metric in settings.metrics:
        queries, series = fetch(metric.query)
        collected.queries[metric.name] = queries
        collected.series[metric.name] = series
    return collected
