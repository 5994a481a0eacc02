"""The extended step's error-rate rules under independent per-minute noise, simulated with many
draws: false rollbacks and detection of a raised canary, with 95% intervals.

Per window, each side's errors are binomial among its requests at the base rate (1%) times a
gamma multiplier (mean 1, cv 0.5) drawn per side and window, as in canary.py's `independent`
cells but without Prometheus. Each draw is judged as `looks.judge_step` judges the error rate:
at each planned look (10 windows, then every `look_every` up to `--max-windows`) the gate's
`error_rate` rules (`rules.evaluate`: consecutive, increase, paired) at that look's levels
(`looks.levels_for`, `runs.LookRuns`); a rule firing rolls back; otherwise the early promotion
(`<metric>.clear`, `looks.clear_outcomes`) or the last look promotes. It also prints the oracle:
the log of the ratio of the two sums with the noise law known (Poisson at the true rate plus
cv 0.5), at the same looks and boundary and the false-rollback rate the rules showed.

    python scripts/bench/canary_looks.py [--draws 4000] [--traffic 1200] [--baseline prod twin]
        [--max-windows 40] [--boundary obrien-fleming] [--ratio 2] [--seed 1]
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from dataclasses import dataclass
from typing import get_args

import numpy as np

from genai_gate.gates.canary.collect import WindowValues
from genai_gate.gates.canary.looks import levels_for, possible_looks
from genai_gate.gates.canary.rules import evaluate
from genai_gate.gates.canary.runs import LookRuns
from genai_gate.gates.canary.sequential import boundary_z, clear_test, pocock_z
from genai_gate.gates.canary.settings import (
    Boundary,
    CanarySettings,
    IncreaseTest,
    SequentialSettings,
)
from genai_gate.gates.canary.stats import normal_isf

BASE_ERROR_RATE = 0.01
NOISE_CV = 0.5
FIRST = 10
BASELINES = {"prod": 19, "twin": 1}


@dataclass(frozen=True)
class Step:
    """How one simulated step ended."""

    rollback: bool
    windows: int
    rules: tuple[str, ...]


def errors(rng: np.random.Generator, windows: int, requests: int, factor: float) -> np.ndarray:
    """Errors per window at `factor` x the base rate times independent gamma noise."""
    shape = 1 / NOISE_CV**2
    rates = np.minimum(1.0, factor * BASE_ERROR_RATE * rng.gamma(shape, 1 / shape, windows))
    return np.asarray(rng.binomial(requests, rates), dtype=float)


def side(counts: np.ndarray, requests: int) -> WindowValues:
    events = [float(e) for e in counts]
    return WindowValues([e / requests for e in events], events, [float(requests)] * len(events))


def first(values: WindowValues, n: int) -> WindowValues:
    """The first `n` windows of a side."""
    assert values.numerators is not None and values.denominators is not None
    return WindowValues(values.values[:n], values.numerators[:n], values.denominators[:n])


def judge(
    settings: CanarySettings, looks: tuple[int, ...], base: WindowValues, canary: WindowValues
) -> Step:
    """The error-rate part of `looks.judge_step` on the first n windows of each look."""
    metric = settings.metrics[0]
    critical = pocock_z(settings.sequential.beta, looks[:-1] or looks)
    for index, n in enumerate(looks):
        b, c = first(base, n), first(canary, n)
        levels = levels_for(settings, looks, index).metrics[0]
        fired = [o.rule for o in evaluate(levels, b, c, look=LookRuns(looks, index)) if o.fired]
        if fired:
            return Step(True, n, tuple(fired))
        if index < len(looks) - 1 and clear_test(metric.name, 2.0, critical, b, c).fired:
            return Step(False, n, ("error_rate.clear",))
    return Step(False, looks[-1], ())


def oracle(
    rng: np.random.Generator,
    draws: int,
    looks: tuple[int, ...],
    requests: tuple[int, int],
    alpha: float,
    ratio: float,
    boundary: Boundary,
) -> float:
    """Detection of `ratio` by the log of the ratio of the sums with the noise law known, at
    `boundary`'s levels for an overall false-rollback rate `alpha`."""
    critical = np.array(boundary_z(alpha, looks, boundary))
    n_b, n_c = requests
    base = np.cumsum([errors(rng, looks[-1], n_b, 1.0) for _ in range(draws)], axis=1)
    raised = np.cumsum([errors(rng, looks[-1], n_c, ratio) for _ in range(draws)], axis=1)
    at = np.array(looks)
    b, c = base[:, at - 1], raised[:, at - 1]
    rate = BASE_ERROR_RATE
    variance = 1 / (rate * n_b * at) + 1 / (rate * n_c * at) + 2 * NOISE_CV**2 / at
    with np.errstate(divide="ignore"):
        z = np.log((c / n_c) / np.maximum(b, 0.5) * n_b) / np.sqrt(variance)
    return float(np.mean((z >= critical).any(axis=1)))


