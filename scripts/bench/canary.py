"""Simulate canary steps and measure the judge's false rollbacks and its detection power.

Each trial draws one judged window (default 10 one-minute points per side) of per-minute
request and error counts (Poisson), mean quality scores and mean cost per request, for a
baseline and a canary, and runs:

- `judge`: the full canary judge with the built-in settings (error rate, quality, cost) -> the
  share of trials whose decision is `rollback`;
- the error-rate rule alone, four ways: Mann-Whitney (Kayenta), Mann-Whitney confirmed by the
  seed's 2 sigma x 2 consecutive rule (the built-in default), the plain "baseline + 2 sigma" rule
  (one breach) and the seed's rule alone (2 consecutive breaches).

Scenarios: identical distributions (every rollback is false) and a 2x error-rate regression at
5% canary traffic (every rollback is a detection), with the baseline either the rest of
production (95% of traffic) or a same-size baseline deployment (5%, Kayenta's recommendation).

    python scripts/bench/canary.py [--trials 2000] [--seed 1] [--window 10] [--traffic N ...]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from support.prometheus import poisson

from genai_gate.gates.canary.judge import Classification, Decision, classify, judge, sigma_run
from genai_gate.gates.canary.settings import CanarySettings

SETTINGS = CanarySettings()
ERROR_METRIC = next(m for m in SETTINGS.metrics if m.name == "error_rate")
MW_ONLY = ERROR_METRIC.model_copy(update={"sigma": None})
BASE_ERROR_RATE = 0.01
QUALITY, QUALITY_SD = 0.9, 0.08
COST, COST_SD = 0.002, 0.0006


def side(
    rng: random.Random, per_point: float, error_rate: float, points: int
) -> dict[str, list[float]]:
    """One deployment's error rate, mean quality and mean cost per request at each point."""
    out: dict[str, list[float]] = {"error_rate": [], "quality_score": [], "cost_per_request": []}
    for _ in range(points):
        n = poisson(rng, per_point)
        if n == 0:
            for values in out.values():
                values.append(math.nan)  # 0/0 in PromQL
            continue
        out["error_rate"].append(poisson(rng, n * error_rate) / n)
        out["quality_score"].append(rng.gauss(QUALITY, QUALITY_SD / math.sqrt(n)))
        out["cost_per_request"].append(rng.gauss(COST, COST_SD / math.sqrt(n)))
    return out


def plain_sigma(baseline: list[float], canary: list[float], consecutive: int) -> bool:
    """Baseline + 2 sigma rule on finite points."""
    b = [v for v in baseline if math.isfinite(v)]
    c = [v for v in canary if math.isfinite(v)]
    return len(b) > 1 and sigma_run(b, c, 2.0, high=True) >= consecutive


RULES: dict[str, Callable[[list[float], list[float]], bool]] = {
    "Mann-Whitney (Kayenta)": lambda b, c: (
        classify(MW_ONLY, b, c, SETTINGS.confidence).classification is Classification.HIGH
    ),
    "MW + seed 2sd x2 (default)": lambda b, c: (
        classify(ERROR_METRIC, b, c, SETTINGS.confidence).classification is Classification.HIGH
    ),
    "plain baseline + 2 sigma": lambda b, c: plain_sigma(b, c, 1),
    "seed 2 sigma x 2 consecutive": lambda b, c: plain_sigma(b, c, 2),
}


def scenario(
    rng: random.Random,
    trials: int,
    points: int,
    total_per_point: float,
    baseline_share: float,
    factor: float,
) -> dict[str, float]:
    """Rollback rate of the judge and of each error-rate rule over `trials` simulated steps."""
    counts = dict.fromkeys(["judge", *RULES], 0)
    for _ in range(trials):
        baseline = side(rng, total_per_point * baseline_share, BASE_ERROR_RATE, points)
        canary = side(rng, total_per_point * 0.05, BASE_ERROR_RATE * factor, points)
        series = {name: (baseline[name], canary[name]) for name in baseline}
        if judge(SETTINGS, 5, series).decision is Decision.ROLLBACK:
            counts["judge"] += 1
        for name, rule in RULES.items():
            counts[name] += rule(baseline["error_rate"], canary["error_rate"])
    return {name: 100 * count / trials for name, count in counts.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--window", type=int, default=10, help="judged minutes")
    parser.add_argument("--interval", type=int, default=60, help="seconds per point (rate window)")
    parser.add_argument(
        "--traffic",
        type=float,
        nargs="+",
        default=[1200, 3000, 6000, 12000, 24000],
        help="total requests per minute (the canary gets 5%%)",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    points = args.window * 60 // args.interval
    started = time.perf_counter()
    columns = ["judge", *RULES]
    print(
        f"canary judge simulation: {args.trials} trials per cell, {args.window} min window, "
        f"{points} x {args.interval} s points per side, base error rate {BASE_ERROR_RATE:.0%}, "
        f"canary at 5% of traffic, confidence {SETTINGS.confidence}"
    )
    print("judge = full default judge (error rate, quality, cost) deciding rollback")
    for title, factor, goal in (
        ("FALSE ROLLBACK % (identical distributions, goal < 1)", 1.0, "< 1"),
        ("DETECTION % (2x error rate, goal > 95)", 2.0, "> 95"),
    ):
        print(f"\n{title}")
        header = f"{'baseline':<10}{'req/min':>8}{'canary/min':>11} | " + " | ".join(
            f"{c:>{max(len(c), 6)}}" for c in columns
        )
        print(header)
        print("-" * len(header))
        for baseline_share, name in ((0.95, "prod 95%"), (0.05, "twin 5%")):
            for total in args.traffic:
                rates = scenario(
                    rng, args.trials, points, total * args.interval / 60, baseline_share, factor
                )
                cells = " | ".join(f"{rates[c]:>{max(len(c), 6)}.2f}" for c in columns)
                print(f"{name:<10}{total:>8.0f}{total * 0.05:>11.0f} | {cells}")
        print(f"(goal {goal}%)")
    print(f"\n{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
