"""The consecutive rule over the looks of an extended step (`runs`), on hand-made windows; the
run chances are checked against enumerating every breach pattern."""

from __future__ import annotations

import itertools

import pytest

from genai_gate.gates.canary.collect import WindowValues
from genai_gate.gates.canary.rules import consecutive_events
from genai_gate.gates.canary.runs import LookRuns, required_runs, run_chance
from genai_gate.gates.canary.settings import ConsecutiveRule, default_metrics

ERRORS = default_metrics()[0]
LOOKS = (10, 15, 20, 25, 30)
"""The default plan: 10 windows, then a look every 5 up to 30."""


def enumerated(p: float, thresholds: list[int]) -> float:
    """The chance of `run_chance` by summing over all 2^n breach patterns."""
    total = 0.0
    for pattern in itertools.product((False, True), repeat=len(thresholds)):
        run, fired = 0, False
        for flag, need in zip(pattern, thresholds, strict=True):
            run = run + 1 if flag else 0
            fired = fired or run >= need
        if fired:
            breaches = sum(pattern)
            total += p**breaches * (1 - p) ** (len(pattern) - breaches)
    return total


@pytest.mark.parametrize(
    "p, thresholds",
    [(0.01, [2] * 10), (0.3, [2] * 6 + [3] * 6), (0.15, [1, 2, 4, 4, 3, 3, 5, 5, 5, 5, 5, 5])],
)
def test_run_chance_is_that_of_every_breach_pattern(p: float, thresholds: list[int]) -> None:
    assert run_chance(p, thresholds) == pytest.approx(enumerated(p, thresholds), rel=1e-9)


def test_required_run_is_the_shortest_no_likelier_than_the_first_looks_run() -> None:
    # The default rule (2 in a row, windows breaching with chance alpha = 1%): 3 from look 2 on.
    assert required_runs(0.01, 2, LOOKS) == (2, 3, 3, 3, 3)
    first = enumerated(0.2, [2] * 10)
    needed = required_runs(0.2, 2, (10, 14))
    assert needed == (2, 3)
    assert enumerated(0.2, [3] * 14) <= first < enumerated(0.2, [2] * 14)
    # More windows need longer runs.
    assert required_runs(0.1, 2, (10, 20, 40, 80, 160)) == (2, 3, 3, 3, 4)
    assert required_runs(0.01, 1, LOOKS) == (1, 2, 2, 2, 2)


def test_the_step_keeps_about_the_first_looks_false_alarm_rate() -> None:
    """A healthy canary whose windows breach with chance 1% (or 1.7%, what the benchmark's
    independent noise showed): a run of 2 anywhere in 30 windows is three times as likely as
    in 10; the looks' runs together barely more."""
    thresholds = [2] * 10 + [3] * 20
    for p in (0.01, 0.017):
        first = run_chance(p, [2] * 10)
        assert run_chance(p, [2] * 30) > 3 * first
        assert first < run_chance(p, thresholds) < 1.05 * first


def events(errors: list[float], requests: list[float]) -> WindowValues:
    return WindowValues([e / n for e, n in zip(errors, requests, strict=True)], errors, requests)


BASELINE = events([3, 3, 2, 4, 3, 3, 3, 2, 4, 3, 3, 2, 3, 4, 3], [300] * 15)


def canary(high: dict[int, float]) -> WindowValues:
    """15 windows of 300 requests at the baseline's 1%, but `high` {window: errors}."""
    return events([high.get(i, 3) for i in range(15)], [300] * 15)


def test_a_run_in_windows_judged_before_does_not_fire_at_a_later_look() -> None:
    old_run = canary({3: 11, 4: 11})  # 3.7x in windows 4 and 5: breaches, but no outage
    once = consecutive_events(ERRORS, ConsecutiveRule(), BASELINE, old_run)
    assert once.fired and once.value == 2
    later = consecutive_events(ERRORS, ConsecutiveRule(), BASELINE, old_run, LookRuns(LOOKS, 1))
    assert not later.fired and later.value == 0
    assert "(a run reaching the 5 windows new since the previous look); fires at 3" in (
        later.reason
    )
    old_outage = canary({3: 150, 4: 140})
    outage = consecutive_events(ERRORS, ConsecutiveRule(), BASELINE, old_outage)
    assert outage.fired and "outage: 2 adjacent windows at" in outage.reason
    assert not consecutive_events(
        ERRORS, ConsecutiveRule(), BASELINE, old_outage, LookRuns(LOOKS, 1)
    ).fired


def test_a_later_look_needs_its_longer_run_reaching_the_new_windows() -> None:
    look = LookRuns(LOOKS, 1)
    two_new = consecutive_events(
        ERRORS, ConsecutiveRule(), BASELINE, canary({12: 11, 13: 11}), look
    )
    assert not two_new.fired and two_new.value == 2 and two_new.threshold == 3
    across = canary({8: 11, 9: 11, 10: 11})  # two old windows and the first new one
    outcome = consecutive_events(ERRORS, ConsecutiveRule(), BASELINE, across, look)
    assert outcome.fired and outcome.value == 3
    outage = consecutive_events(
        ERRORS, ConsecutiveRule(), BASELINE, canary({9: 150, 10: 140}), look
    )
    assert outage.fired and outage.value == 2  # the outage test keeps its 2 adjacent windows


def test_the_first_look_judges_as_a_single_look() -> None:
    ten = events([3, 3, 2, 4, 3, 3, 3, 2, 4, 3], [300] * 10)
    outage = events([3, 3, 150, 140, 3, 3, 3, 3, 3, 3], [300] * 10)
    single = consecutive_events(ERRORS, ConsecutiveRule(), ten, outage)
    first = consecutive_events(ERRORS, ConsecutiveRule(), ten, outage, LookRuns(LOOKS, 0))
    assert first == single and first.fired and first.threshold == 2
