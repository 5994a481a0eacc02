"""The canary judge: classify each metric like Kayenta, score the run, decide the step.

Per metric (canary against baseline):

1. NaN / infinite points are removed or replaced by 0 (`nan_policy`); fewer than `min_samples`
   points on either side is `nodata` (inconclusive: the step holds).
2. An absolute bound (`min_value` / `max_value`) on the canary mean is the seed's quality floor:
   beyond it the metric is Low / High whatever the baseline does.
3. Identical samples, or all values equal, pass. Otherwise the two-sided Mann-Whitney test gives
   a confidence interval of the shift; with bounds +-tolerance x |Hodges-Lehmann effect|, the
   metric is High when the interval lies above the upper bound and the mean ratio exceeds
   `allowed_increase` (Low symmetrically), counted only in the harmful `direction`.
4. When a `sigma` rule is set (the seed's "baseline + 2 sigma, two consecutive breaches"), a High
   or Low from the test stands only if the canary series also breaches it.

The score is the weighted mean over groups of each group's share of passing metrics (0-100).
Decision: too little traffic holds; a harmful critical metric rolls back; any other inconclusive
metric holds; an intermediate step promotes when the score exceeds `marginal_score`, else rolls
back; the final step promotes at `pass_score` or above, holds between the two, and rolls back at
or below the marginal score.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from genai_gate.gates.canary.settings import CanarySettings, MetricSettings
from genai_gate.gates.canary.stats import MannWhitneyResult, mann_whitney


class Classification(str, Enum):
    """Verdict on one metric."""

    PASS = "pass"
    HIGH = "high"
    LOW = "low"
    NODATA = "nodata"


class Decision(str, Enum):
    """What to do with the canary after this step."""

    PROMOTE = "promote"
    HOLD = "hold"
    ROLLBACK = "rollback"


@dataclass(frozen=True)
class SampleStats:
    """Summary of one side's points."""

    count: int
    mean: float | None
    median: float | None
    stdev: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> SampleStats:
        """Statistics of `values` (None where undefined)."""
        if not values:
            return cls(0, None, None, None)
        stdev = statistics.stdev(values) if len(values) > 1 else None
        return cls(len(values), statistics.fmean(values), statistics.median(values), stdev)


@dataclass(frozen=True)
class MetricVerdict:
    """Classification of one metric with its evidence."""

    metric: MetricSettings
    classification: Classification
    reason: str
    baseline: SampleStats
    canary: SampleStats
    dropped: tuple[int, int] = (0, 0)
    """NaN / infinite points removed from (baseline, canary)."""
    test: MannWhitneyResult | None = None
    mean_ratio: float | None = None
    sigma_run: int | None = None
    """Longest run of consecutive canary points beyond the sigma band, when a rule is set."""

    @property
    def harmful(self) -> bool:
        """High or Low (only harmful directions are ever classified so)."""
        return self.classification in (Classification.HIGH, Classification.LOW)


@dataclass(frozen=True)
class Judgement:
    """The whole step: verdicts, score and decision."""

    verdicts: list[MetricVerdict]
    score: float | None
    decision: Decision
    reason: str
    critical_failures: list[str] = field(default_factory=list)


def clean(values: Sequence[float], policy: str) -> tuple[list[float], int]:
    """Apply the NaN policy; returns the points kept and how many were not finite."""
    bad = sum(1 for v in values if not math.isfinite(v))
    if policy == "replace":
        return [v if math.isfinite(v) else 0.0 for v in values], bad
    return [v for v in values if math.isfinite(v)], bad


def mean_ratio(canary_mean: float, baseline_mean: float) -> float:
    """canary / baseline mean; infinite (or 1 when both are 0) for a zero baseline."""
    if baseline_mean == 0:
        return 1.0 if canary_mean == 0 else math.copysign(math.inf, canary_mean)
    return canary_mean / baseline_mean


def sigma_run(baseline: Sequence[float], canary: Sequence[float], k: float, high: bool) -> int:
    """Longest run of canary points above mean + k sd (below mean - k sd when not `high`)."""
    centre = statistics.fmean(baseline)
    spread = statistics.stdev(baseline) if len(baseline) > 1 else 0.0
    limit = centre + k * spread if high else centre - k * spread
    longest = run = 0
    for value in canary:
        run = run + 1 if (value > limit if high else value < limit) else 0
        longest = max(longest, run)
    return longest


def _bound_breach(metric: MetricSettings, canary_mean: float) -> tuple[Classification, str] | None:
    if metric.min_value is not None and canary_mean < metric.min_value:
        return Classification.LOW, f"canary mean {canary_mean:.4g} below floor {metric.min_value:g}"
    if metric.max_value is not None and canary_mean > metric.max_value:
        return (
            Classification.HIGH,
            f"canary mean {canary_mean:.4g} above ceiling {metric.max_value:g}",
        )
    return None


