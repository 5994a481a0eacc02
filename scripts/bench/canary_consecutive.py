"""How often `error_rate.consecutive` fires on healthy canaries at the first look, simulated.

Each draw is ten windows of a baseline and a healthy canary, errors binomial at 1% times an
independent gamma multiplier per side and window (cv 0.5; `--cv 0` for steady rates), as in
canary_looks.py. It prints, per cell, how often the rule fired by a run of breaching windows
and by its outage test alone (95% Wilson intervals), next to the chance of a run with every
window breaching independently at the rule's `alpha` (`runs.run_chance`): what the settings
promise for the runs.

    python scripts/bench/canary_consecutive.py [--draws 20000] [--traffic 300 1200 6000]
        [--baseline prod twin] [--cv 0.5] [--seed 2024]
"""

from __future__ import annotations

import argparse
import sys

import canary_looks
import numpy as np
from canary_looks import BASELINES, errors, interval, side

from genai_gate.gates.canary.rules import consecutive_events
from genai_gate.gates.canary.runs import run_chance
from genai_gate.gates.canary.settings import CanarySettings

WINDOWS = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=20000)
    parser.add_argument("--traffic", type=int, nargs="+", default=[300, 1200, 6000])
    parser.add_argument("--baseline", nargs="+", default=list(BASELINES), choices=BASELINES)
    parser.add_argument("--cv", type=float, default=canary_looks.NOISE_CV)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    canary_looks.NOISE_CV = max(args.cv, 1e-9)  # errors() draws its gamma with this cv
    metric = CanarySettings().metrics[0]
    rule = metric.sigma
    assert rule is not None
    nominal = run_chance(rule.alpha, [rule.consecutive] * WINDOWS)
    print(
        f"healthy canaries, {WINDOWS} windows, noise cv {args.cv:g}, {args.draws} draws per cell; "
        f"runs of {rule.consecutive} with windows breaching independently at alpha "
        f"{rule.alpha:g}: {100 * nominal:.3f}%"
    )
    print("| canary/min | baseline | fired (95% CI) | by a run | by the outage test alone |")
    print("|---|---|---|---|---|")
    for traffic in args.traffic:
        for name in args.baseline:
            rng = np.random.default_rng(args.seed)
            requests = traffic * BASELINES[name]
            runs = outages = 0
            for _ in range(args.draws):
                base = side(errors(rng, WINDOWS, requests, 1.0), requests)
                canary = side(errors(rng, WINDOWS, traffic, 1.0), traffic)
                outcome = consecutive_events(metric, rule, base, canary)
                if outcome.fired and outcome.value is not None and outcome.threshold is not None:
                    run = outcome.value >= outcome.threshold
                    runs, outages = runs + run, outages + (not run)
            print(
                f"| {traffic:,} | {name} | {interval(runs + outages, args.draws)} | "
                f"{interval(runs, args.draws)} | {interval(outages, args.draws)} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
