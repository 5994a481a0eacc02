"""The rollback rules: each one can roll the canary back on its own.

Per metric, as configured (the defaults are the seed's rules plus latency):

- `<metric>.consecutive` (`sigma`): the canary is beyond the baseline's mean ± k standard
  deviations of its per-window values in N consecutive windows. For event counters (errors per
  request) a window breaches only when its count is also improbable (one-sided, p < `alpha`)
  for a window of the baseline's kind: Poisson around the baseline's pooled rate (its upper
  confidence limit) plus the extra spread the baseline's own windows show (negative binomial,
  upper 90% confidence limit of their variance). A window with few requests cannot breach by
  chance; a window of an outage does. The rule also fires on an outage: N adjacent windows,
  each at half `outage_ratio` times the baseline's pooled rate or more, that together hold at
  least `outage_ratio` times that rate, and significantly more than half the multiple (exact
  conditional binomial of their events among both sides' events, p < `joint_alpha`, so the
  baseline's own count uncertainty is in the test). An outage that straddles window boundaries
  splits into partial windows, but two adjacent ones still hold at least 3/4 of a 2-minute
  outage. The multiple, not a spread estimated from ten noisy baseline windows, keeps ordinary
  noise out: two adjacent minutes at 4x the mean are beyond what a per-minute spread of cv 0.5
  does (gamma: p ~ 1e-7), while ten windows measure that spread too loosely to prove an outage
  of a few hundred requests.
- `<metric>.increase` (`increase_test`): the canary's pooled event rate over all windows is above
  the baseline's by `z` standard errors on the log of their ratio, and by the ratio `min_ratio`.
  A window's count varies as Poisson plus the relative extra spread measured on the baseline
  (dispersion from the baseline only, so a flapping canary cannot hide behind its own spread);
  the log keeps a baseline's low minutes from also shrinking that spread. The critical value is
  Student's t with Satterthwaite's degrees of freedom for a spread estimated from a few windows
  (`log_ratio_reference`); without extra spread the p-value is the exact conditional binomial
  one (small counts), against the same critical value.
- `<metric>.paired` (`increase_test.paired_z`): window by window, the canary's share of the
  window's events (both sides) against its share of the window's requests, summed over the
  windows (a stratified conditional binomial score test). Noise that both sides share in the
  same minute (traffic mix, a slow upstream) cancels; spread the pairs show beyond binomial
  (independent noise, a flapping canary) widens the test (quasi-binomial dispersion from the
  Pearson residuals, Student's t on the windows' degrees of freedom), and it is never more
  significant than the exact binomial test of the totals. A flapping canary inflates that
  spread, which is why `increase`, whose spread comes from the baseline alone, stays beside it.
- `<metric>.floor` / `<metric>.ceiling` (`min_value` / `max_value`): the canary's value (pooled
  ratio of the counters, or median of a query's points) is beyond an absolute bound.
- `<metric>.ratio` (`max_ratio` / `min_ratio`): canary value / baseline value is beyond a bound.
"""

from __future__ import annotations

import math
import operator
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from genai_gate.gates.canary.collect import WindowValues
from genai_gate.gates.canary.runs import LookRuns
from genai_gate.gates.canary.settings import ConsecutiveRule, IncreaseTest, MetricSettings
from genai_gate.gates.canary.stats import (
    binomial_sf,
    chi_square_quantile,
    negative_binomial_sf,
    normal_isf,
    normal_sf,
    poisson_upper_mean,
    student_t_isf,
)

EXACT_LIMIT = 1000
"""Most events for which the conditional binomial p-value is summed exactly."""
SPREAD_CONFIDENCE = 0.9
"""The consecutive rule bounds a window with this upper confidence limit of the baseline's
extra spread (one outage window is far beyond it; ordinary noise of a few windows is not)."""


@dataclass(frozen=True)
class RuleOutcome:
    """What one rule found, with the figures it compared."""

    rule: str
    """`<metric>.<kind>`, e.g. `error_rate.consecutive`."""
    metric: str
    fired: bool
    reason: str
    value: float | None = None
    """The rule's figure: windows in a row, z score, canary value."""
    threshold: float | None = None
    """What `value` was compared with."""
    ratio: float | None = None
    """Canary / baseline value, where the rule uses one."""


