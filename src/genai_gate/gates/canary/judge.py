"""The canary judge: the rollback rules first, then a Kayenta-style second opinion.

Decision, in this order:

1. Any rule of `rules.py` that fires rolls back (too little traffic: only the event-count rules,
   which carry their own significance, are judged). The decision names the rules.
2. Windows without their scrapes on either side (gaps, a stale tail, a missing traffic counter)
   hold: missing traffic never promotes. Too little traffic holds.
3. Kayenta, per metric (canary against baseline, one point per window): NaN / infinite points
   are removed or replaced by 0 (`nan_policy`); fewer than `min_samples` points is `nodata`;
   identical samples pass; otherwise the two-sided Mann-Whitney test gives a confidence interval
   of the shift, and with bounds +-tolerance x |Hodges-Lehmann effect| the metric is High when
   the interval lies above the upper bound and the mean ratio exceeds `allowed_increase` (Low
   symmetrically), counted only in the harmful `direction`. A harmful critical metric rolls back;
   `nodata` holds; the score is the weighted mean over groups of each group's share of passing
   metrics (0-100): an intermediate step promotes when it exceeds `marginal_score`, else rolls
   back; the final step promotes at `pass_score`, holds between the two, rolls back at or below
   the marginal score.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from genai_gate.gates.canary.collect import WindowValues
from genai_gate.gates.canary.rules import RuleOutcome, evaluate, ratio_of
from genai_gate.gates.canary.runs import LookRuns
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
    rules: list[RuleOutcome] = field(default_factory=list)
    decided_by: list[str] = field(default_factory=list)
    """Rules (or `coverage`, `traffic`, `kayenta.*`) that made the decision."""


def clean(values: Sequence[float], policy: str) -> tuple[list[float], int]:
    """Apply the NaN policy; returns the points kept and how many were not finite."""
    bad = sum(1 for v in values if not math.isfinite(v))
    if policy == "replace":
        return [v if math.isfinite(v) else 0.0 for v in values], bad
    return [v for v in values if math.isfinite(v)], bad


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
    evidence: dict[str, Any] = {
        "baseline": b_stats,
        "canary": c_stats,
        "dropped": (dropped_b, dropped_c),
    }
    if len(baseline) < metric.min_samples or len(canary) < metric.min_samples:
        return MetricVerdict(
            metric,
            Classification.NODATA,
            f"too few points (baseline {len(baseline)}, canary {len(canary)}, "
            f"need {metric.min_samples} each)",
            **evidence,
        )
    canary_mean, baseline_mean = statistics.fmean(canary), statistics.fmean(baseline)
    ratio = ratio_of(canary_mean, baseline_mean)
    identical = sorted(baseline) == sorted(canary) or len(set(baseline) | set(canary)) == 1
    test = None if identical else mann_whitney(canary, baseline, confidence)
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
    return MetricVerdict(metric, verdict, reason, test=test, mean_ratio=ratio, **evidence)


def score(verdicts: Sequence[MetricVerdict], weights: dict[str, float]) -> float:
    """Weighted mean over groups of each group's share of passing metrics, 0-100."""
    groups: dict[str, list[bool]] = {}
    for verdict in verdicts:
        name = verdict.metric.group or verdict.metric.name
        groups.setdefault(name, []).append(not verdict.harmful)
    total = sum(weights.get(name, 1.0) for name in groups)
    earned = sum(weights.get(name, 1.0) * sum(ok) / len(ok) for name, ok in groups.items())
    return round(100 * earned / total, 2)


def as_windows(values: Sequence[float]) -> WindowValues:
    """Plain per-window values (every window has one)."""
    return WindowValues(list(values))


def _rule_text(outcomes: Sequence[RuleOutcome]) -> str:
    return "; ".join(f"{o.rule}: {o.reason}" for o in outcomes)


def judge(
    settings: CanarySettings,
    step: int,
    series: dict[str, tuple[WindowValues, WindowValues]],
    too_little_traffic: str | None = None,
    missing_data: str | None = None,
    look: LookRuns | None = None,
) -> Judgement:
    """Evaluate the rules and classify every metric from `series[name] = (baseline, canary)`
    (`look`: the look of an extended step being judged)."""
    rules = [
        outcome
        for metric in settings.metrics
        for outcome in evaluate(
            metric, *series[metric.name], counts_only=bool(too_little_traffic), look=look
        )
    ]
    verdicts = [
        classify(metric, baseline.points(), canary.points(), settings.confidence)
        for metric in settings.metrics
        for baseline, canary in [series[metric.name]]
    ]
    fired = [o for o in rules if o.fired]
    if fired:
        total = None if too_little_traffic else score(verdicts, settings.groups)
        reason = f"rule(s) fired: {_rule_text(fired)}"
        return Judgement(
            verdicts, total, Decision.ROLLBACK, reason, rules=rules,
            decided_by=[o.rule for o in fired],
        )  # fmt: skip
    for problem, by in ((missing_data, "coverage"), (too_little_traffic, "traffic")):
        if problem:
            return Judgement(verdicts, None, Decision.HOLD, problem, rules=rules, decided_by=[by])
    critical = [v.metric.name for v in verdicts if v.harmful and v.metric.critical]
    total = score(verdicts, settings.groups)
    if critical:
        reason = f"critical metric(s) failed: {', '.join(critical)}"
        return Judgement(
            verdicts, total, Decision.ROLLBACK, reason, critical, rules,
            [f"kayenta.{name}" for name in critical],
        )  # fmt: skip
    nodata = [v.metric.name for v in verdicts if v.classification is Classification.NODATA]
    if nodata:
        return Judgement(
            verdicts, None, Decision.HOLD, f"inconclusive: {', '.join(nodata)}", rules=rules,
            decided_by=[f"kayenta.{name}" for name in nodata],
        )  # fmt: skip
    final = step >= settings.final_step()
    if final and total >= settings.pass_score:
        decision, reason = Decision.PROMOTE, f"score {total:g} >= {settings.pass_score:g}"
    elif not final and total > settings.marginal_score:
        decision, reason = Decision.PROMOTE, f"score {total:g} > {settings.marginal_score:g}"
    elif final and total > settings.marginal_score:
        decision = Decision.HOLD
        reason = f"final step: score {total:g} is marginal (needs {settings.pass_score:g})"
    else:
        decision, reason = Decision.ROLLBACK, f"score {total:g} <= {settings.marginal_score:g}"
    return Judgement(verdicts, total, decision, reason, rules=rules, decided_by=["kayenta.score"])
