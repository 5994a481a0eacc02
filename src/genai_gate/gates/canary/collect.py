"""Read every metric of one step, window by window, for the baseline and the canary.

The judged period is cut into windows of `interval` seconds. Counter metrics (traffic and the
`counters:` ratios) are read as raw samples, with their timestamps: each increase between two
consecutive scrapes counts in the window of the later one (a counter reset restarts from 0),
so nothing is lost between windows, unlike a `rate()` over the window that only sees the
increases between its own samples. The traffic counter's samples also tell how complete each
window is (`Coverage`). `query:` metrics are range queries, one point per window end; a window
without a point has no value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from genai_gate.gates.canary.prometheus import LabelledSeries, PrometheusClient, Series
from genai_gate.gates.canary.settings import (
    CanarySettings,
    MetricSettings,
    parse_duration,
    render_template,
)

LOOKBACK_S = 300
"""Samples read before the window: a series without any there was created inside the range."""


@dataclass(frozen=True)
class Window:
    """The judged period: `window_s` seconds ending at `end`, cut into `interval_s` windows."""

    end: float
    window_s: int
    interval_s: int

    @property
    def begin(self) -> float:
        """Start of the judged period (exclusive)."""
        return self.end - self.window_s

    @property
    def start(self) -> float:
        """End of the first window: the first point of a range query."""
        return self.begin + self.interval_s

    @property
    def count(self) -> int:
        """Number of windows."""
        return self.window_s // self.interval_s

    def ends(self) -> list[float]:
        """End time of each window."""
        return [self.start + i * self.interval_s for i in range(self.count)]

    def index_of(self, timestamp: float) -> int | None:
        """The window holding `timestamp` (windows are (end - interval, end]), None outside."""
        if not self.begin < timestamp <= self.begin + self.count * self.interval_s:
            return None
        return min(self.count - 1, math.ceil((timestamp - self.begin) / self.interval_s) - 1)


@dataclass(frozen=True)
class Coverage:
    """Scrapes of one deployment's traffic counter found in each window."""

    samples: list[int]
    expected: int
    """Scrapes a full window holds (interval / scrape interval)."""
    needed: int
    """Scrapes a window must hold to count as complete."""
    last_sample: float | None
    """Time of the newest traffic sample, None when the counter has no samples at all."""

    @property
    def complete(self) -> list[bool]:
        """Whether each window holds enough scrapes."""
        return [count >= self.needed for count in self.samples]

    @property
    def missing(self) -> int:
        """Windows without enough scrapes."""
        return self.complete.count(False)

    def problem(self, side: str, window: Window) -> str | None:
        """Why this side's data cannot promote the canary, None when every window is complete."""
        if not self.missing:
            return None
        total = len(self.samples)
        if self.last_sample is None:
            return f"{side}: no samples of the traffic counter in the {total} windows"
        empty_tail = 0
        for count in reversed(self.samples):
            if count:
                break
            empty_tail += 1
        if empty_tail == self.missing:
            stale = window.end - self.last_sample
            return (
                f"{side}: no samples in the last {empty_tail} of {total} windows "
                f"(newest sample {stale:.0f} s before the end)"
            )
        gaps = [
            f"window {i + 1}: {count}/{self.expected}"
            for i, count in enumerate(self.samples)
            if count < self.needed
        ]
        return (
            f"{side}: {self.missing} of {total} windows lack scrapes (need {self.needed} of "
            f"{self.expected}; {', '.join(gaps[:5])})"
        )


@dataclass(frozen=True)
class WindowValues:
    """One metric of one deployment: a value per window (None: no data for that window)."""

    values: list[float | None]
    numerators: list[float] | None = None
    """Counter ratios: numerator increase per window."""
    denominators: list[float] | None = None
    """Counter ratios: denominator increase per window."""

    def points(self) -> list[float]:
        """The values of the windows that have one (NaN kept: 0/0 in a window without traffic)."""
        return [v for v in self.values if v is not None]


@dataclass
class Collected:
    """Both deployments' windows: per metric, the queries sent and the values found."""

    window: Window
    """The canary's judged period."""
    baseline_window: Window | None = None
    """The baseline's judged period when it differs (the previous release before a switch)."""
    series: dict[str, tuple[WindowValues, WindowValues]] = field(default_factory=dict)
    queries: dict[str, tuple[str, str]] = field(default_factory=dict)
    traffic: tuple[list[float], list[float]] = ([], [])
    """Requests per window of (baseline, canary)."""
    coverage: tuple[Coverage, Coverage] | None = None

    @property
    def windows(self) -> tuple[Window, Window]:
        """Judged period of (baseline, canary)."""
        return self.baseline_window or self.window, self.window

    @property
    def requests(self) -> tuple[float, float]:
        """Requests served in the judged period by (baseline, canary)."""
        return sum(self.traffic[0]), sum(self.traffic[1])


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


def counter_names(settings: CanarySettings) -> list[str]:
    """Every counter read as raw samples: traffic first, then the metrics' ratios."""
    names = [settings.traffic.counter]
    for metric in settings.metrics:
        if metric.counters is not None:
            names += [metric.counters.numerator, metric.counters.denominator]
    return list(dict.fromkeys(names))


