"""Counter windows, coverage and the rollback rules, on hand-made data (scipy as the oracle)."""

from __future__ import annotations

import itertools
import math

import pytest

from genai_gate.gates.canary.collect import Coverage, Window, WindowValues, coverage, increases
from genai_gate.gates.canary.prometheus import Series
from genai_gate.gates.canary.rules import (
    SPREAD_CONFIDENCE,
    consecutive_events,
    extra_variance,
    increase_test,
    outage_stretch,
    paired_test,
)
from genai_gate.gates.canary.settings import ConsecutiveRule, IncreaseTest, default_metrics

scipy_stats = pytest.importorskip("scipy.stats")

WINDOW = Window(end=600.0, window_s=300, interval_s=60)  # windows (300, 360], ..., (540, 600]
ERRORS = default_metrics()[0]


def test_window_boundaries_belong_to_the_earlier_window() -> None:
    assert [WINDOW.index_of(t) for t in (300, 300.5, 360, 360.5, 600, 600.5)] == [
        None, 0, 0, 1, 4, None
    ]  # fmt: skip
    assert WINDOW.ends() == [360, 420, 480, 540, 600]


def test_increases_count_every_delta_once_with_resets_and_created_series() -> None:
    old = Series([0, 290, 305, 365, 425, 485, 545], [100, 110, 112, 120, 3, 9, 10])  # reset at 425
    born = Series([430, 490], [4, 6])  # created in the range: its first value counts from 0
    assert increases([old, born], WINDOW, read_from=0, scrape_s=15) == [2, 8, 3 + 4, 6 + 2, 1]


def test_coverage_names_a_stale_tail_and_a_gap() -> None:
    stamps = [300 + 5 + 15 * i for i in range(12)]  # scrapes only in the first 3 windows
    tail = coverage([Series(stamps, [0.0] * 12)], WINDOW, scrape_s=15, share=0.75)
    assert tail.samples == [4, 4, 4, 0, 0] and tail.missing == 2
    assert tail.problem("canary", WINDOW) == (
        "canary: no samples in the last 2 of 5 windows (newest sample 130 s before the end)"
    )
    gap = Coverage([4, 1, 4, 4, 4], expected=4, needed=3, last_sample=595)
    assert gap.problem("baseline", WINDOW) == (
        "baseline: 1 of 5 windows lack scrapes (need 3 of 4; window 2: 1/4)"
    )
    never = coverage([], WINDOW, scrape_s=15, share=0.75)
    assert never.problem("canary", WINDOW) == (
        "canary: no samples of the traffic counter in the 5 windows"
    )
    assert Coverage([4] * 5, 4, 3, 595).problem("canary", WINDOW) is None


def events(errors: list[float], requests: list[float]) -> WindowValues:
    return WindowValues([e / n for e, n in zip(errors, requests, strict=True)], errors, requests)


def test_increase_test_without_extra_spread_is_the_exact_conditional_binomial_test() -> None:
    baseline = events([10, 12, 9, 11, 10], [1000] * 5)
    canary = events([7, 6, 8, 7, 8], [250] * 5)
    outcome = increase_test(ERRORS, IncreaseTest(), baseline, canary)
    oracle = scipy_stats.binomtest(36, 36 + 52, 1250 / 6250, alternative="greater").pvalue
    assert f"p {oracle:.2g}" in outcome.reason
    assert outcome.fired and outcome.ratio == pytest.approx((36 / 1250) / (52 / 5000))
    fewer = events([5, 4, 6, 7, 5], [250] * 5)  # 2.1x, but 27 errors: p 0.0023, not enough
    assert not increase_test(ERRORS, IncreaseTest(), baseline, fewer).fired


