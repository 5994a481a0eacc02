"""One step judged at its planned looks: the configured window, then more windows while the
event-rate evidence is inconclusive (`canary.sequential`).

The looks are planned before the first one, from what cannot depend on the canary's verdict:
the looks the settings allow (`max_windows`, `look_every`), the data Prometheus already holds
after the first window (a replay of past metrics, up to `--extend-until`) and the run's
deadline (a look still to come must end, and its scrapes arrive, before it). Every look reads
the whole period from the first window's start; the event-rate tests use the look's level of
the plan's boundary (`sequential.boundary`), the consecutive rules count only runs reaching
the look's new windows, of the look's length (`runs`), the other rules keep their levels. A
look stops the step when anything but a promotion comes out, when the canary's events rule out
`sequential.ratio` (`<metric>.clear`: early promotion), or at the last planned look. A
Prometheus failure at any look raises PrometheusError (exit 3, hold).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from genai_gate.gates.canary.collect import Collected, Window, collect, placeholders
from genai_gate.gates.canary.gate_result import StepContext
from genai_gate.gates.canary.judge import Decision, Judgement, judge
from genai_gate.gates.canary.prometheus import PrometheusClient, PrometheusError
from genai_gate.gates.canary.rules import RuleOutcome
from genai_gate.gates.canary.runs import LookRuns
from genai_gate.gates.canary.sequential import NO_EVENTS, boundary_z, clear_test, pocock_z
from genai_gate.gates.canary.settings import CanarySettings, parse_duration
from genai_gate.gates.canary.stats import normal_sf

SETTLE_SCRAPES = 2
"""A window counts as complete this many scrape intervals after its end (the last scrape and
its ingestion)."""


def judge_collected(
    settings: CanarySettings, step: int, collected: Collected, look: LookRuns | None = None
) -> Judgement:
    """Judge one look's data (`look` of the planned ones): traffic and coverage checks, then
    the rules and Kayenta."""
    baseline_req, canary_req = collected.requests
    low_traffic = None
    if min(baseline_req, canary_req) < settings.traffic.min_requests:
        low_traffic = (
            f"too little traffic: baseline {baseline_req:.0f}, canary {canary_req:.0f} requests "
            f"(need {settings.traffic.min_requests} each)"
        )
    assert collected.coverage is not None
    problems = [
        problem
        for side, cover, window in zip(
            ("baseline", "canary"), collected.coverage, collected.windows, strict=True
        )
        if (problem := cover.problem(side, window)) is not None
    ]
    missing = "; ".join(problems) if problems else None
    return judge(settings, step, collected.series, low_traffic, missing, look)


@dataclass(frozen=True)
class Plan:
    """Windows judged at each look, and why there are fewer looks than the settings allow."""

    looks: tuple[int, ...]
    possible: tuple[int, ...]
    limit: str | None = None

    def window(self, first: Window, windows: int) -> Window:
        """The period of a look judging `windows` windows from the first look's start."""
        more = (windows - self.looks[0]) * first.interval_s
        return Window(first.end + more, windows * first.interval_s, first.interval_s)


def possible_looks(settings: CanarySettings, first: int) -> tuple[int, ...]:
    """Windows at each look the settings allow: the first window's, then every `look_every`."""
    seq = settings.sequential
    return (first, *range(first + seq.look_every, seq.max_windows + 1, seq.look_every))


def _newest(client: PrometheusClient, settings: CanarySettings, label: str, span: Window) -> float:
    """Time of the newest traffic sample of `label` in `span` (its begin when there is none)."""
    selector = placeholders(settings, label, span.interval_s)["selector"]
    found = client.raw_samples(f"{settings.traffic.counter}{{{selector}}}", span.window_s, span.end)
    return max((t for item in found for t in item.series.timestamps), default=span.begin)


