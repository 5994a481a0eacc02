"""Eval statistics: Wilson and bootstrap intervals, paired bootstrap and sign tests."""

from __future__ import annotations

import numpy as np
import pytest

from genai_gate.gates.eval import stats
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


def _all_at_once_paired_p(base: list[float], head: list[float], samples: int, seed: int) -> float:
    """The implementation before chunking: every resample drawn in one samples x cases matrix."""
    delta = np.asarray(head) - np.asarray(base)
    index = np.random.default_rng(seed).integers(0, delta.size, size=(samples, delta.size))
    return (int((delta[index].mean(axis=1) >= 0).sum()) + 1) / (samples + 1)


@pytest.mark.parametrize("chunk_draws", [7, 1000, 1 << 20])
def test_chunked_bootstraps_give_the_figures_of_the_one_matrix_draw(
    monkeypatch: pytest.MonkeyPatch, chunk_draws: int
) -> None:
    monkeypatch.setattr(stats, "CHUNK_DRAWS", chunk_draws)  # several chunks, odd sizes
    rng = np.random.default_rng(11)
    base = list(rng.random(300))
    head = [b - 0.03 * r for b, r in zip(base, rng.random(300), strict=True)]
    test = paired_bootstrap(base, head, 0.05, 1001, seed=4)
    assert test.p_value == _all_at_once_paired_p(base, head, 1001, 4)
    assert test.mean_delta == float(np.mean(np.asarray(head) - np.asarray(base)))
    values = [round(0.1 * (i % 7), 1) for i in range(200)]
    weights = [1.0 + i % 3 for i in range(200)]
    data, w = np.asarray(values), np.asarray(weights)
    index = np.random.default_rng(3).integers(0, 200, size=(999, 200))
    means = (data[index] * w[index]).sum(axis=1) / w[index].sum(axis=1)
    interval = bootstrap_mean(values, weights, 0.9, 999, seed=3)
    tail = (1 - 0.9) / 2  # as computed before the change
    assert (interval.low, interval.high) == tuple(np.quantile(means, [tail, 1 - tail]))


def test_without_numpy_the_bootstraps_agree_with_scipy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pure-Python path (numpy not installed) against scipy.stats.bootstrap as the oracle."""
    scipy_stats = pytest.importorskip("scipy.stats")
    monkeypatch.setattr(stats, "_numpy", lambda: None)
    rng = np.random.default_rng(5)
    base = list(rng.random(400))
    head = [b - 0.04 * r for b, r in zip(base, rng.random(400), strict=True)]
    delta = np.asarray(head) - np.asarray(base)
    oracle = scipy_stats.bootstrap(
        (delta + 0.019,), np.mean, n_resamples=20000, method="percentile", random_state=1
    )
    shifted = [h + 0.019 for h in head]  # a shift that puts P(mean >= 0) in the middle
    ours = paired_bootstrap(base, shifted, 0.05, 20000, seed=2)
    expected = (int((oracle.bootstrap_distribution >= 0).sum()) + 1) / 20001
    assert 0.02 < expected < 0.98
    assert ours.p_value == pytest.approx(expected, abs=0.02)
    assert ours == paired_bootstrap(base, shifted, 0.05, 20000, seed=2)  # reproducible
    scores = list(rng.random(300))
    interval = bootstrap_mean(scores, [1.0] * 300, 0.9, 4000, seed=8)
    ci = scipy_stats.bootstrap(
        (np.asarray(scores),),
        np.mean,
        confidence_level=0.9,
        n_resamples=4000,
        method="percentile",
        random_state=3,
    ).confidence_interval
    assert interval.low == pytest.approx(ci.low, abs=0.006)
    assert interval.high == pytest.approx(ci.high, abs=0.006)
    assert interval.method == "bootstrap" and interval.confidence == 0.9
