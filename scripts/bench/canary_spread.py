"""The event-rate tests' own level under independent per-minute noise, per look, simulated.

Healthy canaries only: per window, each side's errors are binomial among its requests at the
base rate times a gamma multiplier (mean 1, cv 0.5) drawn per side and window. The gate's
`error_rate.increase` and `error_rate.paired` judge the first look's windows at its fixed level,
and the last look's windows at its level of the default boundary (`sequential.boundary`) over
the default looks. It prints how
often each fires against its nominal level, and how often the baseline's extra spread is
estimated at 0 (the increase test is then the exact binomial one), among all draws and among
those the increase test rolled back; and how often each catches a canary at twice the base
rate (`--ratio`).

    python scripts/bench/canary_spread.py [--draws 20000] [--traffic 300] [--baseline 300]
        [--seed 1] [--ratio 2] [--z Z]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from genai_gate.gates.canary.collect import WindowValues
from genai_gate.gates.canary.looks import possible_looks
from genai_gate.gates.canary.rules import extra_variance, increase_test, paired_test
from genai_gate.gates.canary.sequential import boundary_z
from genai_gate.gates.canary.settings import CanarySettings, IncreaseTest, default_metrics
from genai_gate.gates.canary.stats import normal_sf

BASE_ERROR_RATE = 0.01
NOISE_CV = 0.5
LOOKS = possible_looks(CanarySettings(), 10)
BOUNDARY = CanarySettings().sequential.boundary


def side(
    rng: np.random.Generator, windows: int, requests: int, factor: float = 1.0
) -> WindowValues:
    """One deployment's windows: errors among `requests` at `factor` x the noisy base rate."""
    shape = 1 / NOISE_CV**2
    rates = np.minimum(1.0, factor * BASE_ERROR_RATE * rng.gamma(shape, 1 / shape, windows))
    errors = [float(e) for e in rng.binomial(requests, rates)]
    return WindowValues([e / requests for e in errors], errors, [float(requests)] * windows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=20000)
    parser.add_argument("--traffic", type=int, default=300, help="canary requests/min")
    parser.add_argument("--baseline", type=int, default=300, help="baseline requests/min")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ratio", type=float, default=2.0, help="the detected canary's multiple")
    parser.add_argument("--z", type=float, help="increase_test.z (default: the setting's)")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    metric = default_metrics()[0]
    default = IncreaseTest() if args.z is None else IncreaseTest(z=args.z)
    assert default.paired_z is not None
    print(
        f"healthy canary {args.traffic}/min, baseline {args.baseline}/min, independent noise "
        f"cv {NOISE_CV}, {args.draws} draws per row"
    )
    print(
        "| windows | increase fired (nominal) | paired fired (nominal) | no extra spread "
        f"| of the increase's rollbacks | {args.ratio:g}x: increase fired | either fired |"
    )
    print("|---|---|---|---|---|---|---|")
    for windows, looks in ((LOOKS[0], LOOKS[:1]), (LOOKS[-1], LOOKS)):
        z, paired_z = (
            boundary_z(normal_sf(default.z), looks, BOUNDARY)[-1],
            boundary_z(normal_sf(default.paired_z), looks, BOUNDARY)[-1],
        )
        test = IncreaseTest(z=z, paired_z=paired_z)
        fired = [0, 0]
        flat = flat_fired = 0
        caught = [0, 0]
        for _ in range(args.draws):
            base, canary = side(rng, windows, args.baseline), side(rng, windows, args.traffic)
            increase = increase_test(metric, test, base, canary).fired
            fired[0] += increase
            fired[1] += paired_test(metric, test, base, canary).fired
            assert base.numerators is not None
            none = extra_variance([(e, float(args.baseline)) for e in base.numerators]) == 0
            flat += none
            flat_fired += none and increase
            raised = side(rng, windows, args.traffic, args.ratio)
            hit = increase_test(metric, test, base, raised).fired
            caught[0] += hit
            caught[1] += hit or paired_test(metric, test, base, raised).fired
        share = [f"{100 * n / args.draws:.3f}%" for n in fired]
        print(
            f"| {windows} | {share[0]} ({100 * normal_sf(z):.3f}%) | "
            f"{share[1]} ({100 * normal_sf(paired_z):.3f}%) | {100 * flat / args.draws:.1f}% "
            f"| {flat_fired}/{fired[0]} | {100 * caught[0] / args.draws:.1f}% "
            f"| {100 * caught[1] / args.draws:.1f}% |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