def test_increase_test_is_the_log_rate_ratio_against_students_t_at_satterthwaites_df() -> None:
    """Recomputed with numpy and scipy: the log of the canary/baseline rate ratio over its
    delta-method standard error (Poisson at the pooled rate plus the baseline's relative extra
    spread), against Student's t whose df count the sampling noise of the baseline's window
    variance, Poisson part included."""
    np = pytest.importorskip("numpy")
    e_b = np.array([180.0, 260, 150, 310, 220, 140, 290, 200, 170, 250])
    e_c = np.array([19.0, 14, 22, 9, 17, 25, 12, 20, 16, 18])
    n_b, n_c, m = 22800.0, 1200.0, 10
    cv2 = (np.var(e_b, ddof=1) - e_b.mean()) / e_b.mean() ** 2
    pooled = (e_b.sum() + e_c.sum()) / (m * (n_b + n_c))
    variance = 1 / (pooled * m * n_b) + 1 / (pooled * m * n_c) + cv2 * 2 / m
    z = np.log((e_c.sum() / n_c) / (e_b.sum() / n_b)) / np.sqrt(variance)
    df = (m - 1) * (variance / (2 / m * (cv2 + 1 / (pooled * n_b)))) ** 2
    assert 9 < df < 60  # below 60 the gate's t quantile is exact at df rounded down
    critical = scipy_stats.t.isf(scipy_stats.norm.sf(2.88), np.floor(df))
    outcome = increase_test(
        ERRORS, IncreaseTest(), events(list(e_b), [n_b] * m), events(list(e_c), [n_c] * m)
    )
    assert outcome.value == pytest.approx(z, rel=1e-9)
    assert outcome.threshold == pytest.approx(critical, rel=1e-6)
    assert f"baseline extra spread cv {np.sqrt(cv2):.2f}" in outcome.reason
    assert f"fires at z >= {critical:.3g} (Student's t, {df:.3g} df)" in outcome.reason
    assert outcome.fired == (z >= critical) and not outcome.fired  # 1.6x, z 2.6: not enough
    doubled = events(list(2 * e_c), [n_c] * m)
    assert increase_test(ERRORS, IncreaseTest(), events(list(e_b), [n_b] * m), doubled).fired


@pytest.mark.parametrize(("canary", "baseline"), [(1200, 22800), (300, 300), (6000, 6000)])
def test_increase_test_keeps_its_level_with_independent_per_minute_noise(
    canary: int, baseline: int
) -> None:
    """Healthy canaries whose error rate moves minute by minute on its own (gamma, cv 0.5) on
    either side, ten windows: the test at a nominal 1% fires 0.5-1.5% of the time. (Judged on the
    difference of the rates, with the normal-theory df, it fired 2.8% with a production-sized
    baseline: the baseline's low minutes shrank the variance too.)"""
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(7)

    def side(requests: int) -> WindowValues:
        errors = rng.binomial(requests, 0.01 * rng.gamma(4.0, 0.25, 10)).astype(float)
        return events(list(errors), [float(requests)] * 10)

    test = IncreaseTest(z=float(scipy_stats.norm.isf(0.01)), paired_z=None)
    draws = 4000
    fired = [increase_test(ERRORS, test, side(baseline), side(canary)) for _ in range(draws)]
    assert 0.005 * draws <= sum(o.fired for o in fired) <= 0.015 * draws


def test_flapping_canary_cannot_hide_behind_its_own_spread() -> None:
    baseline = events([3, 3, 2, 4, 3, 3, 3, 2, 4, 3], [300] * 10)
    flapping = events([30, 0] * 5, [300] * 10)  # 10% every other window: 5x on average
    outcome = increase_test(ERRORS, IncreaseTest(), baseline, flapping)
    assert outcome.fired and outcome.ratio == pytest.approx(5.0)


def test_noisy_baseline_widens_the_test_and_raises_the_critical_value() -> None:
    noisy = events([10, 25, 5, 18, 8, 30, 12, 6, 20, 16], [1000] * 10)
    canary = events([5, 6, 4, 6, 7, 5, 4, 6, 5, 6], [250] * 10)  # 1.4x the baseline rate
    outcome = increase_test(ERRORS, IncreaseTest(), noisy, canary)
    assert "baseline extra spread cv" in outcome.reason
    assert outcome.threshold is not None and outcome.threshold > 3.09  # Student's t, few windows
    assert not outcome.fired  # 2.2% vs 1.5%: within what this baseline does on its own


