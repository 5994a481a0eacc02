"""Metric classification, score and step decision of the canary judge."""

from __future__ import annotations

import math

import pytest

from genai_gate.gates.canary.collect import WindowValues
from genai_gate.gates.canary.judge import (
    Classification,
    Decision,
    as_windows,
    classify,
    judge,
    score,
)
from genai_gate.gates.canary.rules import evaluate
from genai_gate.gates.canary.settings import CanarySettings, ConsecutiveRule, MetricSettings

BASE = [0.010, 0.012, 0.009, 0.011, 0.010, 0.013, 0.008, 0.011, 0.010, 0.012]
UP_3X = [v * 3 for v in BASE]


def metric(**changes: object) -> MetricSettings:
    return MetricSettings(name="m", query="up", **changes)


def test_clear_increase_is_high_only_in_harmful_direction() -> None:
    assert classify(metric(direction="increase"), BASE, UP_3X, 0.98).classification is (
        Classification.HIGH
    )
    assert classify(metric(direction="either"), BASE, UP_3X, 0.98).classification is (
        Classification.HIGH
    )
    verdict = classify(metric(direction="decrease"), BASE, UP_3X, 0.98)
    assert verdict.classification is Classification.PASS
    assert verdict.test is not None and verdict.test.lower > 0


def test_decrease_is_low() -> None:
    lower = [v / 2 for v in BASE]
    assert classify(metric(direction="decrease"), BASE, lower, 0.98).classification is (
        Classification.LOW
    )


def test_allowed_ratio_tolerates_small_increase() -> None:
    up_40 = [v * 1.4 for v in BASE]
    assert classify(metric(direction="increase"), BASE, up_40, 0.98).classification is (
        Classification.HIGH
    )
    tolerant = metric(direction="increase", allowed_increase=1.5)
    assert classify(tolerant, BASE, up_40, 0.98).classification is Classification.PASS
    up_60 = [v * 1.6 for v in BASE]
    assert classify(tolerant, BASE, up_60, 0.98).classification is Classification.HIGH


def test_identical_and_constant_data_pass() -> None:
    verdict = classify(metric(), BASE, list(reversed(BASE)), 0.98)
    assert verdict.classification is Classification.PASS and verdict.test is None
    assert classify(metric(), [0.0] * 6, [0.0] * 6, 0.98).classification is Classification.PASS


def test_too_few_points_is_nodata_and_nan_policy() -> None:
    canary = [math.nan] * 7 + [0.03, 0.031, 0.029]
    verdict = classify(metric(direction="increase"), BASE, canary, 0.98)
    assert verdict.classification is Classification.NODATA
    assert verdict.dropped == (0, 7)
    replaced = classify(metric(direction="increase", nan_policy="replace"), BASE, canary, 0.98)
    assert replaced.classification is not Classification.NODATA
    assert replaced.canary.count == 10
    infinite = [math.inf] * 6 + BASE[:4]
    assert classify(metric(), BASE, infinite, 0.98).classification is Classification.NODATA


def test_absolute_floor_rolls_back_even_without_a_baseline_difference() -> None:
    quality = [0.7, 0.72, 0.69, 0.71, 0.7, 0.7]
    floor = metric(direction="decrease", min_value=0.75)
    assert classify(floor, quality, quality, 0.98).classification is Classification.PASS
    (outcome,) = evaluate(floor, as_windows(quality), as_windows(quality))
    assert outcome.rule == "m.floor" and outcome.fired
    assert outcome.reason == "canary median 0.7, floor 0.75"


def test_consecutive_rule_fires_on_its_own() -> None:
    """The seed's rule no longer waits for the Mann-Whitney test to agree."""
    baseline = [0.010, 0.011, 0.009, 0.010, 0.012, 0.008, 0.010, 0.011, 0.009, 0.010]
    # Two windows in a row far above mean + 2 sd: too few to move the rank test.
    canary = [0.010, 0.009, 0.011, 0.050, 0.060, 0.010, 0.009, 0.010, 0.011, 0.010]
    rule = metric(direction="increase", sigma=ConsecutiveRule(k=2, consecutive=2))
    assert classify(rule, baseline, canary, 0.98).classification is Classification.PASS
    (outcome,) = evaluate(rule, as_windows(baseline), as_windows(canary))
    assert outcome.fired and outcome.value == 2
    assert "2 window(s) in a row above 0.01231 (baseline mean ± 2 sd)" in outcome.reason
    strict = metric(direction="increase", sigma=ConsecutiveRule(k=2, consecutive=3))
    assert not evaluate(strict, as_windows(baseline), as_windows(canary))[0].fired
    decision = judge(
        CanarySettings(metrics=[rule]), 5, {"m": (as_windows(baseline), as_windows(canary))}
    )
    assert decision.decision is Decision.ROLLBACK and decision.decided_by == ["m.consecutive"]


def _settings(**changes: object) -> CanarySettings:
    return CanarySettings(
        metrics=[
            MetricSettings(name="errors", query="e", direction="increase"),
            MetricSettings(name="latency", query="l", direction="increase"),
            MetricSettings(name="cost", query="c", direction="increase", critical=True),
            MetricSettings(name="quality", query="q", direction="decrease", group="quality"),
        ],
        **changes,
    )


def _series(**bad: list[float]) -> dict[str, tuple[WindowValues, WindowValues]]:
    names = ["errors", "latency", "cost", "quality"]
    return {
        name: (as_windows(BASE), as_windows(bad.get(name, list(reversed(BASE))))) for name in names
    }


def test_healthy_promotes_at_every_step() -> None:
    settings = _settings()
    for step in settings.steps:
        judgement = judge(settings, step, _series())
        assert judgement.decision is Decision.PROMOTE
        assert judgement.score == 100


def test_critical_metric_rolls_back_whatever_the_score() -> None:
    judgement = judge(_settings(), 5, _series(cost=UP_3X))
    assert judgement.decision is Decision.ROLLBACK
    assert judgement.critical_failures == ["cost"]
    assert judgement.score == 75


def test_intermediate_needs_more_than_marginal_final_needs_pass() -> None:
    settings = _settings(groups={"errors": 2, "latency": 2, "cost": 2, "quality": 4})
    one_bad = _series(errors=UP_3X)  # score 80
    assert judge(settings, 25, one_bad).decision is Decision.PROMOTE
    final = judge(settings, 50, one_bad)  # 50 is the last step below 100
    assert final.decision is Decision.HOLD and final.score == 80
    two_bad = _series(errors=UP_3X, latency=UP_3X)  # score 60
    assert judge(settings, 5, two_bad).decision is Decision.ROLLBACK
    assert judge(settings, 50, two_bad).decision is Decision.ROLLBACK
    equal_weights = _settings()
    assert judge(equal_weights, 5, one_bad).score == 75
    assert judge(equal_weights, 5, one_bad).decision is Decision.ROLLBACK  # needs > 75


def test_inconclusive_and_low_traffic_hold() -> None:
    settings = _settings()
    nodata = _series(latency=[math.nan] * 10)
    judgement = judge(settings, 5, nodata)
    assert judgement.decision is Decision.HOLD and "latency" in judgement.reason
    quiet = judge(settings, 5, _series(cost=UP_3X), too_little_traffic="too little traffic")
    assert quiet.decision is Decision.HOLD and quiet.score is None


def test_score_weights_groups() -> None:
    settings = _settings(groups={"quality": 3})
    verdicts = judge(settings, 5, _series(quality=[v / 3 for v in BASE])).verdicts
    assert [v.classification for v in verdicts][-1] is Classification.LOW
    assert score(verdicts, settings.groups) == pytest.approx(50.0)
