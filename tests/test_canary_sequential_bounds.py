"""The group-sequential boundary of an extended canary step, against published constants and an
independent simulation, and the looks a run can plan."""

from __future__ import annotations

import numpy as np
import pytest

from genai_gate.gates.canary.collect import Window
from genai_gate.gates.canary.looks import Plan, levels_for, possible_looks
from genai_gate.gates.canary.sequential import crossing_chance, pocock_z
from genai_gate.gates.canary.settings import CanarySettings, SequentialSettings
from genai_gate.gates.canary.stats import normal_isf, normal_sf


@pytest.mark.parametrize(("looks", "published"), [(2, 2.178), (3, 2.289), (4, 2.361), (5, 2.413)])
def test_equally_spaced_looks_match_pococks_constants(looks: int, published: float) -> None:
    """Pocock (1977), overall level 5% two-sided: one side of it is 2.5%."""
    assert pocock_z(0.025, tuple(range(1, looks + 1))) == pytest.approx(published, abs=0.002)


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
    stricter = levels_for(settings, (10, 15, 20, 25, 30))
    before = {m.name: m for m in settings.metrics}
    for metric in stricter.metrics:
        test, old = metric.increase_test, before[metric.name].increase_test
        if old is None:
            assert metric == before[metric.name]
            continue
        assert test is not None and old.paired_z is not None and test.paired_z is not None
        assert test.z == pytest.approx(pocock_z(normal_sf(2.88), (10, 15, 20, 25, 30)), abs=1e-3)
        assert test.z > old.z and test.paired_z > old.paired_z
        assert metric.sigma == before[metric.name].sigma
    assert levels_for(settings, (10,)) is settings