def classify(
    metric: MetricSettings,
    baseline_points: Sequence[float],
    canary_points: Sequence[float],
    confidence: float,
) -> MetricVerdict:
    """Classify one metric from its baseline and canary points (in time order)."""
    baseline, dropped_b = clean(baseline_points, metric.nan_policy)
    canary, dropped_c = clean(canary_points, metric.nan_policy)
    b_stats, c_stats = SampleStats.of(baseline), SampleStats.of(canary)
    evidence = {"baseline": b_stats, "canary": c_stats, "dropped": (dropped_b, dropped_c)}
    if len(baseline) < metric.min_samples or len(canary) < metric.min_samples:
        return MetricVerdict(
            metric,
            Classification.NODATA,
            f"too few points (baseline {len(baseline)}, canary {len(canary)}, "
            f"need {metric.min_samples} each)",
            **evidence,
        )
    canary_mean, baseline_mean = statistics.fmean(canary), statistics.fmean(baseline)
    ratio = mean_ratio(canary_mean, baseline_mean)
    identical = sorted(baseline) == sorted(canary) or len(set(baseline) | set(canary)) == 1
    test = None if identical else mann_whitney(canary, baseline, confidence)
    breach = _bound_breach(metric, canary_mean)
    if breach is not None:
        return MetricVerdict(metric, *breach, test=test, mean_ratio=ratio, **evidence)
    if test is None:
        return MetricVerdict(
            metric, Classification.PASS, "identical data", mean_ratio=ratio, **evidence
        )
    margin = metric.tolerance * abs(test.estimate)
    increase = metric.direction in ("increase", "either")
    decrease = metric.direction in ("decrease", "either")
    verdict = Classification.PASS
    reason = "no harmful difference"
    if increase and test.lower > margin and ratio > metric.allowed_increase:
        verdict, reason = Classification.HIGH, f"canary higher (mean ratio {ratio:.3g})"
    elif decrease and test.upper < -margin and ratio < metric.allowed_decrease:
        verdict, reason = Classification.LOW, f"canary lower (mean ratio {ratio:.3g})"
    run = None
    if metric.sigma is not None:
        high = verdict is Classification.HIGH or (verdict is Classification.PASS and increase)
        run = sigma_run(baseline, canary, metric.sigma.k, high)
        if verdict is not Classification.PASS and run < metric.sigma.consecutive:
            verdict = Classification.PASS
            reason = (
                f"test significant but only {run} consecutive point(s) beyond baseline "
                f"{metric.sigma.k:g} sigma (need {metric.sigma.consecutive})"
            )
    return MetricVerdict(
        metric, verdict, reason, test=test, mean_ratio=ratio, sigma_run=run, **evidence
    )


def score(verdicts: Sequence[MetricVerdict], weights: dict[str, float]) -> float:
    """Weighted mean over groups of each group's share of passing metrics, 0-100."""
    groups: dict[str, list[bool]] = {}
    for verdict in verdicts:
        name = verdict.metric.group or verdict.metric.name
        groups.setdefault(name, []).append(not verdict.harmful)
    total = sum(weights.get(name, 1.0) for name in groups)
    earned = sum(weights.get(name, 1.0) * sum(ok) / len(ok) for name, ok in groups.items())
    return round(100 * earned / total, 2)


def judge(
    settings: CanarySettings,
    step: int,
    series: dict[str, tuple[Sequence[float], Sequence[float]]],
    too_little_traffic: str | None = None,
) -> Judgement:
    """Classify every metric from `series[name] = (baseline, canary)` and decide the step."""
    verdicts = [
        classify(metric, *series[metric.name], settings.confidence) for metric in settings.metrics
    ]
    if too_little_traffic:
        return Judgement(verdicts, None, Decision.HOLD, too_little_traffic)
    critical = [v.metric.name for v in verdicts if v.harmful and v.metric.critical]
    if critical:
        reason = f"critical metric(s) failed: {', '.join(critical)}"
        total = score(verdicts, settings.groups)
        return Judgement(verdicts, total, Decision.ROLLBACK, reason, critical)
    nodata = [v.metric.name for v in verdicts if v.classification is Classification.NODATA]
    if nodata:
        return Judgement(verdicts, None, Decision.HOLD, f"inconclusive: {', '.join(nodata)}")
    total = score(verdicts, settings.groups)
    final = step >= settings.final_step()
    if final and total >= settings.pass_score:
        reason = f"score {total:g} >= {settings.pass_score:g}"
        return Judgement(verdicts, total, Decision.PROMOTE, reason)
    if not final and total > settings.marginal_score:
        return Judgement(
            verdicts, total, Decision.PROMOTE, f"score {total:g} > {settings.marginal_score:g}"
        )
    if final and total > settings.marginal_score:
        return Judgement(
            verdicts,
            total,
            Decision.HOLD,
            f"final step: score {total:g} is marginal (needs {settings.pass_score:g})",
        )
    return Judgement(
        verdicts, total, Decision.ROLLBACK, f"score {total:g} <= {settings.marginal_score:g}"
    )
