"""The group-sequential pieces of an extended step: the rollback boundary and the early promotion.

A step judged at several looks (after n_1 < n_2 < ... windows) repeats its event-rate tests on
growing data. The chance that a healthy canary crosses the looks' critical values at some look
is that of a standardised Brownian motion B(n)/sqrt(n) observed at the looks, computed by
numerical integration of the motion between looks (the recursion of Armitage, McPherson and
Rowe, on a Simpson grid). `boundary_z` scales the boundary's shape until that chance is the
test's own false-rollback rate, so each test keeps its configured rate over all looks:
Pocock's shape is one level at every look; O'Brien and Fleming's falls as sqrt(n_K / n_k), so
the early looks catch only strong increases and the last is close to the one-look level. A
weak increase (2x under independent per-minute noise) is found at the last looks, where the
data is; Pocock's shape pays for its early chances there (at 40 windows, z 3.31 at every look
against O'Brien-Fleming's 2.94 at the last, for 0.2%).

`clear_test` is the early promotion: window by window, the canary's share of the events
against the share a `ratio`-fold rate would give it, with the quasi-binomial spread of the pairs
(as `<metric>.paired`); the canary promotes before the last look when its events are too few for
that multiple at the look's level.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from functools import lru_cache

from genai_gate.gates.canary.collect import WindowValues
from genai_gate.gates.canary.rules import (
    RuleOutcome,
    both_sides,
    fmt,
    mantel_haenszel_ratio,
    pearson_dispersion,
)
from genai_gate.gates.canary.settings import Boundary
from genai_gate.gates.canary.stats import normal_isf, normal_sf, student_t_isf

NO_EVENTS = "no events on either side"
"""Reason of a `clear` test met for want of events (nothing the increase tests could judge)."""
GRID = 51
"""Points of the integration grid at each look (odd, for Simpson's rule): Pocock's published
constants are matched to 4 decimals."""
LOWEST = 8.0
"""Standard deviations below 0 where the grid stops (the mass below is negligible)."""


def _pdf(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def _simpson(low: float, high: float) -> tuple[list[float], list[float]]:
    """Grid points and Simpson weights over [low, high]."""
    step = (high - low) / (GRID - 1)
    points = [low + i * step for i in range(GRID)]
    weights = [step / 3 * (1 if i in (0, GRID - 1) else 4 if i % 2 else 2) for i in range(GRID)]
    return points, weights


def crossing_chance(critical: float | Sequence[float], looks: Sequence[int]) -> float:
    """P(B(n_k) / sqrt(n_k) >= critical_k at some look n_k) for a standard Brownian motion B;
    one `critical` value for every look, or one per look."""
    bounds = [critical] * len(looks) if isinstance(critical, float | int) else list(critical)
    info = [n / looks[0] for n in looks]
    total = normal_sf(bounds[0])
    points, weights = _simpson(-LOWEST, bounds[0])
    density = [_pdf(x) for x in points]  # of B(n_1) on its continuation region
    for (before, now), level in zip(itertools.pairwise(info), bounds[1:], strict=True):
        spread = math.sqrt(now - before)
        bound = level * math.sqrt(now)
        masses = [w * d for w, d in zip(weights, density, strict=True)]
        mass = list(zip(points, masses, strict=True))
        total += math.fsum(m * normal_sf((bound - x) / spread) for x, m in mass)
        new_points, new_weights = _simpson(-LOWEST * math.sqrt(now), bound)
        density = [
            math.fsum(m * _pdf((y - x) / spread) for x, m in mass) / spread for y in new_points
        ]
        points, weights = new_points, new_weights
    return total


def shape_of(boundary: Boundary, looks: Sequence[int]) -> list[float]:
    """Each look's critical value relative to the last look's: 1 everywhere for Pocock,
    sqrt(n_K / n_k) for O'Brien-Fleming (Wang and Tsiatis' family at Delta 0.5 and 0)."""
    if boundary == "pocock":
        return [1.0] * len(looks)
    return [math.sqrt(looks[-1] / n) for n in looks]


@lru_cache(maxsize=128)
def boundary_z(alpha: float, looks: tuple[int, ...], boundary: Boundary) -> tuple[float, ...]:
    """Each look's critical value such that a healthy canary crosses one of them with chance
    `alpha` over all `looks` (windows at each look); the fixed-sample value for a single look."""
    fixed = normal_isf(alpha)
    if len(looks) < 2:
        return (fixed,)
    shape = shape_of(boundary, looks)

    def log_chance(last: float) -> float:
        return math.log(crossing_chance([last * r for r in shape], looks))

    # Secant steps on the log of the crossing chance, nearly linear in the critical value.
    target = math.log(alpha)
    points = [(fixed, log_chance(fixed))]
    guess = fixed + 0.5
    for _ in range(20):
        points.append((guess, log_chance(guess)))
        (x0, y0), (x1, y1) = points[-2:]
        if abs(y1 - target) < 1e-6 or y1 == y0:
            break
        guess = x1 + (target - y1) * (x1 - x0) / (y1 - y0)
    return tuple(points[-1][0] * r for r in shape)


def pocock_z(alpha: float, looks: tuple[int, ...]) -> float:
    """The one critical value for every look that a healthy canary crosses with chance `alpha`
    over all `looks` (windows at each look); the fixed-sample value for a single look."""
    return boundary_z(alpha, looks, "pocock")[0]


def clear_test(
    metric_name: str,
    ratio: float,
    critical: float,
    baseline: WindowValues,
    canary: WindowValues,
) -> RuleOutcome:
    """`<metric>.clear` fires when the canary's events rule out `ratio` x the baseline's rate:
    stratified score test of that ratio with quasi-binomial spread, Student's t on the windows'
    degrees of freedom, one-sided at normal_sf(`critical`). No events on either side: nothing
    to wait for (no increase test can fire either)."""
    name = f"{metric_name}.clear"
    strata = [(c[0], b[0] + c[0], c[1] / (b[1] + c[1])) for b, c in both_sides(baseline, canary)]
    strata = [stratum for stratum in strata if stratum[1] > 0]
    if not strata:
        return RuleOutcome(name, metric_name, True, NO_EVENTS, 0.0, -critical)
    if len(strata) < 2:
        return RuleOutcome(name, metric_name, False, "fewer than 2 windows with events")
    shares = [share * ratio / (share * ratio + 1 - share) for _, _, share in strata]
    observed = sum(e for e, _, _ in strata)
    expected = sum(m * p for (_, m, _), p in zip(strata, shares, strict=True))
    variance = sum(m * p * (1 - p) for (_, m, _), p in zip(strata, shares, strict=True))
    df = len(strata) - 1
    fitted = mantel_haenszel_ratio(strata)
    dispersion = max(1.0, pearson_dispersion(strata, fitted) / df)
    z = (observed - expected) / math.sqrt(dispersion * variance)
    bound = -student_t_isf(normal_sf(critical), df)
    reason = (
        f"canary {round(observed)} events where {ratio:g}x the baseline's rate gives "
        f"{fmt(expected)}: z {z:.2f} with {fmt(dispersion)}x the binomial variance ({df} df); "
        f"promotes early at z <= {bound:.3g}"
    )
    return RuleOutcome(name, metric_name, z <= bound, reason, z, bound, fitted)