def test_consecutive_rule_fires_on_two_outage_windows_not_on_one_or_on_few_errors() -> None:
    rule = ConsecutiveRule()
    baseline = events([3, 3, 2, 4, 3, 3, 3, 2, 4, 3], [300] * 10)
    two = events([3, 3, 150, 140, 3, 3, 3, 3, 3, 3], [300] * 10)
    outcome = consecutive_events(ERRORS, rule, baseline, two)
    assert outcome.fired and outcome.value == 2
    assert "breaching windows at 0.5, 0.4667" in outcome.reason
    assert "2 window(s) in a row above 0.01444 (baseline mean + 2 sd)" in outcome.reason
    one = events([3, 3, 150, 3, 3, 3, 3, 3, 3, 3], [300] * 10)
    assert not consecutive_events(ERRORS, rule, baseline, one).fired
    usual = events([20] * 10, [2000] * 10)
    # Two windows of 20 requests at 5%: above the bound, but 2 errors are no evidence.
    trickle = events([0, 0, 0, 1, 1, 0, 0, 0, 0, 0], [20] * 10)
    outcome = consecutive_events(ERRORS, rule, usual, trickle)
    assert not outcome.fired and outcome.value == 0
    clean = events([0] * 10, [2000] * 10)  # against a baseline without any error, 2 are
    assert consecutive_events(ERRORS, rule, clean, trickle).fired


def test_upper_spread_is_the_confidence_limit_of_the_windows_whole_variance() -> None:
    """The chi-square limit applies to the sample variance of the counts (Poisson part
    included), and the known Poisson part is taken off afterwards."""
    errors = [10.0, 14.0, 9.0, 16.0, 12.0, 11.0, 13.0, 8.0, 15.0, 12.0]
    windows = [(e, 1200.0) for e in errors]
    mean = sum(errors) / len(errors)
    variance = float(scipy_stats.tvar(errors))  # below the Poisson mean: no extra spread seen
    assert extra_variance(windows) == 0.0
    upper = 9 * variance / scipy_stats.chi2.ppf(1 - SPREAD_CONFIDENCE, 9)
    limit = mean + mean**2 * extra_variance(windows, upper=SPREAD_CONFIDENCE)
    assert limit == pytest.approx(upper, rel=0.01)  # Wilson-Hilferty's chi-square quantile


def test_consecutive_runs_keep_the_chance_of_independent_windows_at_alpha() -> None:
    """Healthy canaries and a same-size baseline at 12 errors per window (1,200 requests at 1%),
    each window's rate moving on its own (gamma, cv 0.5): runs of 2 breaching windows among 10
    are no likelier than with each window breaching independently at `alpha`, the chance an
    enumeration of every breach pattern gives. (With the limit on the extra spread alone, a
    baseline whose windows came out close together tightened every window's bound at once:
    runs at 0.19%, 20,000 draws, against 0.089%.)"""
    np = pytest.importorskip("numpy")
    rule = ConsecutiveRule()
    patterns = itertools.product((False, True), repeat=10)
    nominal = sum(
        math.prod(rule.alpha if hit else 1 - rule.alpha for hit in pattern)
        for pattern in patterns
        if any(a and b for a, b in itertools.pairwise(pattern))
    )
    rng = np.random.default_rng(11)

    def side() -> WindowValues:
        errors = rng.binomial(1200, 0.01 * rng.gamma(4.0, 0.25, 10)).astype(float)
        return events(list(errors), [1200.0] * 10)

    draws = 10000
    longest = [consecutive_events(ERRORS, rule, side(), side()).value for _ in range(draws)]
    runs = sum(value is not None and value >= 2 for value in longest)
    assert runs <= scipy_stats.binom.ppf(0.999, draws, nominal)


