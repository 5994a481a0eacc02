"""What extending a step can buy under independent per-minute noise: a group-sequential bound.

The same oracle as canary.py's bound (every minute's error rate known exactly, only the gamma
noise with cv 0.5 left, the ratio of the two sums as the test), but judged at looks after 10,
15, 20, ... one-minute windows up to a maximum, stopping at the first look whose ratio crosses
the boundary. The boundary is Pocock's (the same nominal level at every look) or O'Brien and
Fleming's (z falling as sqrt(n_K / n_k), the gate's default), scaled by simulation so that a
healthy canary is rolled back at most 1% of the time over all looks (checked on fresh draws). It
prints, per boundary and maximum, the detection of 2x and the mean windows until a 2x canary is
rolled back; a healthy canary waits for the maximum (there is no early-promotion boundary).

    python scripts/bench/canary_sequential.py [--draws 20000] [--max 10 20 25 30 40] [--seed 0]
"""

from __future__ import annotations

import argparse

import numpy as np

NOISE_CV = 0.5
FIRST_LOOK, LOOK_EVERY = 10, 5
FALSE_ROLLBACK = 0.01


def log_ratios(rng: np.random.Generator, draws: int, windows: int, factor: float) -> np.ndarray:
    """log(sum of canary rates / sum of baseline rates) after each window, one row per draw."""
    shape, scale = 1 / NOISE_CV**2, NOISE_CV**2
    canary = np.cumsum(rng.gamma(shape, scale, (draws, windows)), axis=1) * factor
    baseline = np.cumsum(rng.gamma(shape, scale, (draws, windows)), axis=1)
    return np.asarray(np.log(canary / baseline))


def looks(max_windows: int) -> list[int]:
    """The windows after which the step is judged (1-based counts)."""
    return list(range(FIRST_LOOK, max_windows + 1, LOOK_EVERY))


def boundaries(null: np.ndarray, at: list[int], boundary: str) -> np.ndarray:
    """Per-look critical values of the log ratio: `boundary`'s shape (Pocock: one z at every
    look; O'Brien-Fleming: z falling as sqrt(n_K / n_k)) on the null's spread at each look,
    scaled so that the overall false rollback rate is 1%."""
    stats = null[:, [n - 1 for n in at]]
    shape = np.ones(len(at)) if boundary == "pocock" else np.sqrt(at[-1] / np.array(at))
    unit = shape * stats.std(axis=0)
    low, high = 0.0, 10.0
    for _ in range(50):  # bisect the scale
        middle = (low + high) / 2
        overall = float(np.mean((stats > middle * unit).any(axis=1)))
        low, high = (low, middle) if overall <= FALSE_ROLLBACK else (middle, high)
    return np.asarray(high * unit)


def power(alt: np.ndarray, at: list[int], bounds: np.ndarray) -> tuple[float, float]:
    """Detection over all looks, and the mean windows until the rollback of detected draws."""
    crossed = alt[:, [n - 1 for n in at]] > bounds
    detected = crossed.any(axis=1)
    first = np.array(at)[crossed.argmax(axis=1)]
    return float(detected.mean()), float(first[detected].mean())


def print_table(
    draws: int = 20000, maxima: tuple[int, ...] = (10, 20, 25, 30, 40), seed: int = 0
) -> None:
    """The bound per maximum number of windows and boundary, as a Markdown table."""
    for boundary in ("pocock", "obrien-fleming"):
        print_boundary(draws, maxima, seed, boundary)


def print_boundary(draws: int, maxima: tuple[int, ...], seed: int, boundary: str) -> None:
    rng = np.random.default_rng(seed)
    longest = max(maxima)
    null = log_ratios(rng, draws, longest, 1.0)
    alt = log_ratios(rng, draws, longest, 2.0)
    fresh = log_ratios(rng, draws, longest, 1.0)  # checks the calibration out of sample
    print(
        f"sequential bound, independent noise cv {NOISE_CV}, 2x: {boundary} looks every "
        f"{LOOK_EVERY} windows from {FIRST_LOOK}, false rollback {FALSE_ROLLBACK:.0%} over all "
        f"looks, {draws} draws"
    )
    print("| max windows | looks | 2x detected | false rollback | mean windows to rollback |")
    print("|---|---|---|---|---|")
    for most in maxima:
        at = looks(most)
        bounds = boundaries(null, at, boundary)
        false = float(np.mean((fresh[:, [n - 1 for n in at]] > bounds).any(axis=1)))
        detected, mean_windows = power(alt, at, bounds)
        print(
            f"| {most} | {len(at)} | {100 * detected:.1f}% | {100 * false:.2f}% "
            f"| {mean_windows:.1f} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=20000)
    parser.add_argument("--max", type=int, nargs="+", default=[10, 20, 25, 30, 40])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print_table(args.draws, tuple(args.max), args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
