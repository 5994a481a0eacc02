"""The canary judge's Mann-Whitney implementation, cross-checked against scipy."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from genai_gate.gates.canary.stats import (
    average_ranks,
    binomial_sf,
    chi_square_quantile,
    hodges_lehmann,
    mann_whitney,
    negative_binomial_sf,
    poisson_sf,
    poisson_upper_mean,
    student_t_isf,
)

scipy_stats = pytest.importorskip("scipy.stats")


def _samples(seed: int, nx: int, ny: int, shift: float) -> tuple[list[float], list[float]]:
    """Values on a 0.1 grid, so ties are frequent (tie correction matters)."""
    rng = random.Random(seed)
    x = [round(rng.gauss(shift, 1), 1) for _ in range(nx)]
    y = [round(rng.gauss(0, 1), 1) for _ in range(ny)]
    return x, y


def _scipy_p(x: list[float], y: list[float]) -> float:
    return scipy_stats.mannwhitneyu(
        x, y, use_continuity=True, alternative="two-sided", method="asymptotic"
    ).pvalue


@pytest.mark.parametrize("seed", range(12))
def test_u_and_p_value_match_scipy(seed: int) -> None:
    rng = random.Random(seed)
    x, y = _samples(seed, rng.randint(5, 40), rng.randint(5, 40), rng.choice([0, 0.5, 1.5]))
    result = mann_whitney(x, y)
    expected = scipy_stats.mannwhitneyu(
        x, y, use_continuity=True, alternative="two-sided", method="asymptotic"
    )
    assert result.u == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-9)


def test_heavily_tied_counts_match_scipy() -> None:
    x = [0, 0, 0, 1, 1, 2, 0, 3, 0, 1]
    y = [0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]
    assert mann_whitney(x, y).p_value == pytest.approx(_scipy_p(x, y), rel=1e-9)


@pytest.mark.parametrize("seed", range(8))
def test_confidence_interval_inverts_the_test(seed: int) -> None:
    """Just inside the 98% interval the shifted test accepts; just outside it rejects."""
    x, y = _samples(seed, 15, 20, 0.8)
    result = mann_whitney(x, y, confidence=0.98)
    eps = 0.01  # pairwise differences lie on a 0.1 grid
    assert result.lower < result.estimate < result.upper
    for inside, outside in (
        (result.lower + eps, result.lower - eps),
        (result.upper - eps, result.upper + eps),
    ):
        assert _scipy_p([v - inside for v in x], y) > 0.02
        assert _scipy_p([v - outside for v in x], y) < 0.02


def test_wider_interval_at_higher_confidence() -> None:
    x, y = _samples(3, 20, 20, 1.0)
    narrow, wide = mann_whitney(x, y, 0.9), mann_whitney(x, y, 0.99)
    assert wide.lower <= narrow.lower < narrow.upper <= wide.upper
    assert wide.upper - wide.lower > narrow.upper - narrow.lower


def test_hodges_lehmann_is_median_of_pairwise_differences() -> None:
    x, y = _samples(5, 9, 14, 0.7)
    assert hodges_lehmann(x, y) == pytest.approx(statistics.median(a - b for a in x for b in y))
    assert hodges_lehmann([5.0, 6.0, 7.0], [1.0, 2.0, 3.0]) == 4.0


def test_average_ranks_match_scipy() -> None:
    values = [3.0, 1.0, 3.0, 2.0, 3.0, 0.5, 1.0]
    ranks, ties = average_ranks(values)
    assert ranks == list(scipy_stats.rankdata(values))
    assert sorted(ties) == [1, 1, 2, 3]


def test_shift_is_detected_and_null_is_not() -> None:
    x, y = _samples(11, 30, 30, 2.0)
    assert mann_whitney(x, y).p_value < 0.001
    assert mann_whitney(x, y).lower > 0
    same = mann_whitney(y[:15], y[15:])
    assert same.lower < 0 < same.upper or same.lower == same.upper == 0


def test_empty_sample_is_rejected() -> None:
    with pytest.raises(ValueError):
        mann_whitney([], [1.0, 2.0])


@pytest.mark.parametrize(
    ("k", "lam"), [(0, 3.0), (1, 0.2), (5, 3.0), (30, 4.0), (120, 100.0), (90, 100.0),
                   (10400, 10000.0), (12500, 12000.0)]
)  # fmt: skip
def test_poisson_tail_matches_scipy(k: int, lam: float) -> None:
    assert poisson_sf(k, lam) == pytest.approx(scipy_stats.poisson.sf(k - 1, lam), rel=2e-3)


@pytest.mark.parametrize(
    ("k", "n", "p"), [(3, 3, 0.05), (20, 100, 0.2), (12, 100, 0.2), (0, 5, 0.5)]
)
def test_binomial_tail_matches_scipy(k: int, n: int, p: float) -> None:
    assert binomial_sf(k, n, p) == pytest.approx(scipy_stats.binom.sf(k - 1, n, p), rel=1e-9)


@pytest.mark.parametrize("df", [1, 2, 3, 4, 9, 9.7, 30, 60, 200, math.inf])
@pytest.mark.parametrize("p", [0.01, 0.001])
def test_student_t_quantile_matches_scipy_and_rounds_df_down(df: float, p: float) -> None:
    exact_df = math.floor(df) if df < 60 else df
    assert student_t_isf(p, df) == pytest.approx(scipy_stats.t.isf(p, exact_df), rel=1e-5)


@pytest.mark.parametrize("events", [0, 1, 7, 49, 50, 400, 11000])
def test_poisson_upper_limit_matches_the_chi_square_quantile(events: int) -> None:
    garwood = scipy_stats.chi2.ppf(0.99, 2 * (events + 1)) / 2
    assert poisson_upper_mean(events, 0.01) == pytest.approx(garwood, rel=1e-3)


@pytest.mark.parametrize(
    ("k", "mean", "cv2"), [(10, 3.0, 0.25), (150, 60.0, 0.25), (5, 8.0, 0.5), (40, 10.0, 1.0),
                           (300, 100.0, 0.01), (7, 3.0, 0.0)]
)  # fmt: skip
def test_negative_binomial_tail_matches_scipy(k: int, mean: float, cv2: float) -> None:
    if cv2 == 0:
        oracle = scipy_stats.poisson.sf(k - 1, mean)
    else:
        shape = 1 / cv2
        oracle = scipy_stats.nbinom.sf(k - 1, shape, shape / (shape + mean))
    assert negative_binomial_sf(k, mean, cv2) == pytest.approx(oracle, rel=1e-9)


@pytest.mark.parametrize("df", [4, 9, 20, 60])
@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_chi_square_quantile_is_close_to_scipy(df: int, p: float) -> None:
    assert chi_square_quantile(p, df) == pytest.approx(scipy_stats.chi2.ppf(p, df), rel=0.01)
