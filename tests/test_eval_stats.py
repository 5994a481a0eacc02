"""Eval statistics: Wilson and bootstrap intervals, paired bootstrap and sign tests."""

from __future__ import annotations

import numpy as np
import pytest

from genai_gate.gates.eval.stats import (
    Interval,
    bootstrap_mean,
    paired_bootstrap,
    sign_test,
    weighted_mean,
    wilson,
)


def test_wilson_matches_the_textbook_values() -> None:
    interval = wilson(8, 10, 0.95)  # Wilson 95% for 8/10: [0.4902, 0.9433]
    assert interval.low == pytest.approx(0.4902, abs=1e-4)
    assert interval.high == pytest.approx(0.9433, abs=1e-4)
    full = wilson(10, 10, 0.95)
    assert full.high == pytest.approx(1.0) and full.low == pytest.approx(0.7225, abs=1e-4)


def test_bootstrap_interval_contains_the_mean_and_is_reproducible() -> None:
    values = [1.0] * 8 + [0.0] * 2
    weights = [1.0] * 10
    first = bootstrap_mean(values, weights, 0.95, 2000, seed=1)
    assert first == bootstrap_mean(values, weights, 0.95, 2000, seed=1)
    assert first.low < 0.8 < first.high
    assert 0.4 <= first.low <= 0.6 and first.high == 1.0
    constant = bootstrap_mean([0.7] * 5, [1.0] * 5, 0.95, 500, seed=0)
    assert constant.low == pytest.approx(0.7) and constant.high == pytest.approx(0.7)


def test_bootstrap_matches_the_weighted_resampling_and_skips_constant_scores() -> None:
    values = [round(0.1 * (i % 7), 1) for i in range(200)]
    weights = [1.0 + i % 3 for i in range(200)]
    interval = bootstrap_mean(values, weights, 0.9, 1000, seed=3)
    data, w = np.asarray(values), np.asarray(weights)
    index = np.random.default_rng(3).integers(0, 200, size=(1000, 200))
    means = (data[index] * w[index]).sum(axis=1) / w[index].sum(axis=1)
    low, high = np.quantile(means, [0.05, 0.95])
    assert (interval.low, interval.high) == pytest.approx((low, high), abs=1e-12)
    assert bootstrap_mean([1.0] * 500, [2.0] * 500, 0.95, 2000, seed=0) == Interval(
        1.0, 1.0, "bootstrap", 0.95
    )
    zero = bootstrap_mean([1.0, 1.0], [0.0, 1.0], 0.95, 500, seed=0)  # a resample may weigh 0
    assert zero.low == 0.0 and zero.high == 1.0


def test_weighted_mean() -> None:
    assert weighted_mean([1.0, 0.0], [3.0, 1.0]) == 0.75
    assert weighted_mean([], []) == 0.0


def test_paired_bootstrap_flags_a_consistent_drop_only() -> None:
    base = [1.0] * 30
    head = [1.0] * 20 + [0.0] * 10
    drop = paired_bootstrap(base, head, alpha=0.05, samples=2000, seed=0)
    assert drop.significant_regression and drop.worse == 10 and drop.p_value < 0.01
    one = paired_bootstrap(base, [1.0] * 29 + [0.8], alpha=0.05, samples=2000, seed=0)
    assert not one.significant_regression and one.mean_delta < 0
    same = paired_bootstrap(base, base, alpha=0.05, samples=2000, seed=0)
    assert same.p_value == 1.0 and not same.significant_regression
    better = paired_bootstrap(head, base, alpha=0.05, samples=2000, seed=0)
    assert not better.significant_regression and better.mean_delta > 0


def test_sign_test_exact_binomial() -> None:
    base = [1.0] * 12
    head = [0.0] * 6 + [1.0] * 6  # 6 worse, 0 better: p = 0.5 ** 6
    test = sign_test(base, head, alpha=0.05)
    assert test.p_value == pytest.approx(0.5**6)
    assert test.significant_regression
    mixed = sign_test([0.5] * 4, [0.0, 0.0, 1.0, 1.0], alpha=0.05)
    assert mixed.p_value > 0.5 and not mixed.significant_regression
