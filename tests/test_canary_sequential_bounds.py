"""The group-sequential boundary of an extended canary step, against published constants and an
independent simulation, and the looks a run can plan."""

from __future__ import annotations

import numpy as np
import pytest

from genai_gate.gates.canary.collect import Window, WindowValues
from genai_gate.gates.canary.looks import Plan, levels_for, possible_looks
from genai_gate.gates.canary.rules import evaluate
from genai_gate.gates.canary.runs import LookRuns
from genai_gate.gates.canary.sequential import boundary_z, crossing_chance, pocock_z
from genai_gate.gates.canary.settings import CanarySettings, SequentialSettings
from genai_gate.gates.canary.stats import normal_isf, normal_sf


@pytest.mark.parametrize(("looks", "published"), [(2, 2.178), (3, 2.289), (4, 2.361), (5, 2.413)])
def test_equally_spaced_looks_match_pococks_constants(looks: int, published: float) -> None:
    """Pocock (1977), overall level 5% two-sided: one side of it is 2.5%."""
    assert pocock_z(0.025, tuple(range(1, looks + 1))) == pytest.approx(published, abs=0.002)


@pytest.mark.parametrize(("looks", "published"), [(2, 1.977), (3, 2.004), (4, 2.024), (5, 2.040)])
def test_equally_spaced_looks_match_obrien_flemings_constants(looks: int, published: float) -> None:
    """O'Brien and Fleming (1979) as tabulated by Jennison and Turnbull (2000, table 2.3),
    overall 5% two-sided: the last look's value, sqrt(K / k) times it at look k."""
    critical = boundary_z(0.025, tuple(range(1, looks + 1)), "obrien-fleming")
    assert critical[-1] == pytest.approx(published, abs=0.002)
    assert critical[0] == pytest.approx(published * looks**0.5, abs=0.004)


@pytest.mark.parametrize("boundary", ["obrien-fleming", "pocock"])
def test_each_boundary_keeps_the_false_rollback_rate_over_seven_looks(boundary: str) -> None:
    """Gaussian random walks judged after 10, 15, ..., 40 steps cross the looks' critical values
    with the test's own rate, whatever the boundary's shape."""
    looks = (10, 15, 20, 25, 30, 35, 40)
    critical = np.array(boundary_z(0.002, looks, boundary))  # type: ignore[arg-type]
    walks = np.cumsum(np.random.default_rng(11).standard_normal((400_000, 40)), axis=1)
    scores = walks[:, [n - 1 for n in looks]] / np.sqrt(looks)
    assert float(np.mean((scores >= critical).any(axis=1))) == pytest.approx(0.002, rel=0.25)
    assert crossing_chance(list(critical), looks) == pytest.approx(0.002, rel=1e-3)


@pytest.mark.parametrize("alpha", [0.002, 0.0005])
def test_the_gates_looks_keep_the_false_rollback_rate_in_a_simulation(alpha: float) -> None:
    """Gaussian random walks judged after 10, 15, ..., 30 steps cross the boundary at some look
    with the test's own rate (the sum of the tests' rates stays the step's)."""
    looks = (10, 15, 20, 25, 30)
    critical = pocock_z(alpha, looks)
    assert critical > normal_isf(alpha) + 0.3  # five looks cost a stricter level
    walks = np.cumsum(np.random.default_rng(7).standard_normal((400_000, 30)), axis=1)
    scores = walks[:, [n - 1 for n in looks]] / np.sqrt(looks)
    crossed = float(np.mean((scores >= critical).any(axis=1)))
    assert crossed == pytest.approx(alpha, rel=0.25)
    assert crossing_chance(critical, looks) == pytest.approx(alpha, rel=1e-3)


def test_one_look_is_the_fixed_level() -> None:
    assert pocock_z(0.002, (10,)) == normal_isf(0.002)


