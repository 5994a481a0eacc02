"""The rollback rules: each one can roll the canary back on its own.

Per metric, as configured (the defaults are the seed's rules plus latency):

- `<metric>.consecutive` (`sigma`): the canary is beyond the baseline's mean ± k standard
  deviations of its per-window values in N consecutive windows. For event counters (errors per
  request) a window breaches only when its count is also improbable (one-sided, p < `alpha`)
  for a window of the baseline's kind: Poisson around the baseline's pooled rate (its upper
  confidence limit) plus the extra spread the baseline's own windows show (negative binomial,
  upper 90% confidence limit of that spread). A window with few requests cannot breach by
  chance; a window of an outage does. The rule also fires when N adjacent windows, all above
  the sd bound, hold together far more events than such windows would (p < `joint_alpha`, each
  of the few stretches tested): an outage that straddles window boundaries splits into partial
  windows, but two adjacent ones still hold at least 3/4 of a 2-minute outage. (Testing only
  the runs of windows above the sd bound, at `alpha`, was measured: a run is chosen for being
  high, which biases the test: 2-4% false rollbacks.)
- `<metric>.increase` (`increase_test`): the canary's pooled event rate over all windows is above
  the baseline's by `z` standard errors and by the ratio `min_ratio`. A window's count varies as
  Poisson plus the extra spread measured on the baseline (negative binomial, dispersion estimated
  from the baseline only, so a flapping canary cannot hide behind its own spread; the critical
  value then follows Student's t with Satterthwaite's degrees of freedom, as that spread is
  estimated from a few windows); without extra spread the p-value is the exact conditional
  binomial one (small counts).
- `<metric>.floor` / `<metric>.ceiling` (`min_value` / `max_value`): the canary's value (pooled
  ratio of the counters, or median of a query's points) is beyond an absolute bound.
- `<metric>.ratio` (`max_ratio` / `min_ratio`): canary value / baseline value is beyond a bound.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from genai_gate.gates.canary.collect import WindowValues
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


def consecutive_events(
    metric: MetricSettings, rule: ConsecutiveRule, baseline: WindowValues, canary: WindowValues
) -> RuleOutcome:
    """The seed's rule on event counts, with a count significance bound per window."""
    name = f"{metric.name}.consecutive"
    base = [pair for pair in _events(baseline) if pair is not None]
    if not base:
        return RuleOutcome(name, metric.name, False, "no baseline windows with requests")
    rates = [num / den for num, den in base]
    spread = statistics.stdev(rates) if len(rates) > 1 else 0.0
    limit = statistics.fmean(rates) + rule.k * spread
    # What a window of the baseline's kind may hold: its pooled rate (upper confidence limit,
    # for few baseline events) with Poisson spread plus the extra spread it shows itself.
    expected_rate = poisson_upper_mean(round(sum(n for n, _ in base)), rule.alpha) / sum(
        d for _, d in base
    )
    cv2 = extra_variance(base, upper=SPREAD_CONFIDENCE)
    longest, run, breaches = 0, 0, []
    for pair in _events(canary):
        breach = False
        if pair is not None:
            events, requests = pair
            breach = events / requests > limit and (
                negative_binomial_sf(round(events), requests * expected_rate, cv2) < rule.alpha
            )
            if breach:
                breaches.append(events / requests)
        run = run + 1 if breach else 0
        longest = max(longest, run)
    joint = joint_p_value(_events(canary), rule.consecutive, limit, expected_rate, cv2)
    fired = longest >= rule.consecutive or joint < rule.joint_alpha
    reason = (
        f"{longest} window(s) in a row above {fmt(limit)} (baseline mean + {rule.k:g} sd) and "
        f"improbable for the baseline's rate {fmt(expected_rate)} and spread (p < {rule.alpha:g});"
        f" fires at {rule.consecutive}, or when {rule.consecutive} adjacent windows above the "
        f"bound are together below p {rule.joint_alpha:g} (lowest p {joint:.2g})"
    )
    if breaches:
        reason += f"; breaching windows at {', '.join(fmt(v) for v in breaches[:6])}"
    return RuleOutcome(name, metric.name, fired, reason, longest, rule.consecutive)