def plan_looks(
    client: PrometheusClient,
    settings: CanarySettings,
    ctx: StepContext,
    remaining_s: float,
    now: float,
    latest_end: float,
) -> Plan:
    """The looks this run can make, ending by `latest_end`: data already there, or due within
    the deadline."""
    first = ctx.window
    possible = possible_looks(settings, first.count)
    if len(possible) == 1:
        return Plan(possible, possible)
    if ctx.baseline_window is not None:
        return Plan(possible[:1], possible, "the baseline's window is fixed (--baseline-end)")
    scrape_s = parse_duration(settings.scrape_interval)
    settle = SETTLE_SCRAPES * scrape_s
    full = Plan(possible, possible)
    ends = {windows: full.window(first, windows).end for windows in possible}
    allowed = [windows for windows in possible if ends[windows] <= latest_end]
    held = first.end
    if len(allowed) > 1:  # the newest scrapes of both sides up to the last allowed look
        span = Window(ends[allowed[-1]], round(ends[allowed[-1]] - first.end), first.interval_s)
        held = min(_newest(client, settings, label, span) for label in (ctx.baseline, ctx.canary))
    # What the last look's queries may take stays free at the end of the run.
    latest = now + remaining_s - settings.prometheus.timeout_s
    looks = [possible[0]]
    for windows in possible[1:]:
        end = ends[windows]
        if end <= latest_end and (held > end - scrape_s or now < end + settle <= latest):
            looks.append(windows)
            continue
        if end > latest_end:
            why = (
                f"the metrics are replayed up to {_at(latest_end)} "
                f"(--end; --extend-until reads later windows)"
            )
        elif end + settle <= now:
            why = f"Prometheus holds no scrapes after {_at(held)} (both sides)"
        else:
            why = (
                f"its window ends {end + settle - now:.0f} s from now (scrapes included), past "
                f"the run deadline of {settings.prometheus.run_timeout_s:g} s "
                f"(canary.prometheus.run_timeout_s)"
            )
        look = f"look {len(looks) + 1} ({windows} windows, ending {_at(end)})"
        return Plan(tuple(looks), possible, f"{look} cannot be made: {why}")
    return Plan(tuple(looks), possible)


def _at(timestamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))


def levels_for(settings: CanarySettings, looks: tuple[int, ...], index: int = 0) -> CanarySettings:
    """The settings with each event-rate test at its level for look `index` of `looks`
    (`sequential.boundary`: O'Brien-Fleming's or Pocock's)."""
    if len(looks) < 2:
        return settings
    boundary = settings.sequential.boundary

    def level(z: float) -> float:
        return boundary_z(normal_sf(z), looks, boundary)[index]

    metrics = []
    for metric in settings.metrics:
        test = metric.increase_test
        if test is not None:
            paired = test.paired_z
            test = test.model_copy(
                update={"z": level(test.z), "paired_z": None if paired is None else level(paired)}
            )
        metrics.append(metric.model_copy(update={"increase_test": test}))
    return settings.model_copy(update={"metrics": metrics})


def clear_outcomes(
    settings: CanarySettings, collected: Collected, looks: tuple[int, ...]
) -> list[RuleOutcome]:
    """`<metric>.clear` of every event metric with an increase test, at the early-promotion
    level of `looks` (Pocock's over every look but the last)."""
    seq = settings.sequential
    critical = pocock_z(seq.beta, looks[:-1] or looks)
    return [
        clear_test(metric.name, seq.ratio, critical, *collected.series[metric.name])
        for metric in settings.metrics
        if metric.increase_test is not None and metric.counters and metric.counters.events
    ]


@dataclass(frozen=True)
class Stepped:
    """The step's last judgement, its data and how the looks went."""

    judgement: Judgement
    collected: Collected
    window: Window
    """The period the last look judged."""
    plan: Plan
    looks: int
    """Looks made."""
    clear: list[RuleOutcome] = field(default_factory=list)
    """The early-promotion tests of the last look (empty when it did not get there)."""

    def details(self) -> dict[str, object]:
        """The `sequential` part of the result's details."""
        return {
            "looks": self.looks,
            "windows": self.window.count,
            "first_windows": self.plan.looks[0],
            "planned_looks": list(self.plan.looks),
            "possible_looks": list(self.plan.possible),
            "limit": self.plan.limit,
            "clear": [o.rule for o in self.clear if o.fired],
        }


