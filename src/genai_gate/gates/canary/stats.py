"""Two-sample statistics of the canary judge, in pure Python (no numpy / scipy at run time).

The Mann-Whitney U test follows R's `wilcox.test(x, y, exact=FALSE, correct=TRUE,
conf.int=TRUE)`, which Spinnaker Kayenta ports: normal approximation with tie and continuity
corrections; the confidence interval of the location shift inverts that test. The effect is the
Hodges-Lehmann estimate (median of all pairwise differences).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

_NORMAL = statistics.NormalDist()


@dataclass(frozen=True)
class MannWhitneyResult:
    """Outcome of a two-sided Mann-Whitney U test of x (canary) against y (baseline)."""

    u: float
    """U statistic of x: pairs (x_i, y_j) with x_i > y_j, ties counting one half."""
    z: float
    """Normal-approximation statistic with tie and continuity corrections."""
    p_value: float
    """Two-sided p-value."""
    estimate: float
    """Hodges-Lehmann estimate of the shift x - y (median of pairwise differences)."""
    lower: float
    """Lower end of the confidence interval of the shift."""
    upper: float
    """Upper end of the confidence interval of the shift."""


def average_ranks(values: Sequence[float]) -> tuple[list[float], list[int]]:
    """1-based ranks with ties given their mean rank, and the sizes of the tie groups."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    ties: list[int] = []
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        mean_rank = (start + end) / 2 + 1
        for position in range(start, end + 1):
            ranks[order[position]] = mean_rank
        ties.append(end - start + 1)
        start = end + 1
    return ranks, ties


def _corrected_z(x: Sequence[float], y: Sequence[float], shift: float) -> tuple[float, float]:
    """U of (x - shift) against y, and its corrected normal statistic (0 when all tied)."""
    nx, ny = len(x), len(y)
    ranks, ties = average_ranks([v - shift for v in x] + list(y))
    u = sum(ranks[:nx]) - nx * (nx + 1) / 2
    n = nx + ny
    tie_term = sum(t**3 - t for t in ties) / (n * (n - 1))
    sigma = math.sqrt(nx * ny / 12 * ((n + 1) - tie_term))
    centred = u - nx * ny / 2
    if sigma == 0:
        return u, 0.0
    return u, (centred - math.copysign(0.5, centred) * (centred != 0)) / sigma


def _crossing(x: Sequence[float], y: Sequence[float], diffs: list[float], zq: float) -> float:
    """The shift where the corrected statistic crosses `zq` (it falls as the shift grows).

    The statistic only changes at pairwise differences, so the crossing is found exactly by a
    binary search over them (R's `uniroot` approximates the same point).
    """

    def above(shift: float) -> bool:
        return _corrected_z(x, y, shift)[1] - zq > 0

    if not above(diffs[0]):
        return diffs[0]
    if above(diffs[-1]):
        return diffs[-1]
    low, high = 0, len(diffs) - 1  # above at low, not above at high
    while high - low > 1:
        middle = (low + high) // 2
        if above(diffs[middle]):
            low = middle
        else:
            high = middle
    # Constant on the open interval between two differences: decide which end is the jump.
    return diffs[low] if not above((diffs[low] + diffs[high]) / 2) else diffs[high]


def hodges_lehmann(x: Sequence[float], y: Sequence[float]) -> float:
    """Median of all pairwise differences x_i - y_j."""
    return statistics.median(a - b for a in x for b in y)


def mann_whitney(
    x: Sequence[float], y: Sequence[float], confidence: float = 0.98
) -> MannWhitneyResult:
    """Two-sided Mann-Whitney U test of x against y with a confidence interval of the shift.

    Needs at least one value on each side and not all values equal (the caller checks).
    """
    if not x or not y:
        raise ValueError("both samples need at least one value")
    u, z = _corrected_z(x, y, 0.0)
    p_value = min(1.0, 2 * _NORMAL.cdf(-abs(z)))
    diffs = sorted({a - b for a in x for b in y})
    quantile = _NORMAL.inv_cdf(1 - (1 - confidence) / 2)
    return MannWhitneyResult(
        u=u,
        z=z,
        p_value=p_value,
        estimate=hodges_lehmann(x, y),
        lower=_crossing(x, y, diffs, quantile),
        upper=_crossing(x, y, diffs, -quantile),
    )


def _log_poisson_pmf(k: int, lam: float) -> float:
    return k * math.log(lam) - lam - math.lgamma(k + 1)