def consecutive_values(
    metric: MetricSettings, rule: ConsecutiveRule, baseline: WindowValues, canary: WindowValues
) -> RuleOutcome:
    """The seed's rule on plain per-window values (mean ± k sd of the baseline's windows)."""
    name = f"{metric.name}.consecutive"
    base = [v for v in baseline.points() if math.isfinite(v)]
    if len(base) < 2:
        return RuleOutcome(name, metric.name, False, "fewer than 2 baseline windows")
    centre, spread = statistics.fmean(base), statistics.stdev(base)
    high, low = centre + rule.k * spread, centre - rule.k * spread
    longest = run = 0
    for value in canary.values:
        point = value if value is not None and math.isfinite(value) else None
        above = point is not None and point > high and metric.direction != "decrease"
        below = point is not None and point < low and metric.direction != "increase"
        run = run + 1 if above or below else 0
        longest = max(longest, run)
    bounds = {"increase": f"above {fmt(high)}", "decrease": f"below {fmt(low)}"}
    where = bounds.get(metric.direction, f"outside [{fmt(low)}, {fmt(high)}]")
    reason = (
        f"{longest} window(s) in a row {where} (baseline mean ± {rule.k:g} sd); "
        f"fires at {rule.consecutive}"
    )
    return RuleOutcome(
        name, metric.name, longest >= rule.consecutive, reason, longest, rule.consecutive
    )


def joint_p_value(
    windows: Sequence[tuple[float, float] | None],
    size: int,
    limit: float,
    rate: float,
    cv2: float,
) -> float:
    """Lowest p-value of the events of `size` adjacent windows together, over the stretches
    whose windows are all above `limit` (so an outage that straddles window boundaries still
    shows at full strength)."""
    lowest = 1.0
    for start in range(len(windows) - size + 1):
        stretch = [
            pair
            for pair in windows[start : start + size]
            if pair is not None and pair[0] / pair[1] > limit
        ]
        if len(stretch) < size:
            continue
        means = [requests * rate for _, requests in stretch]
        spread = cv2 * sum(mu * mu for mu in means) / sum(means) ** 2 if sum(means) else 0.0
        events = round(sum(events for events, _ in stretch))
        lowest = min(lowest, negative_binomial_sf(events, sum(means), spread))
    return lowest