def fmt(value: float) -> str:
    """A number in a rule's reason (4 significant digits)."""
    return f"{value:.4g}"


def central(metric: MetricSettings, side: WindowValues) -> float | None:
    """One value for the whole period: the pooled counter ratio, or the median of the points."""
    if metric.counters is not None and side.numerators is not None and side.denominators:
        pairs = [
            (num, den)
            for num, den, value in zip(side.numerators, side.denominators, side.values, strict=True)
            if value is not None and den > 0
        ]
        total = sum(den for _, den in pairs)
        return sum(num for num, _ in pairs) / total if total > 0 else None
    finite = [v for v in side.points() if math.isfinite(v)]
    return statistics.median(finite) if finite else None


def ratio_of(canary: float, baseline: float) -> float:
    """canary / baseline; infinite for a zero baseline (1 when both are 0)."""
    if baseline == 0:
        return 1.0 if canary == 0 else math.copysign(math.inf, canary)
    return canary / baseline


def _events(side: WindowValues) -> list[tuple[float, float] | None]:
    """(events, requests) of each window that has data and requests."""
    assert side.numerators is not None and side.denominators is not None
    return [
        (num, den) if value is not None and den > 0 else None
        for num, den, value in zip(side.numerators, side.denominators, side.values, strict=True)
    ]


def longest_run(flags: Sequence[bool], since: int = 0) -> int:
    """Length of the longest run of True in `flags` that ends at index `since` or later."""
    longest = run = 0
    for index, flag in enumerate(flags):
        run = run + 1 if flag else 0
        if index >= since:
            longest = max(longest, run)
    return longest


def _look_text(look: LookRuns | None, windows: int) -> str:
    """How a later look restricts the runs: to those reaching its new windows."""
    if look is None or not look.new_from:
        return ""
    return f" (a run reaching the {windows - look.new_from} windows new since the previous look)"


def consecutive_events(
    metric: MetricSettings,
    rule: ConsecutiveRule,
    baseline: WindowValues,
    canary: WindowValues,
    look: LookRuns | None = None,
) -> RuleOutcome:
    """The seed's rule on event counts, with a count significance bound per window, and the
    outage test on adjacent windows together. At a later `look` of an extended step only runs
    and stretches reaching its new windows count, and a run needs the look's length (`runs`;
    each window breaches a healthy canary's with chance about `alpha`)."""
    name = f"{metric.name}.consecutive"
    base = [pair for pair in _events(baseline) if pair is not None]
    if not base:
        return RuleOutcome(name, metric.name, False, "no baseline windows with requests")
    rates = [num / den for num, den in base]
    spread = statistics.stdev(rates) if len(rates) > 1 else 0.0
    limit = statistics.fmean(rates) + rule.k * spread
    base_events, base_requests = sum(n for n, _ in base), sum(d for _, d in base)
    # What a window of the baseline's kind may hold: its pooled rate (upper confidence limit,
    # for few baseline events) with Poisson spread plus the extra spread it shows itself.
    expected_rate = poisson_upper_mean(round(base_events), rule.alpha) / base_requests
    cv2 = extra_variance(base, upper=SPREAD_CONFIDENCE)
    windows = _events(canary)
    breaches = [
        pair is not None
        and pair[0] / pair[1] > limit
        and negative_binomial_sf(round(pair[0]), pair[1] * expected_rate, cv2) < rule.alpha
        for pair in windows
    ]
    since = look.new_from if look else 0
    need = look.required(rule.alpha, rule.consecutive) if look else rule.consecutive
    longest = longest_run(breaches, since)
    outage = outage_stretch(windows, rule, (base_events, base_requests), since)
    fired = longest >= need or (outage is not None and outage.fired)
    reason = (
        f"{longest} window(s) in a row above {fmt(limit)} (baseline mean + {rule.k:g} sd) and "
        f"improbable for the baseline's rate {fmt(expected_rate)} and spread (p < {rule.alpha:g})"
        f"{_look_text(look, len(windows))}; fires at {need}"
    )
    high = [p[0] / p[1] for p, hit in zip(windows, breaches, strict=True) if hit and p is not None]
    if high:
        reason += f"; breaching windows at {', '.join(fmt(v) for v in high[:6])}"
    half = f"{rule.outage_ratio / 2:g}x"
    reason += f"; outage: {outage.reason if outage else f'no adjacent windows at {half} the rate'}"
    return RuleOutcome(name, metric.name, fired, reason, longest, need)


