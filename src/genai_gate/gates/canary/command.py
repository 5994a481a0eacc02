"""Judge one canary step from Prometheus metrics: promote, hold or roll back.

Reads each metric of the `canary:` section (or the built-in error-rate, quality, cost, PII-incident
and latency rules) for the baseline and canary deployments over the window ending at --end, one
value per window, applies the rollback rules, holds on missing data, then compares them like
Spinnaker Kayenta (Mann-Whitney U, Hodges-Lehmann effect, critical metrics, weighted score) and
sets the output `decision`. A step whose error-rate evidence is inconclusive is judged again on
more windows (`canary.sequential`, a group-sequential design within the run's deadline). Exit 0
only for promote; 1 for rollback or hold (read `decision`); 3 with decision hold when Prometheus
is unreachable or a query fails. The baseline vs canary
chart is written as SVG beside the results file (canary-gate.svg).

The built-in rules read the runtime guard's series (genai_gate.runtime_guard): the counters
llm_requests_total, llm_request_errors_total, llm_quality_score_sum / _count, llm_cost_usd_total,
llm_pii_blocks_total and the histogram llm_latency_seconds, labelled `deployment`.
"""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from genai_gate.errors import UsageError
from genai_gate.options import GateOptions

if TYPE_CHECKING:  # the run's modules are imported when it runs: `--help` stays fast
    from genai_gate.context import Context
    from genai_gate.gates.canary.settings import CanarySettings
    from genai_gate.results import GateResult


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `genai-gate canary-gate`."""
    parser.add_argument(
        "--step", type=int, required=True, metavar="PCT", help="canary traffic %% being judged"
    )
    parser.add_argument("--baseline-label", required=True, metavar="X", help="baseline label value")
    parser.add_argument("--canary-label", required=True, metavar="Y", help="canary label value")
    parser.add_argument("--prometheus-url", metavar="URL", help="overrides canary.prometheus.url")
    parser.add_argument("--window", metavar="DURATION", help="judged period, e.g. 10m (config)")
    parser.add_argument(
        "--end", metavar="TIME", help="end of the window: RFC 3339 or unix seconds (default now)"
    )
    parser.add_argument(
        "--baseline-end",
        metavar="TIME",
        help="end of the baseline's window (default --end): the previous release's production "
        "metrics before a switch to 100%%",
    )
    parser.add_argument(
        "--extend-until",
        metavar="TIME",
        help="replaying past metrics with --end: the latest end of a later look (canary."
        "sequential; default: no later looks with --end, a live run waits within its deadline)",
    )


@dataclass(frozen=True)
class Options(GateOptions):
    """Options of one canary step's judgement."""

    step: int
    """Canary traffic % being judged (one of canary.steps)."""
    baseline_label: str
    """Deployment label value of the baseline."""
    canary_label: str
    """Deployment label value of the canary."""
    prometheus_url: str | None = None
    """Prometheus base URL (default: canary.prometheus.url)."""
    window: str | None = None
    """Judged period, e.g. 10m (default: config)."""
    end: str | None = None
    """End of the window: RFC 3339 or unix seconds (default: now)."""
    baseline_end: str | None = None
    """End of the baseline's window (default: `end`)."""
    extend_until: str | None = None
    """Replaying past metrics with `end`: the latest end of a later look (default: none with
    `end`; a live run waits for its later looks within the run's deadline)."""


def parse_time(text: str, option: str = "--end") -> float:
    """Unix seconds from `1700000000[.5]` or an RFC 3339 time (`2026-01-02T03:04:05Z`)."""
    try:
        return float(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{option}: invalid time {text!r} (RFC 3339 or unix seconds)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def load_settings(ctx: Context) -> CanarySettings:
    """The `canary:` section, or the defaults when there is no config or no section."""
    from genai_gate.gates.canary.settings import CanarySettings

    loaded = ctx.config_if_present()
    if loaded is not None and loaded.model.canary is not None:
        return loaded.model.canary
    return CanarySettings()


def run(options: Options, ctx: Context) -> GateResult:
    """Collect, judge and report one step."""
    from genai_gate.gates.canary.collect import Window
    from genai_gate.gates.canary.gate_result import (
        GATE,
        StepContext,
        build_result,
        error_result,
        plot,
    )
    from genai_gate.gates.canary.looks import judge_step
    from genai_gate.gates.canary.prometheus import (
        PrometheusClient,
        PrometheusError,
        auth_from_env,
    )
    from genai_gate.gates.canary.settings import parse_duration
    from genai_gate.integrations.files import write_atomic
    from genai_gate.integrations.http import DeadlineHttp

    settings = load_settings(ctx)
    if options.step not in settings.steps:
        steps = ", ".join(str(s) for s in settings.steps)
        raise UsageError(f"--step {options.step} is not one of canary.steps ({steps})")
    if options.baseline_label == options.canary_label:
        raise UsageError("--baseline-label and --canary-label must differ")
    url = options.prometheus_url or settings.prometheus.url
    if not url:
        raise UsageError("no Prometheus URL: pass --prometheus-url or set canary.prometheus.url")
    try:
        window_s = parse_duration(options.window or settings.window_of(options.step))
    except ValueError as exc:
        raise UsageError(f"--window: {exc}") from None
    interval_s = parse_duration(settings.interval)
    if window_s < 3 * interval_s:
        raise UsageError(f"--window must hold at least 3 intervals of {settings.interval}")
    end = parse_time(options.end) if options.end else time.time()
    baseline_end = (
        parse_time(options.baseline_end, "--baseline-end") if options.baseline_end else None
    )
    if baseline_end is not None and baseline_end > end:
        raise UsageError("--baseline-end must not be after --end")
    latest = math.inf if options.end is None else end
    if options.extend_until:
        latest = parse_time(options.extend_until, "--extend-until")
        if latest < end:
            raise UsageError("--extend-until must not be before --end")
    headers, basic = auth_from_env(settings.prometheus.auth)
    step_ctx = StepContext(
        step=options.step,
        next_step=settings.next_step(options.step),
        baseline=options.baseline_label,
        canary=options.canary_label,
        window=Window(end=end, window_s=window_s, interval_s=interval_s),
        prometheus_url=url,
        baseline_window=None
        if baseline_end in (None, end)
        else Window(end=baseline_end, window_s=window_s, interval_s=interval_s),
    )
    with DeadlineHttp.within(settings.prometheus) as http:
        client = PrometheusClient(url, http, headers=headers, basic_auth=basic)
        try:
            stepped = judge_step(client, settings, step_ctx, http.remaining_s, latest)
        except PrometheusError as exc:
            return error_result(str(exc), step_ctx)
    step_ctx = replace(step_ctx, window=stepped.window)
    result = build_result(stepped.judgement, stepped.collected, step_ctx)
    result.details["sequential"] = stepped.details()
    chart = ctx.results_dir / f"{GATE}.svg"
    write_atomic(chart, plot(stepped.judgement, stepped.collected, step_ctx))
    result.details["plot"] = {"path": str(chart), "format": "svg"}
    return result