def test_outage_straddling_two_windows_fires_on_their_events_together() -> None:
    baseline = events([3, 3, 2, 4, 3, 3, 3, 2, 4, 3], [300] * 10)
    # 20 s of the outage fall in window 4, the rest in window 5: window 4 alone is no proof.
    straddled = events([3, 3, 3, 10, 30, 3, 3, 3, 3, 3], [300] * 10)
    outcome = consecutive_events(ERRORS, ConsecutiveRule(), baseline, straddled)
    assert outcome.value == 1  # one window in a row is significant on its own
    # 40 of the 70 events of both sides, where twice the baseline's rate would give the two
    # windows' 600 requests a share 2 x 600 / (2 x 600 + 3000) of them.
    oracle = scipy_stats.binomtest(40, 70, 1200 / 4200, alternative="greater").pvalue
    assert outcome.fired
    assert f"2 adjacent windows at 6.667x the baseline's rate (above 2x: p {oracle:.2g})" in (
        outcome.reason
    )
    spike = events([3, 3, 3, 3, 30, 3, 3, 3, 3, 3], [300] * 10)  # one bad minute is a blip
    assert not consecutive_events(ERRORS, ConsecutiveRule(), baseline, spike).fired
    # 3.5x for two minutes is no outage (the other rules judge it), however many requests.
    raised = [(100.0, 10000.0)] * 3 + [(350.0, 10000.0)] * 2 + [(100.0, 10000.0)] * 5
    outage = outage_stretch(raised, ConsecutiveRule(), (3000, 300000))
    assert outage is not None and not outage.fired
    assert outage.reason.startswith("2 adjacent windows at 3.5x the baseline's rate")


def test_outage_of_a_few_hundred_requests_against_a_noisy_baseline_is_caught() -> None:
    """The case the spread-based bound missed: ten noisy baseline windows (cv 0.9) made a
    window at 8x look ordinary; the multiple and the exact count test do not need that spread."""
    baseline = events([1, 4, 12, 1, 4, 0, 0, 1, 3, 2], [289] * 10)
    canary = events([6, 18, 26, 25, 2, 2, 6, 1, 5, 5], [300] * 10)
    outcome = consecutive_events(ERRORS, ConsecutiveRule(), baseline, canary)
    assert outcome.fired and outcome.value < 2
    assert "outage: 2 adjacent windows at 8.773x" in outcome.reason


def test_paired_test_cancels_noise_both_sides_share() -> None:
    """Both sides swing together minute by minute (traffic mix); the canary has twice the
    errors in every minute. The pooled test sees the baseline's spread and cannot tell; the
    window-by-window test removes it."""
    swings = [0.4, 2.1, 0.7, 1.6, 0.5, 1.2, 0.3, 1.9, 0.8, 0.5]
    baseline = events([round(1200 * 0.01 * g) for g in swings], [1200] * 10)
    canary = events([round(1200 * 0.02 * g) for g in swings], [1200] * 10)
    increase = increase_test(ERRORS, IncreaseTest(), baseline, canary)
    assert not increase.fired and "baseline extra spread cv" in increase.reason
    outcome = paired_test(ERRORS, IncreaseTest(), baseline, canary)
    e_c, e_b = sum(canary.numerators or []), sum(baseline.numerators or [])
    # Equal shares: the stratified score test is the binomial test of the totals at share 1/2.
    oracle = scipy_stats.binomtest(round(e_c), round(e_c + e_b), 0.5, alternative="greater")
    assert outcome.fired and outcome.ratio == pytest.approx(e_c / e_b)
    assert f"exact binomial p {oracle.pvalue:.2g}" in outcome.reason
    assert "with 1x the binomial variance (9 df)" in outcome.reason


def test_paired_test_widens_with_the_spread_of_the_pairs() -> None:
    baseline = events([3, 3, 2, 4, 3, 3, 3, 2, 4, 3], [300] * 10)
    flapping = events([30, 0] * 5, [300] * 10)  # 5x on average, but no steady ratio
    outcome = paired_test(ERRORS, IncreaseTest(), baseline, flapping)
    dispersion = float(outcome.reason.split(" with ")[1].split("x the binomial")[0])
    assert dispersion > 5
    assert outcome.threshold == pytest.approx(scipy_stats.t.isf(scipy_stats.norm.sf(2.88), 9))
    # the pooled test, whose spread comes from the baseline alone, is the one that catches it
    assert increase_test(ERRORS, IncreaseTest(), baseline, flapping).fired