@dataclass(frozen=True)
class Outage:
    """The strongest stretch of adjacent canary windows above the sd bound."""

    fired: bool
    reason: str


def outage_stretch(
    windows: Sequence[tuple[float, float] | None],
    rule: ConsecutiveRule,
    baseline: tuple[float, float],
    since: int = 0,
) -> Outage | None:
    """Whether `rule.consecutive` adjacent windows, each at least half `rule.outage_ratio` x the
    rate of `baseline` (events, requests), hold together at least that multiple and
    significantly more than half of it: exact conditional binomial of the stretch's events among
    both sides' events, p < `rule.joint_alpha`. Only stretches ending at window `since` or later
    count. None when no such stretch has all its windows at half the multiple (one bad minute
    is a blip)."""
    size, half = rule.consecutive, rule.outage_ratio / 2
    base_events, base_requests = baseline
    base_rate = base_events / base_requests
    best: tuple[bool, float, float] | None = None
    for start in range(max(0, since - size + 1), len(windows) - size + 1):
        stretch = [
            pair
            for pair in windows[start : start + size]
            if pair is not None and ratio_of(pair[0] / pair[1], base_rate) >= half
        ]
        if len(stretch) < size:
            continue
        events, requests = sum(e for e, _ in stretch), sum(n for _, n in stretch)
        ratio = ratio_of(events / requests, base_rate)
        p_value = 1.0
        if ratio >= rule.outage_ratio:  # the short upper tail only
            share = half * requests
            share /= share + base_requests
            p_value = binomial_sf(round(events), round(events + base_events), share)
        found = (ratio >= rule.outage_ratio and p_value < rule.joint_alpha, ratio, -p_value)
        best = found if best is None else max(best, found)
    if best is None:
        return None
    fired, ratio, p_value = best
    return Outage(
        fired,
        f"{size} adjacent windows at {fmt(ratio)}x the baseline's rate (above {half:g}x: "
        f"p {-p_value:.2g}); fires at {rule.outage_ratio:g}x and p < {rule.joint_alpha:g}",
    )


def consecutive_values(
    metric: MetricSettings,
    rule: ConsecutiveRule,
    baseline: WindowValues,
    canary: WindowValues,
    look: LookRuns | None = None,
) -> RuleOutcome:
    """The seed's rule on plain per-window values (mean ± k sd of the baseline's windows); at a
    later `look` as `consecutive_events`, a window breaching with the normal tail beyond k."""
    name = f"{metric.name}.consecutive"
    base = [v for v in baseline.points() if math.isfinite(v)]
    if len(base) < 2:
        return RuleOutcome(name, metric.name, False, "fewer than 2 baseline windows")
    centre, spread = statistics.fmean(base), statistics.stdev(base)
    high, low = centre + rule.k * spread, centre - rule.k * spread
    points = [v if v is not None and math.isfinite(v) else None for v in canary.values]
    tail = normal_sf(rule.k) * (2 if metric.direction == "either" else 1)
    need = look.required(tail, rule.consecutive) if look else rule.consecutive
    longest = longest_run(
        [
            point is not None
            and (
                (point > high and metric.direction != "decrease")
                or (point < low and metric.direction != "increase")
            )
            for point in points
        ],
        look.new_from if look else 0,
    )
    bounds = {"increase": f"above {fmt(high)}", "decrease": f"below {fmt(low)}"}
    where = bounds.get(metric.direction, f"outside [{fmt(low)}, {fmt(high)}]")
    reason = (
        f"{longest} window(s) in a row {where} (baseline mean ± {rule.k:g} sd)"
        f"{_look_text(look, len(points))}; fires at {need}"
    )
    return RuleOutcome(name, metric.name, longest >= need, reason, longest, need)