def interval(hits: int, n: int) -> str:
    """Share with its 95% Wilson interval."""
    z = normal_isf(0.025)
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return f"{100 * p:.2f}% ({hits}/{n}; {100 * (centre - half):.2f}-{100 * (centre + half):.2f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=4000)
    parser.add_argument("--traffic", type=int, nargs="+", default=[1200])
    parser.add_argument("--baseline", nargs="+", default=list(BASELINES), choices=BASELINES)
    parser.add_argument("--max-windows", type=int, default=SequentialSettings().max_windows)
    parser.add_argument(
        "--boundary", default=SequentialSettings().boundary, choices=get_args(Boundary)
    )
    parser.add_argument("--ratio", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--beta", type=float, default=SequentialSettings().beta)
    parser.add_argument("--z", type=float, help="increase_test.z and paired_z (default: theirs)")
    args = parser.parse_args()
    sequential = SequentialSettings(
        max_windows=args.max_windows, boundary=args.boundary, beta=args.beta
    )
    settings = CanarySettings(sequential=sequential)
    if args.z is not None:
        metric = settings.metrics[0]
        test = IncreaseTest(z=args.z, paired_z=args.z)
        settings.metrics[0] = metric.model_copy(update={"increase_test": test})
    looks = possible_looks(settings, FIRST)
    print(
        f"independent noise cv {NOISE_CV}, base error rate {BASE_ERROR_RATE:.0%}, looks {looks}, "
        f"{args.boundary} boundary, {args.draws} healthy and {args.draws} {args.ratio:g}x draws"
    )
    print(
        "| canary/min | baseline | false rollback (95% CI) | by | "
        f"{args.ratio:g}x detected (95% CI) | {args.ratio:g}x promoted early | oracle "
        f"| mean windows healthy / {args.ratio:g}x |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for traffic in args.traffic:
        for name in args.baseline:
            rng = np.random.default_rng(args.seed)
            n_b = traffic * BASELINES[name]
            same, raised = [], []
            for _ in range(args.draws):
                base = side(errors(rng, looks[-1], n_b, 1.0), n_b)
                for found, factor in ((same, 1.0), (raised, args.ratio)):
                    canary = side(errors(rng, looks[-1], traffic, factor), traffic)
                    found.append(judge(settings, looks, base, canary))
            false = sum(s.rollback for s in same)
            by = Counter(rule.split(".")[-1] for s in same if s.rollback for rule in s.rules)
            deciders = ", ".join(f"{rule} {n}" for rule, n in by.most_common()) or "-"
            best = oracle(
                rng, 20000, looks, (n_b, traffic), max(false, 1) / args.draws, args.ratio,
                args.boundary,
            )  # fmt: skip
            print(
                f"| {traffic:,} | {name} | {interval(false, args.draws)} | "
                f"{deciders} | "
                f"{interval(sum(s.rollback for s in raised), args.draws)} | "
                f"{sum(s.rules == ('error_rate.clear',) for s in raised)} | {100 * best:.1f}% | "
                f"{np.mean([s.windows for s in same]):.1f} / "
                f"{np.mean([s.windows for s in raised]):.1f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