def _wait(window: Window, settings: CanarySettings, remaining: Callable[[], float]) -> str | None:
    """Sleep until the look's scrapes are in; why not, when the run's deadline comes first."""
    due = window.end + SETTLE_SCRAPES * parse_duration(settings.scrape_interval)
    need = due - time.time()
    if need <= 0:
        return None
    if need > remaining() - settings.prometheus.timeout_s:
        return (
            f"the run deadline of {settings.prometheus.run_timeout_s:g} s "
            f"(canary.prometheus.run_timeout_s) comes before the window ending {_at(window.end)} "
            f"is complete ({need:.0f} s away)"
        )
    time.sleep(need)
    return None


def _finish(stepped: Stepped, first_windows: int) -> Stepped:
    """Say in the judgement how many looks were made and what ended them."""
    judgement, plan, n = stepped.judgement, stepped.plan, stepped.window.count
    at = f"look {stepped.looks} of {len(plan.looks)}, {n} windows"
    if stepped.looks > 1:
        at += f", {n - first_windows} more than the first look"
    settled = bool(stepped.clear) and all(o.fired for o in stepped.clear)
    clear = [o for o in stepped.clear if o.fired and o.reason != NO_EVENTS]
    reason, decided_by = judgement.reason, list(judgement.decided_by)
    if judgement.decision is not Decision.PROMOTE:
        if len(plan.looks) > 1:
            reason = f"{reason} ({at})"
    elif settled:
        if len(plan.looks) > 1:
            reason = f"{reason}; evidence clear at {at}: " + "; ".join(
                f"{o.rule}: {o.reason}" for o in clear
            )
            decided_by += [o.rule for o in clear]
    elif len(plan.looks) > 1:
        reason = f"{reason}; no rollback boundary crossed in {len(plan.looks)} looks ({n} windows)"
        decided_by.append("sequential.last_look")
    if judgement.decision is Decision.PROMOTE and plan.limit and not settled:
        reason = f"{reason}; not extended further: {plan.limit}"
    return replace(stepped, judgement=replace(judgement, reason=reason, decided_by=decided_by))


def judge_step(
    client: PrometheusClient,
    settings: CanarySettings,
    ctx: StepContext,
    remaining: Callable[[], float],
    latest_end: float = math.inf,
) -> Stepped:
    """Collect and judge the step at its planned looks, none ending after `latest_end`
    (PrometheusError on any failure)."""
    plan = plan_looks(client, settings, ctx, remaining(), time.time(), latest_end)
    stepped: Stepped | None = None
    for index, windows in enumerate(plan.looks):
        levels = levels_for(settings, plan.looks, index)
        window = plan.window(ctx.window, windows)
        stop = _wait(window, settings, remaining) if index else None
        if stop is not None and stepped is not None:
            reason = f"inconclusive after {stepped.looks} look(s), not extended: {stop}"
            judgement = Judgement(
                stepped.judgement.verdicts, stepped.judgement.score, Decision.HOLD, reason,
                rules=stepped.judgement.rules, decided_by=["sequential.deadline"],
            )  # fmt: skip
            return replace(stepped, judgement=judgement)
        try:
            collected = collect(
                client, levels, window, ctx.baseline, ctx.canary, ctx.baseline_window
            )
        except PrometheusError as exc:
            if not index:
                raise
            raise PrometheusError(f"{exc} (at look {index + 1} of {len(plan.looks)})") from None
        judgement = judge_collected(levels, ctx.step, collected, LookRuns(plan.looks, index))
        clear = (
            clear_outcomes(levels, collected, plan.looks)
            if judgement.decision is Decision.PROMOTE and len(plan.possible) > 1
            else []
        )
        stepped = Stepped(judgement, collected, window, plan, index + 1, clear)
        settled = all(o.fired for o in clear)
        if judgement.decision is not Decision.PROMOTE or settled:
            break
    assert stepped is not None
    return _finish(stepped, plan.looks[0])
