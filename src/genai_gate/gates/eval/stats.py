"""Statistics of an eval run: intervals of the suite mean and paired tests against a baseline."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np


@dataclass(frozen=True)
class Interval:
    """A confidence interval and how it was computed."""

    low: float
    high: float
    method: str
    confidence: float


def weighted_mean(values: Sequence[float], weights: Sequence[float]) -> float:
    """Weighted mean (0 when the weights sum to 0)."""
    total = float(sum(weights))
    if total <= 0:
        return 0.0
    return float(sum(v * w for v, w in zip(values, weights, strict=True)) / total)


def wilson(successes: float, n: float, confidence: float) -> Interval:
    """Wilson score interval of a proportion (works at 0 and n, unlike the normal one)."""
    if n <= 0:
        return Interval(0.0, 1.0, "wilson", confidence)
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Interval(max(0.0, centre - half), min(1.0, centre + half), "wilson", confidence)


def bootstrap_mean(
    values: Sequence[float],
    weights: Sequence[float],
    confidence: float,
    samples: int,
    seed: int,
) -> Interval:
    """Percentile bootstrap interval of the weighted mean, resampling cases.

    When every case has the same score and a positive weight, every resample has that mean: the
    interval is the point itself, without resampling (an all-pass suite costs nothing here).
    """
    data = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    if data.size == 0:
        return Interval(0.0, 1.0, "bootstrap", confidence)
    if (data == data[0]).all() and (w > 0).all():
        return Interval(float(data[0]), float(data[0]), "bootstrap", confidence)
    rng = np.random.default_rng(seed)
    index = rng.integers(0, data.size, size=(samples, data.size))
    picked_w = w[index]
    sums = picked_w.sum(axis=1)
    means = np.divide(
        (data[index] * picked_w).sum(axis=1), sums, out=np.zeros(samples), where=sums > 0
    )
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return Interval(float(low), float(high), "bootstrap", confidence)


@dataclass(frozen=True)
class PairedTest:
    """Result of a one-sided paired test of `head` being worse than `base`."""

    method: str
    n: int
    """Pairs compared."""
    mean_delta: float
    """Mean of head - base (negative: head is worse)."""
    p_value: float
    """Probability of seeing a drop at least this large by chance (one-sided)."""
    alpha: float
    worse: int = 0
    """Pairs where head scored lower."""
    better: int = 0

    @property
    def significant_regression(self) -> bool:
        """Head is significantly worse than base at `alpha`."""
        return self.mean_delta < 0 and self.p_value < self.alpha


def paired_bootstrap(
    base: Sequence[float], head: Sequence[float], alpha: float, samples: int, seed: int
) -> PairedTest:
    """Paired bootstrap (Koehn 2004): share of resamples in which head is not worse than base."""
    delta = np.asarray(head, dtype=float) - np.asarray(base, dtype=float)
    worse, better = int((delta < 0).sum()), int((delta > 0).sum())
    if delta.size == 0 or not delta.any():
        return PairedTest("paired-bootstrap", int(delta.size), 0.0, 1.0, alpha, worse, better)
    rng = np.random.default_rng(seed)
    means = delta[rng.integers(0, delta.size, size=(samples, delta.size))].mean(axis=1)
    p_value = (int((means >= 0).sum()) + 1) / (samples + 1)
    return PairedTest(
        "paired-bootstrap", int(delta.size), float(delta.mean()), p_value, alpha, worse, better
    )


def sign_test(base: Sequence[float], head: Sequence[float], alpha: float) -> PairedTest:
    """Exact one-sided sign test: are drops more frequent than gains? (ties are dropped)."""
    delta = np.asarray(head, dtype=float) - np.asarray(base, dtype=float)
    worse, better = int((delta < 0).sum()), int((delta > 0).sum())
    mean_delta = float(delta.mean()) if delta.size else 0.0
    if worse + better == 0:
        return PairedTest("sign", int(delta.size), mean_delta, 1.0, alpha, worse, better)
    n = worse + better
    p_value = sum(math.comb(n, k) for k in range(worse, n + 1)) / 2**n
    return PairedTest("sign", int(delta.size), mean_delta, p_value, alpha, worse, better)