def test_looks_and_their_windows() -> None:
    settings = CanarySettings(sequential=SequentialSettings(max_windows=27, look_every=4))
    assert possible_looks(settings, 10) == (10, 14, 18, 22, 26)
    assert possible_looks(CanarySettings(sequential=SequentialSettings(max_windows=10)), 10) == (
        10,
    )
    plan = Plan((10, 15), (10, 15, 20))
    later = plan.window(Window(end=6000.0, window_s=600, interval_s=60), 15)
    assert (later.end, later.window_s, later.begin) == (6300.0, 900, 5400.0)


def test_only_the_event_rate_tests_get_the_stricter_level() -> None:
    settings = CanarySettings()
    looks = (10, 15, 20, 25, 30, 35, 40)
    before = {m.name: m for m in settings.metrics}
    levels = [levels_for(settings, looks, index) for index in range(len(looks))]
    expected = boundary_z(normal_sf(2.88), looks, "obrien-fleming")
    for name, old in before.items():
        tests = [next(m for m in at.metrics if m.name == name).increase_test for at in levels]
        if old.increase_test is None:
            assert all(next(m for m in at.metrics if m.name == name) == old for at in levels)
            continue
        zs = [test.z for test in tests if test is not None]
        assert zs == pytest.approx(list(expected), abs=1e-3)
        assert zs == sorted(zs, reverse=True) and zs[-1] > old.increase_test.z
        assert zs[-1] < pocock_z(normal_sf(2.88), looks)  # the last look: near the fixed level
        assert [test.paired_z for test in tests if test is not None] == pytest.approx(zs)
    assert levels_for(settings, (10,)) is settings


def test_pocock_puts_one_level_at_every_look() -> None:
    settings = CanarySettings(sequential=SequentialSettings(boundary="pocock"))
    looks = (10, 15, 20, 25, 30)
    tests = [levels_for(settings, looks, index).metrics[0].increase_test for index in range(5)]
    zs = [test.z for test in tests if test is not None]
    assert zs == pytest.approx([pocock_z(normal_sf(2.88), looks)] * 5, abs=1e-3)


BASELINE_ERRORS = [
    17, 27, 8, 10, 21, 18, 4, 2, 4, 36, 20, 9, 11, 6, 3, 21, 9, 10, 8, 11,
    12, 20, 9, 18, 7, 7, 3, 11, 20, 28, 20, 4, 15, 12, 4, 8, 12, 12, 23, 6,
]  # fmt: skip
CANARY_ERRORS = [
    31, 20, 15, 9, 17, 8, 30, 28, 16, 22, 32, 18, 33, 36, 11, 37, 11, 16, 8, 34,
    15, 31, 5, 4, 2, 33, 31, 7, 18, 19, 6, 33, 11, 8, 16, 7, 15, 32, 25, 15,
]  # fmt: skip
"""Errors per 1,200-request window of a baseline and a 1.5x canary, each side's rate moving
on its own minute by minute (gamma, cv 0.5; drawn with numpy's seed 3)."""


def fired_at_each_look(settings: CanarySettings) -> list[list[str]]:
    """The error-rate rules that fire at each of the seven looks of a 40-window step."""
    looks = (10, 15, 20, 25, 30, 35, 40)

    def side(errors: list[int], n: int) -> WindowValues:
        counts = [float(e) for e in errors[:n]]
        return WindowValues([e / 1200 for e in counts], counts, [1200.0] * n)

    return [
        [
            o.rule
            for o in evaluate(
                levels_for(settings, looks, index).metrics[0],
                side(BASELINE_ERRORS, n),
                side(CANARY_ERRORS, n),
                look=LookRuns(looks, index),
            )
            if o.fired
        ]
        for index, n in enumerate(looks)
    ]


def test_a_weak_increase_found_only_with_all_the_windows_rolls_back_with_obrien_fleming() -> None:
    """O'Brien-Fleming's last look is close to the one-look level, so 40 windows of a 1.5x
    canary roll it back there; Pocock's one level for all seven looks lets it through."""
    default = fired_at_each_look(CanarySettings())
    assert default == [[]] * 6 + [["error_rate.paired"]]
    assert (
        fired_at_each_look(CanarySettings(sequential=SequentialSettings(boundary="pocock")))
        == [[]] * 7
    )