def extra_variance(windows: Sequence[tuple[float, float]], upper: float | None = None) -> float:
    """Squared coefficient of variation of the per-window rate beyond Poisson (moments, >= 0).

    With `upper` (e.g. 0.9), the estimate is scaled to the upper confidence limit of a variance
    measured on that many windows: a spread measured on a few windows is often well below the
    true one, which would make the bounds too tight. (A dispersion pre-test that keeps steady
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
    cv2 = max(0.0, (squares - sum(expected)) / sum(mu * mu for mu in expected))
    if upper is not None:
        cv2 *= df / chi_square_quantile(1 - upper, df)
    return cv2


def increase_test(
    metric: MetricSettings, test: IncreaseTest, baseline: WindowValues, canary: WindowValues
) -> RuleOutcome:
    """Pooled event-rate comparison with the dispersion of the baseline."""
    name = f"{metric.name}.increase"
    pairs = [
        (b, c)
        for b, c in zip(_events(baseline), _events(canary), strict=True)
        if b is not None and c is not None
    ]
    if not pairs:
        return RuleOutcome(name, metric.name, False, "no window with requests on both sides")
    e_b, n_b = sum(b[0] for b, _ in pairs), sum(b[1] for b, _ in pairs)
    e_c, n_c = sum(c[0] for _, c in pairs), sum(c[1] for _, c in pairs)
    rate_b, rate_c = e_b / n_b, e_c / n_c
    ratio = ratio_of(rate_c, rate_b)
    if e_b + e_c == 0:
        return RuleOutcome(name, metric.name, False, "no events on either side", 0.0, test.z, 1.0)
    cv2 = extra_variance([b for b, _ in pairs])
    pooled = (e_b + e_c) / (n_b + n_c)
    critical = test.z
    if cv2 == 0 and e_b + e_c <= EXACT_LIMIT:
        p_value = binomial_sf(round(e_c), round(e_b + e_c), n_c / (n_b + n_c))
        z = normal_isf(p_value)
    else:
        poisson = sum(c[1] * pooled for _, c in pairs) / n_c**2
        poisson += sum(b[1] * pooled for b, _ in pairs) / n_b**2
        extra = sum((c[1] * pooled) ** 2 * cv2 for _, c in pairs) / n_c**2
        extra += sum((b[1] * pooled) ** 2 * cv2 for b, _ in pairs) / n_b**2
        z = (rate_c - rate_b) / math.sqrt(poisson + extra)
        p_value = normal_sf(z)
        # The extra spread is estimated from len(pairs) baseline windows: Student's t with
        # Satterthwaite's degrees of freedom instead of the normal critical value.
        share = extra / (poisson + extra)
        df = (len(pairs) - 1) / share**2 if share > 0 else math.inf
        critical = student_t_isf(normal_sf(test.z), df)
    fired = z >= critical and ratio > test.min_ratio
    spread = f", baseline extra spread cv {math.sqrt(cv2):.2f}" if cv2 else ""
    reason = (
        f"canary {fmt(rate_c)} vs baseline {fmt(rate_b)} ({round(e_c)}/{round(n_c)} vs "
        f"{round(e_b)}/{round(n_b)}): ratio {fmt(ratio)}, z {z:.2f} (p {p_value:.2g}){spread}; "
        f"fires at z >= {critical:.3g} and ratio > {test.min_ratio:g}"
    )
    return RuleOutcome(name, metric.name, fired, reason, z, critical, ratio)


def value_rules(
    metric: MetricSettings, baseline: WindowValues, canary: WindowValues
) -> list[RuleOutcome]:
    """Absolute bounds and ratio bounds on the canary's value for the whole period."""
    out: list[RuleOutcome] = []
    value = central(metric, canary)
    reference = central(metric, baseline)
    what = "pooled" if metric.counters is not None else "median"
    if metric.min_value is not None or metric.max_value is not None:
        if value is None:
            out.append(RuleOutcome(f"{metric.name}.bounds", metric.name, False, "no canary value"))
        if value is not None and metric.min_value is not None:
            out.append(
                RuleOutcome(
                    f"{metric.name}.floor",
                    metric.name,
                    value < metric.min_value,
                    f"canary {what} {fmt(value)}, floor {metric.min_value:g}",
                    value,
                    metric.min_value,
                )
            )
        if value is not None and metric.max_value is not None:
            out.append(
                RuleOutcome(
                    f"{metric.name}.ceiling",
                    metric.name,
                    value > metric.max_value,
                    f"canary {what} {fmt(value)}, ceiling {metric.max_value:g}",
                    value,
                    metric.max_value,
                )
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
) -> list[RuleOutcome]:
    """Every rule configured on `metric`; `counts_only` keeps the event-count rules (which
    carry their own significance) and skips the others (too little traffic to judge them)."""
    events = metric.counters is not None and metric.counters.events
    out: list[RuleOutcome] = []
    if metric.sigma is not None and (events or not counts_only):
        judge = consecutive_events if events else consecutive_values
        out.append(judge(metric, metric.sigma, baseline, canary))
    if metric.increase_test is not None:
        out.append(increase_test(metric, metric.increase_test, baseline, canary))
    if not counts_only:
        out += value_rules(metric, baseline, canary)
    return out