def poisson_sf(k: int, lam: float) -> float:
    """P(X >= k) for X ~ Poisson(lam): exact sums below 10^4 expected events, else the
    Wilson-Hilferty approximation of the equivalent gamma probability."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    if lam > 1e4:
        shape = float(k)
        centre = (lam / shape) ** (1 / 3) - (1 - 1 / (9 * shape))
        return _NORMAL.cdf(centre / math.sqrt(1 / (9 * shape)))
    if k <= lam:  # the lower tail is the short sum
        return max(0.0, 1.0 - math.fsum(math.exp(_log_poisson_pmf(j, lam)) for j in range(k)))
    terms, j = [], k
    while True:
        term = math.exp(_log_poisson_pmf(j, lam))
        terms.append(term)
        if term < 1e-17 * sum(terms) or j > k + 10 * math.sqrt(lam) + 50:
            return min(1.0, math.fsum(terms))
        j += 1


def negative_binomial_sf(k: int, mean: float, cv2: float) -> float:
    """P(X >= k) for a Poisson count whose mean varies as a gamma with squared coefficient of
    variation `cv2` (negative binomial with shape 1 / cv2); Poisson when `cv2` is 0."""
    if cv2 <= 0:
        return poisson_sf(k, mean)
    if k <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    shape = 1 / cv2
    log_keep, log_event = math.log(shape / (shape + mean)), math.log(mean / (shape + mean))

    def pmf(j: int) -> float:
        return math.exp(
            math.lgamma(j + shape) - math.lgamma(shape) - math.lgamma(j + 1)
            + shape * log_keep + j * log_event
        )  # fmt: skip

    if k <= mean:
        return max(0.0, 1.0 - math.fsum(pmf(j) for j in range(k)))
    spread = math.sqrt(mean + cv2 * mean * mean)
    terms: list[float] = []
    for j in range(k, k + int(60 * spread) + 200):  # past the mode: terms only shrink
        terms.append(pmf(j))
        if terms[-1] < 1e-17 * terms[0]:
            break
    return min(1.0, math.fsum(terms))


def binomial_sf(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed exactly in log space."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)

    def log_pmf(j: int) -> float:
        return (
            math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1)
            + j * log_p + (n - j) * log_q
        )  # fmt: skip

    if k <= n * p:
        return max(0.0, 1.0 - math.fsum(math.exp(log_pmf(j)) for j in range(k)))
    terms: list[float] = []
    for j in range(k, n + 1):  # past the mode: terms only shrink
        terms.append(math.exp(log_pmf(j)))
        if terms[-1] < 1e-17 * terms[0]:
            break
    return min(1.0, math.fsum(terms))


def normal_sf(z: float) -> float:
    """P(Z >= z) for a standard normal Z."""
    return _NORMAL.cdf(-z)


def normal_isf(p: float) -> float:
    """The z with P(Z >= z) = p (infinite at 0 and 1)."""
    if p <= 0 or p >= 1:
        return math.inf if p <= 0 else -math.inf
    return -_NORMAL.inv_cdf(p)


def _t_within(t: float, df: int) -> float:
    """P(|T| <= t) for Student's t with integer `df` (Abramowitz & Stegun 26.7.3 and 26.7.4)."""
    theta = math.atan(t / math.sqrt(df))
    cos2 = math.cos(theta) ** 2
    if df % 2 == 0:
        term = total = 1.0
        for k in range(2, df, 2):
            term *= cos2 * (k - 1) / k
            total += term
        return math.sin(theta) * total
    if df == 1:
        return 2 * theta / math.pi
    term = total = math.cos(theta)
    for k in range(3, df - 1, 2):
        term *= cos2 * (k - 1) / k
        total += term
    return 2 / math.pi * (theta + math.sin(theta) * total)


def student_t_isf(p: float, df: float) -> float:
    """The t with P(T >= t) = p for Student's t with `df` degrees of freedom.

    Exact (bisection on the closed-form distribution) for `df` rounded down below 60, which
    errs on the conservative side; Hill's Cornish-Fisher expansion above.
    """
    z = normal_isf(p)
    if df >= 60:
        return (
            z
            + (z**3 + z) / (4 * df)
            + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
            + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
        )
    whole = max(1, math.floor(df))
    low, high = 0.0, 1e6
    for _ in range(200):  # P(T >= t) = (1 - P(|T| <= t)) / 2 falls as t grows
        middle = (low + high) / 2
        if (1 - _t_within(middle, whole)) / 2 > p:
            low = middle
        else:
            high = middle
        if high - low < 1e-9 * high:
            break
    return high


def poisson_upper_mean(events: int, alpha: float) -> float:
    """Upper (1 - alpha) confidence limit of a Poisson mean after seeing `events` (Garwood):
    exact by bisection below 50 events, else the Wilson-Hilferty chi-square quantile."""
    if events >= 50:
        nu = 2 * (events + 1)
        z = normal_isf(alpha)
        return nu * (1 - 2 / (9 * nu) + z * math.sqrt(2 / (9 * nu))) ** 3 / 2
    low, high = 0.0, 3.0 * events + 30.0
    for _ in range(50):  # P(X <= events | mean) falls as the mean grows
        middle = (low + high) / 2
        if 1 - poisson_sf(events + 1, middle) > alpha:
            low = middle
        else:
            high = middle
    return high


def chi_square_quantile(p: float, df: float) -> float:
    """The x with P(X <= x) = p for a chi-square with `df` degrees of freedom (Wilson-Hilferty:
    within 1% for df >= 4 and 0.1 <= p <= 0.9; up to 7% low at df 2)."""
    z = -normal_isf(p)
    return df * max(0.0, 1 - 2 / (9 * df) + z * math.sqrt(2 / (9 * df))) ** 3