def extra_variance(windows: Sequence[tuple[float, float]], upper: float | None = None) -> float:
    """Squared coefficient of variation of the per-window rate beyond Poisson (moments, >= 0).

    With `upper` (e.g. 0.9), it is the upper confidence limit from a variance measured on that
    many windows: a spread measured on a few windows is often well below the true one, which
    would make the bounds too tight. The limit is that of the windows' whole variance (Poisson
    plus extra: the sample variance follows a chi-square law with that scale), less the known
    Poisson part. Scaling the extra part alone left out the counting noise of its estimate, so
    with few events per window a baseline whose windows came out close together by chance made
    every canary window's bound too tight at once (breaches of adjacent windows correlated, runs
    of 2 at twice the chance `runs.run_chance` gives). (A dispersion pre-test that keeps steady
    baselines at Poisson was measured: no better at catching outages, more false rollbacks.)
    """
    if len(windows) < 3:
        return 0.0
    events = sum(num for num, _ in windows)
    requests = sum(den for _, den in windows)
    if events <= 0:
        return 0.0
    rate = events / requests
    expected = [den * rate for _, den in windows]
    squares = sum((num - mu) ** 2 for (num, _), mu in zip(windows, expected, strict=True))
    df = len(windows) - 1
    squares *= len(windows) / df
    if upper is not None:
        squares *= df / chi_square_quantile(1 - upper, df)
    return max(0.0, (squares - sum(expected)) / sum(mu * mu for mu in expected))