def increases(
    series: Sequence[Series], window: Window, read_from: float, scrape_s: float
) -> list[float]:
    """Counter increase per window, summed over `series` (read from `read_from` on).

    A series whose first sample comes more than two scrapes after `read_from` was created in
    the range: its first value is an increase from 0.
    """
    totals = [0.0] * window.count
    for one in series:
        previous: float | None = None
        for index, (timestamp, value) in enumerate(zip(one.timestamps, one.values, strict=True)):
            if not math.isfinite(value):
                continue
            if previous is None and index == 0 and timestamp > read_from + 2 * scrape_s:
                previous = 0.0
            if previous is not None:
                slot = window.index_of(timestamp)
                if slot is not None:
                    totals[slot] += value - previous if value >= previous else value
            previous = value
    return totals


def coverage(series: Sequence[Series], window: Window, scrape_s: float, share: float) -> Coverage:
    """How many distinct scrape times of `series` fall in each window."""
    stamps: list[set[float]] = [set() for _ in range(window.count)]
    newest: float | None = None
    for one in series:
        for timestamp in one.timestamps:
            slot = window.index_of(timestamp)
            if slot is not None:
                stamps[slot].add(timestamp)
            newest = timestamp if newest is None else max(newest, timestamp)
    expected = max(1, round(window.interval_s / scrape_s))
    return Coverage([len(s) for s in stamps], expected, math.ceil(share * expected), newest)


def _ratio_values(
    metric: MetricSettings,
    by_name: dict[str, list[Series]],
    window: Window,
    read_from: float,
    scrape_s: float,
    complete: list[bool],
) -> WindowValues:
    assert metric.counters is not None
    numerators = increases(by_name.get(metric.counters.numerator, []), window, read_from, scrape_s)
    denominators = increases(
        by_name.get(metric.counters.denominator, []), window, read_from, scrape_s
    )
    values: list[float | None] = [
        (num / den if den > 0 else math.nan) if ok else None
        for num, den, ok in zip(numerators, denominators, complete, strict=True)
    ]
    return WindowValues(values, numerators, denominators)


def _aligned(series: Series | None, window: Window) -> WindowValues:
    """A range query's points placed in their windows (a missing point leaves None)."""
    values: list[float | None] = [None] * window.count
    if series is not None:
        for timestamp, value in zip(series.timestamps, series.values, strict=True):
            slot = round((timestamp - window.start) / window.interval_s)
            if 0 <= slot < window.count:
                values[slot] = value
    return WindowValues(values)


def collect(
    client: PrometheusClient,
    settings: CanarySettings,
    window: Window,
    baseline_label: str,
    canary_label: str,
    baseline_window: Window | None = None,
) -> Collected:
    """Read traffic and every metric for both labels (PrometheusError on failure).

    With `baseline_window` (the same cut of windows, ending earlier) the baseline is read there:
    the previous release's production traffic before a switch, when it serves none in `window`.
    """
    scrape_s = parse_duration(settings.scrape_interval)
    lookback = max(LOOKBACK_S, window.interval_s)
    names = "|".join(counter_names(settings))
    collected = Collected(window, baseline_window)
    sides: list[tuple[dict[str, str], dict[str, list[Series]], Coverage, Window]] = []
    for label, side_window in zip((baseline_label, canary_label), collected.windows, strict=True):
        values = placeholders(settings, label, window.interval_s)
        selector = f'{{__name__=~"{names}",{values["selector"]}}}'
        by_name = _by_name(
            client.raw_samples(selector, side_window.window_s + lookback, side_window.end)
        )
        traffic = by_name.get(settings.traffic.counter, [])
        cover = coverage(traffic, side_window, scrape_s, settings.min_coverage)
        sides.append((values, by_name, cover, side_window))
    collected.coverage = (sides[0][2], sides[1][2])
    baseline_traffic, canary_traffic = (
        increases(by_name.get(settings.traffic.counter, []), win, win.begin - lookback, scrape_s)
        for _, by_name, _, win in sides
    )
    collected.traffic = (baseline_traffic, canary_traffic)
    for metric in settings.metrics:
        pair: list[WindowValues] = []
        queries: list[str] = []
        for values, by_name, cover, win in sides:
            if metric.counters is not None:
                counters = metric.counters
                queries.append(
                    f"increase of {counters.numerator} / {counters.denominator} "
                    f"{{{values['selector']}}} from raw samples"
                )
                pair.append(
                    _ratio_values(
                        metric, by_name, win, win.begin - lookback, scrape_s, cover.complete
                    )
                )
            else:
                assert metric.query is not None
                query = render_template(metric.query, values)
                queries.append(query)
                answer = client.query_range(query, win.start, win.end, win.interval_s)
                pair.append(_aligned(answer, win))
        collected.series[metric.name] = (pair[0], pair[1])
        collected.queries[metric.name] = (queries[0], queries[1])
    return collected


def _by_name(result: list[LabelledSeries]) -> dict[str, list[Series]]:
    grouped: dict[str, list[Series]] = {}
    for item in result:
        grouped.setdefault(item.labels.get("__name__", ""), []).append(item.series)
    return grouped
