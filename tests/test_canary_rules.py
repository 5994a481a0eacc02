"""Counter windows, coverage and the rollback rules, on hand-made data (scipy as the oracle)."""

from __future__ import annotations

import pytest

from genai_gate.gates.canary.collect import Coverage, Window, WindowValues, coverage, increases
from genai_gate.gates.canary.prometheus import Series
from genai_gate.gates.canary.rules import consecutive_events, increase_test
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


def test_outage_straddling_two_windows_fires_on_their_events_together() -> None:
    baseline = events([3, 3, 2, 4, 3, 3, 3, 2, 4, 3], [300] * 10)
    # 20 s of the outage fall in window 4, the rest in window 5: window 4 alone is no proof.
    straddled = events([3, 3, 3, 10, 30, 3, 3, 3, 3, 3], [300] * 10)
    outcome = consecutive_events(ERRORS, ConsecutiveRule(), baseline, straddled)
    assert outcome.value == 1  # one window in a row is significant on its own
    rate = scipy_stats.chi2.ppf(0.99, 2 * (30 + 1)) / 2 / 3000  # Garwood upper limit, 30 errors
    joint = scipy_stats.poisson.sf(40 - 1, 600 * rate)  # this baseline shows no extra spread
    assert outcome.fired and f"lowest p {joint:.2g})" in outcome.reason
    spike = events([3, 3, 3, 3, 30, 3, 3, 3, 3, 3], [300] * 10)  # one bad minute is a blip
    assert not consecutive_events(ERRORS, ConsecutiveRule(), baseline, spike).fired