def both_sides(
    baseline: WindowValues, canary: WindowValues
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """(baseline, canary) (events, requests) of the windows with requests on both sides."""
    return [
        (b, c)
        for b, c in zip(_events(baseline), _events(canary), strict=True)
        if b is not None and c is not None
    ]


def increase_test(
    metric: MetricSettings, test: IncreaseTest, baseline: WindowValues, canary: WindowValues
) -> RuleOutcome:
    """Pooled event-rate comparison on the log of the rate ratio, with the baseline's dispersion
    (see `log_ratio_reference`)."""
    name = f"{metric.name}.increase"
    pairs = both_sides(baseline, canary)
    if not pairs:
        return RuleOutcome(name, metric.name, False, "no window with requests on both sides")
    e_b, n_b = sum(b[0] for b, _ in pairs), sum(b[1] for b, _ in pairs)
    e_c, n_c = sum(c[0] for _, c in pairs), sum(c[1] for _, c in pairs)
    rate_b, rate_c = e_b / n_b, e_c / n_c
    ratio = ratio_of(rate_c, rate_b)
    if e_b + e_c == 0:
        return RuleOutcome(name, metric.name, False, "no events on either side", 0.0, test.z, 1.0)
    cv2 = extra_variance([b for b, _ in pairs])
    reference = log_ratio_reference(pairs, cv2)
    critical = student_t_isf(normal_sf(test.z), reference.df)
    if cv2 == 0 and e_b + e_c <= EXACT_LIMIT:
        p_value = binomial_sf(round(e_c), round(e_b + e_c), n_c / (n_b + n_c))
        z = normal_isf(p_value)
    elif e_c == 0 or e_b == 0:
        z = math.inf if e_b == 0 else -math.inf
        p_value = normal_sf(z)
    else:
        z = math.log(rate_c / rate_b) / math.sqrt(reference.variance)
        p_value = normal_sf(z)
    fired = z >= critical and ratio > test.min_ratio
    spread = f", baseline extra spread cv {math.sqrt(cv2):.2f}" if cv2 else ""
    reason = (
        f"canary {fmt(rate_c)} vs baseline {fmt(rate_b)} ({round(e_c)}/{round(n_c)} vs "
        f"{round(e_b)}/{round(n_b)}): ratio {fmt(ratio)}, z {z:.2f} (p {p_value:.2g}){spread}; "
        f"fires at z >= {critical:.3g} (Student's t, {reference.df:.3g} df) and ratio > "
        f"{test.min_ratio:g}"
    )
    return RuleOutcome(name, metric.name, fired, reason, z, critical, ratio)


@dataclass(frozen=True)
class LogRatioReference:
    """Variance of log(canary rate / baseline rate) under no increase, and the degrees of
    freedom of its estimate."""

    variance: float
    df: float


def log_ratio_reference(
    pairs: Sequence[tuple[tuple[float, float], tuple[float, float]]], cv2: float
) -> LogRatioReference:
    """Reference of the increase test for (baseline, canary) (events, requests) windows and the
    baseline's extra spread `cv2` (`extra_variance`), both sides at the pooled rate p.

    Delta method: a side's pooled rate over windows of n_i requests has relative variance
    1 / (p sum n_i) (Poisson) + cv2 sum n_i^2 / (sum n_i)^2 (a per-window gamma multiplier).
    The log makes the test scale-free: the baseline's spread is a relative one, so a baseline
    whose minutes came out low does not also shrink the variance (on the rate difference it
    does, which ran the test at 4-9x its level with a production-sized baseline). `cv2` is
    measured on the m baseline windows through their sample variance, Poisson part included:
    var(cv2) ~ 2 (1 / mu + cv2)^2 / (m - 1) for mu events per window, so the critical value is
    Student's t with Satterthwaite's df = (m - 1) (variance / (w (cv2 + 1 / mu)))^2, w the
    extra spread's weight. It stays well above m - 1 where the canary's own Poisson spread
    dominates, and is m - 1 for a twin baseline at the Poisson floor (cv2 = 0 only bounds the
    spread from below)."""
    events = sum(b[0] + c[0] for b, c in pairs)
    n_b, n_c = sum(b[1] for b, _ in pairs), sum(c[1] for _, c in pairs)
    pooled = events / (n_b + n_c)
    weight = sum(b[1] ** 2 for b, _ in pairs) / n_b**2 + sum(c[1] ** 2 for _, c in pairs) / n_c**2
    variance = 1 / (pooled * n_b) + 1 / (pooled * n_c) + cv2 * weight
    if len(pairs) < 3:  # no spread measured: Poisson, known
        return LogRatioReference(variance, math.inf)
    per_window = pooled * n_b / len(pairs)
    estimated = weight * (cv2 + 1 / per_window)
    return LogRatioReference(variance, (len(pairs) - 1) * (variance / estimated) ** 2)


def paired_test(
    metric: MetricSettings, test: IncreaseTest, baseline: WindowValues, canary: WindowValues
) -> RuleOutcome:
    """Window-by-window (stratified) conditional binomial score test with quasi-binomial
    dispersion: noise both sides share in a window cancels."""
    assert test.paired_z is not None
    name = f"{metric.name}.paired"
    # Per window: events of both sides, and the canary's share of the requests.
    strata = [(c[0], b[0] + c[0], c[1] / (b[1] + c[1])) for b, c in both_sides(baseline, canary)]
    strata = [stratum for stratum in strata if stratum[1] > 0]
    if len(strata) < 2:
        return RuleOutcome(name, metric.name, False, "fewer than 2 windows with events")
    observed = sum(e for e, _, _ in strata)
    expected = sum(m * share for _, m, share in strata)
    variance = sum(m * share * (1 - share) for _, m, share in strata)
    ratio = mantel_haenszel_ratio(strata)
    df = len(strata) - 1
    dispersion = max(1.0, pearson_dispersion(strata, ratio) / df)
    z = (observed - expected) / math.sqrt(dispersion * variance) if variance > 0 else 0.0
    critical = student_t_isf(normal_sf(test.paired_z), df)
    events = sum(m for _, m, _ in strata)
    # Overdispersion only ever weakens the evidence: never beyond the exact binomial test of the
    # totals (the normal score overstates small counts).
    exact = (
        binomial_sf(round(observed), round(events), expected / events)
        if events <= EXACT_LIMIT
        else 0.0
    )
    fired = z >= critical and exact < normal_sf(test.paired_z) and ratio > test.min_ratio
    reason = (
        f"canary {round(observed)} of {round(events)} events where its share of each window's "
        f"requests gives {fmt(expected)}: ratio {fmt(ratio)} by window, z {z:.2f} with "
        f"{fmt(dispersion)}x the binomial variance ({df} df); fires at z >= {critical:.3g} "
        f"(Student's t) and ratio > {test.min_ratio:g}"
    )
    if events <= EXACT_LIMIT:
        reason += f", exact binomial p {exact:.2g} < {normal_sf(test.paired_z):.2g}"
    return RuleOutcome(name, metric.name, fired, reason, z, critical, ratio)


def mantel_haenszel_ratio(strata: Sequence[tuple[float, float, float]]) -> float:
    """Canary / baseline rate ratio over windows of (canary events, both sides' events, canary
    share of the requests): the Mantel-Haenszel estimate (infinite with no baseline events)."""
    canary = sum(e * (1 - share) for e, _, share in strata)
    baseline = sum((m - e) * share for e, m, share in strata)
    return ratio_of(canary, baseline)


def pearson_dispersion(strata: Sequence[tuple[float, float, float]], ratio: float) -> float:
    """Pearson chi-square of the canary's events per window around the fitted `ratio`."""
    total = 0.0
    for events, both, share in strata:
        fitted = 1.0 if math.isinf(ratio) else share * ratio / (share * ratio + 1 - share)
        if 0 < fitted < 1:
            total += (events - both * fitted) ** 2 / (both * fitted * (1 - fitted))
    return total


def value_rules(
    metric: MetricSettings, baseline: WindowValues, canary: WindowValues
) -> list[RuleOutcome]:
    """Absolute bounds and ratio bounds on the canary's value for the whole period."""
    out: list[RuleOutcome] = []
    value = central(metric, canary)
    reference = central(metric, baseline)
    what = "pooled" if metric.counters is not None else "median"
    bounds = (("floor", metric.min_value, operator.lt), ("ceiling", metric.max_value, operator.gt))
    if value is None and any(bound is not None for _, bound, _ in bounds):
        out.append(RuleOutcome(f"{metric.name}.bounds", metric.name, False, "no canary value"))
    for kind, bound, beyond in bounds:
        if value is not None and bound is not None:
            reason = f"canary {what} {fmt(value)}, {kind} {bound:g}"
            fired = beyond(value, bound)
            out.append(
                RuleOutcome(f"{metric.name}.{kind}", metric.name, fired, reason, value, bound)
            )
    if metric.max_ratio is not None or metric.min_ratio is not None:
        rule = f"{metric.name}.ratio"
        if value is None or reference is None:
            out.append(RuleOutcome(rule, metric.name, False, "no value on one side"))
            return out
        ratio = ratio_of(value, reference)
        high = metric.max_ratio is not None and ratio > metric.max_ratio
        low = metric.min_ratio is not None and ratio < metric.min_ratio
        limits = [f"> {metric.max_ratio:g}" if metric.max_ratio else "",
                  f"< {metric.min_ratio:g}" if metric.min_ratio else ""]  # fmt: skip
        reason = (
            f"canary {what} {fmt(value)} / baseline {fmt(reference)} = {fmt(ratio)}; "
            f"fires at {' or '.join(x for x in limits if x)}"
        )
        out.append(
            RuleOutcome(
                rule,
                metric.name,
                high or low,
                reason,
                value,
                metric.max_ratio if metric.max_ratio is not None else metric.min_ratio,
                ratio,
            )
        )
    return out


def evaluate(
    metric: MetricSettings,
    baseline: WindowValues,
    canary: WindowValues,
    counts_only: bool = False,
    look: LookRuns | None = None,
) -> list[RuleOutcome]:
    """Every rule configured on `metric`; `counts_only` keeps the event-count rules (which
    carry their own significance) and skips the others (too little traffic to judge them);
    `look`: the look of an extended step being judged (the consecutive rules' runs)."""
    events = metric.counters is not None and metric.counters.events
    out: list[RuleOutcome] = []
    if metric.sigma is not None and (events or not counts_only):
        judge = consecutive_events if events else consecutive_values
        out.append(judge(metric, metric.sigma, baseline, canary, look))
    if metric.increase_test is not None:
        out.append(increase_test(metric, metric.increase_test, baseline, canary))
        if metric.increase_test.paired_z is not None:
            out.append(paired_test(metric, metric.increase_test, baseline, canary))
    if not counts_only:
        out += value_rules(metric, baseline, canary)
    return out
