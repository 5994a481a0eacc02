"""Detection power of the canary judge on a real Prometheus: false rollbacks and detections.

For each canary traffic (requests/min), baseline (production-sized: the canary is 5% of the
traffic, or a same-size twin) and error-rate noise (steady; `shared`: a per-minute multiplier
with coefficient of variation 0.5 common to all deployments, as a traffic mix or an upstream's
bad minutes; `independent`: one drawn for every deployment and minute), the script
backfills synthetic 15 s scrapes (tests/support/prometheus.py, fixed seeds; in 2 h documents,
one promtool block each, so 1,000+ trials per cell backfill in minutes) of one baseline and
three canaries: identical to the baseline (every rollback is false), twice its error rate (every
rollback is a detection) and an outage (at least 10x the base error rate for 120 s starting at
a random second of the first look's window, so it usually straddles three 1-minute windows).
It serves them with the `prometheus` binary and judges each trial with the gate's own code
(`looks.judge_step`: the first look on 10 one-minute windows, then, while inconclusive, a look
every `sequential.look_every` windows up to `--max-windows`; default settings otherwise,
intermediate step 25%), each trial on its own stretch of `--max-windows` minutes. It prints
the rollback rates, the windows the healthy and 2x canaries were judged on (mean), the look and
the reasons of each false rollback, and ends with the bound no test can pass with independent
noise.

    python scripts/bench/canary.py [--false-trials 400] [--detect-trials 150] [--outage-trials 60]
        [--traffic 300 1200 6000] [--noise steady shared independent] [--max-windows 40]
        [--seed 1] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import canary_looks
import canary_sequential
from support.prometheus import Traffic, available, openmetrics_chunks, prometheus_server

from genai_gate.gates.canary.collect import Window
from genai_gate.gates.canary.gate_result import StepContext
from genai_gate.gates.canary.judge import Decision
from genai_gate.gates.canary.looks import judge_step, possible_looks
from genai_gate.gates.canary.prometheus import PrometheusClient
from genai_gate.gates.canary.settings import CanarySettings, SequentialSettings
from genai_gate.integrations.http import DeadlineHttp

BASE_ERROR_RATE = 0.01
WINDOW_MIN = 10
STEP = 25
NOISE_CV = 0.5
NOISE_KINDS = ("steady", "shared", "independent")


@dataclass(frozen=True)
class Outcome:
    """One judged trial: the decision, what decided it, the windows of its last look and the
    looks made."""

    decision: Decision
    decided_by: list[str]
    windows: int
    looks: int
    fired: list[str]
    """The reasons of the rules that fired."""


@dataclass(frozen=True)
class Cell:
    """One row of the table: canary traffic, baseline kind and noise."""

    canary_per_min: int
    baseline: str
    """`prod` (baseline 19x the canary) or `twin` (same size)."""
    noise: str
    """`steady`; `shared`: one per-minute multiplier for all deployments of the cell (the
    traffic mix, an upstream's bad minutes); `independent`: one per deployment and minute."""

    @property
    def prefix(self) -> str:
        return f"c{self.canary_per_min}-{self.baseline}-{self.noise}"


def noise(rng: random.Random, minutes: int, noisy: bool) -> list[float]:
    """Per-minute error-rate multipliers (gamma with mean 1 and cv NOISE_CV, or all 1)."""
    if not noisy:
        return [1.0] * minutes
    shape = 1 / NOISE_CV**2
    return [rng.gammavariate(shape, 1 / shape) for _ in range(minutes)]


def schedule(multipliers: list[float], factor: Callable[[int], float]) -> Callable[[int], float]:
    """Error rate `s` seconds before the end: base x noise of that minute x factor; at 10x and
    more (an outage) the noise only adds, so an outage is at least 10x the base rate."""

    def rate(s: int) -> float:
        noise = multipliers[s // 60]
        if factor(s) >= 10:
            noise = max(1.0, noise)
        return min(1.0, BASE_ERROR_RATE * noise * factor(s))

    return rate


def outage_factor(rng: random.Random, trials: int, slot_min: int) -> Callable[[int], float]:
    """10x during 120 s starting at a random second of each trial's first window (so it
    straddles the 1-minute windows as a real outage does); `s` counts back from the data end,
    and each trial's stretch of `slot_min` minutes ends with the windows of the later looks."""
    slot_s, later_s = slot_min * 60, (slot_min - WINDOW_MIN) * 60
    starts = {trial: later_s + rng.randint(0, WINDOW_MIN * 60 - 120) for trial in range(trials)}

    def factor(s: int) -> float:
        start = starts.get(s // slot_s)
        return 10.0 if start is not None and start <= s % slot_s < start + 120 else 1.0

    return factor


BUCKETS = (0.25, 0.5, 1.0, 2.0)
"""A coarse duration histogram keeps the backfill small (latency is the same on both sides)."""


def history(trials: int, slot_min: int) -> int:
    """Minutes of data for `trials` trials (plus the gate's look-back before the first)."""
    return trials * slot_min + 10


def deployments(
    cell: Cell, trials: dict[str, int], rng: random.Random, slot_min: int
) -> dict[str, Traffic]:
    """Baseline and canaries of one cell, each with the history its trials need."""
    minutes = history(max(trials.values()), slot_min)
    per_s = cell.canary_per_min / 60
    base_per_s = per_s * (19 if cell.baseline == "prod" else 1)
    factors: dict[str, Callable[[int], float]] = {
        "same": lambda s: 1.0,
        "double": lambda s: 2.0,
        "outage": outage_factor(rng, trials["outage"], slot_min),
    }
    shared = noise(rng, minutes, cell.noise == "shared")

    def multipliers() -> list[float]:
        return shared if cell.noise != "independent" else noise(rng, minutes, True)

    out = {
        f"{cell.prefix}-baseline": Traffic(
            base_per_s,
            error_rate_at_s=schedule(multipliers(), lambda s: 1.0),
            buckets=BUCKETS,
            minutes=minutes,
        )
    }
    for name, factor in factors.items():
        out[f"{cell.prefix}-{name}"] = Traffic(
            per_s,
            error_rate_at_s=schedule(multipliers(), factor),
            buckets=BUCKETS,
            minutes=history(trials[name], slot_min),
        )
    return out


def judge_trial(url: str, settings: CanarySettings, cell: Cell, canary: str, end: float) -> Outcome:
    """Judge one trial whose first look's window ends at `end`, looking on as the gate does."""
    window = Window(end=end, window_s=WINDOW_MIN * 60, interval_s=60)
    ctx = StepContext(STEP, 50, f"{cell.prefix}-baseline", canary, window, url)
    with DeadlineHttp(connect_timeout_s=2, timeout_s=20, run_timeout_s=120) as http:
        stepped = judge_step(PrometheusClient(url, http), settings, ctx, http.remaining_s)
    judgement = stepped.judgement
    fired = [f"{o.rule}: {o.reason}" for o in judgement.rules if o.fired]
    return Outcome(
        judgement.decision, judgement.decided_by, stepped.window.count, stepped.looks, fired
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--false-trials", type=int, default=400)
    parser.add_argument("--detect-trials", type=int, default=150)
    parser.add_argument("--outage-trials", type=int, default=60)
    parser.add_argument("--traffic", type=int, nargs="+", default=[300, 1200, 6000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--noise", nargs="+", default=list(NOISE_KINDS), choices=NOISE_KINDS, metavar="KIND"
    )
    parser.add_argument(
        "--max-windows",
        type=int,
        default=SequentialSettings().max_windows,
        help="sequential.max_windows (10: one look)",
    )
    args = parser.parse_args()
    if not available():
        print("needs the prometheus and promtool binaries (Debian package prometheus)")
        return 2
    trials = {"same": args.false_trials, "double": args.detect_trials, "outage": args.outage_trials}
    cells = [
        Cell(rate, baseline, kind)
        for kind in args.noise
        for baseline in ("prod", "twin")
        for rate in args.traffic
    ]
    rng = random.Random(args.seed)
    end = (int(time.time()) // 3600) * 3600 - 3 * 3600
    started = time.perf_counter()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    table: dict[tuple[Cell, str], list[Outcome]] = {}
    for kind in args.noise:  # one server per noise kind keeps the backfill small
        table.update(judge_cells([c for c in cells if c.noise == kind], trials, rng, end, args))
    print_table(cells, table, trials, args.max_windows)
    print_bound()
    canary_sequential.print_table()
    print(
        f"\n{sum(len(rows) for rows in table.values())} judged windows, "
        f"{time.perf_counter() - started:.0f} s in all; load average at the end: "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    return 0


def judge_cells(
    cells: list[Cell], trials: dict[str, int], rng: random.Random, end: int, args: Any
) -> dict[tuple[Cell, str], list[Outcome]]:
    """Backfill the cells' deployments into one Prometheus and judge every trial."""
    started = time.perf_counter()
    slot_min = max(WINDOW_MIN, args.max_windows)
    settings = CanarySettings(sequential=SequentialSettings(max_windows=args.max_windows))
    data: dict[str, Traffic] = {}
    for cell in cells:
        data.update(deployments(cell, trials, rng, slot_min))
    samples = [0]

    def chunks() -> Iterator[str]:
        # 2 h documents, one promtool block each: the backfill's time grows with the history
        for chunk in openmetrics_chunks(data, end):
            samples[0] += chunk.count("\n") - chunk.count("#")
            yield chunk

    first_end = (slot_min - WINDOW_MIN) * 60  # the later looks' windows follow the first's
    jobs = [
        (cell, scenario, end - trial * slot_min * 60 - first_end)
        for cell in cells
        for scenario, count in trials.items()
        for trial in range(count)
    ]
    with (
        tempfile.TemporaryDirectory() as workdir,
        prometheus_server(chunks(), Path(workdir), timeout_s=300, backfill_timeout_s=600) as server,
    ):
        served = time.perf_counter()
        with ThreadPoolExecutor(args.workers) as pool:
            outcomes = list(
                pool.map(
                    lambda job: judge_trial(
                        server.url, settings, job[0], f"{job[0].prefix}-{job[1]}", job[2]
                    ),
                    jobs,
                )
            )
    print(
        f"{cells[0].noise}: {samples[0]:,} samples of {len(data)} deployments, "
        f"{served - started:.0f} s to generate, backfill and start; {len(jobs)} windows judged "
        f"in {time.perf_counter() - served:.0f} s ({args.workers} workers)",
        flush=True,
    )
    table: dict[tuple[Cell, str], list[Outcome]] = {}
    for (cell, scenario, _), outcome in zip(jobs, outcomes, strict=True):
        table.setdefault((cell, scenario), []).append(outcome)
    return table


def f_test_power(windows: int, rng: random.Random, draws: int = 20000) -> float:
    """Power against 2x of the best scale-invariant test when every minute's error rate is known
    exactly (unlimited traffic) and only the independent gamma noise (cv NOISE_CV) remains: the
    ratio of the two sums of per-minute rates (an F test), at a 1% false rollback rate."""
    shape = windows / NOISE_CV**2

    def ratio() -> float:
        return rng.gammavariate(shape, 1) / rng.gammavariate(shape, 1)

    null = sorted(ratio() for _ in range(draws))
    critical = null[int(0.99 * draws)]
    return sum(2 * ratio() > critical for _ in range(draws)) / draws


def print_bound() -> None:
    """What no test can beat when the per-minute noise is independent on the two sides."""
    rng = random.Random(0)
    at_ten = f_test_power(WINDOW_MIN, rng)
    needed = next(n for n in range(WINDOW_MIN, 200) if f_test_power(n, rng) >= 0.99)
    print(
        f"\nbound with independent noise (cv {NOISE_CV}, per deployment and minute): even with "
        f"every minute's rate known exactly, the best scale-invariant test (ratio of the sums, F) "
        f"detects 2x in {WINDOW_MIN} windows at 1% false rollbacks {100 * at_ten:.0f}% of the "
        f"time, and needs {needed} one-minute windows for 99% (more with counting noise and an "
        f"estimated spread). Shared noise cancels in the minute-paired test (error_rate.paired)."
    )


def oracle(cell: Cell, max_windows: int) -> str:
    """Detection of 2x by the log ratio of the sums knowing the noise law (Poisson at the true
    rate plus independent cv NOISE_CV) with the cell's counts, the gate's looks and boundary,
    at 1% false rollbacks: what no test of these counts beats (independent noise only)."""
    if cell.noise != "independent":
        return "-"
    settings = CanarySettings(sequential=SequentialSettings(max_windows=max_windows))
    looks = possible_looks(settings, WINDOW_MIN)
    base = cell.canary_per_min * (19 if cell.baseline == "prod" else 1)
    rng = np.random.default_rng(cell.canary_per_min)
    requests = (base, cell.canary_per_min)
    best = canary_looks.oracle(rng, 20000, looks, requests, 0.01, 2.0, settings.sequential.boundary)
    return f"{100 * best:.1f}"


def print_table(
    cells: list[Cell],
    table: dict[tuple[Cell, str], list[Outcome]],
    trials: dict[str, int],
    max_windows: int,
) -> None:
    """Rollback rates and judged windows per cell, and which rules decided the false rollbacks."""
    looks = f"looks every 5 windows up to {max_windows}" if max_windows > WINDOW_MIN else "one look"
    print(
        f"\ncanary judge on a real Prometheus: first look 10 x 1 min windows, {looks}, 15 s "
        f"scrapes, base error rate {BASE_ERROR_RATE:.0%}, step {STEP}%, default rules + Kayenta"
    )
    print("goals: false rollback <= 1%; 2x detected >= 99% at 1200/min; outage always caught")
    print(
        "oracle: 2x detected by the log ratio of the sums knowing the noise law, same counts, "
        "looks and boundary, 1% false rollbacks (independent noise)\n"
    )
    header = (
        f"{'canary/min':>10} {'baseline':<9}{'noise':<12}| {'false rollback %':>17} "
        f"| {'2x detected %':>14} | {'oracle %':>8} | {'outage caught %':>16} | {'windows':>11} "
        f"| false rollbacks decided by (at look)"
    )
    print(header)
    print("-" * len(header))
    for cell in cells:

        def rate(scenario: str, cell: Cell = cell) -> str:
            rows = table[(cell, scenario)]
            hits = sum(row.decision is Decision.ROLLBACK for row in rows)
            return f"{100 * hits / len(rows):6.1f} ({hits}/{len(rows)})"

        def windows(scenario: str, cell: Cell = cell) -> float:
            rows = table[(cell, scenario)]
            return sum(row.windows for row in rows) / len(rows)

        deciders = Counter(
            f"{rule} (look {row.looks})"
            for row in table[(cell, "same")]
            if row.decision is Decision.ROLLBACK
            for rule in row.decided_by
        )
        print(
            f"{cell.canary_per_min:>10} {cell.baseline:<9}{cell.noise:<12}"
            f"| {rate('same'):>17} | {rate('double'):>14} | {oracle(cell, max_windows):>8} "
            f"| {rate('outage'):>16} "
            f"| {windows('same'):>4.1f} / {windows('double'):>4.1f} "
            f"| {', '.join(f'{r} {n}' for r, n in deciders.most_common()) or '-'}"
        )
    rows = [row for found in table.values() for row in found]
    holds = sum(row.decision is Decision.HOLD for row in rows)
    early = sum(
        row.decision is Decision.PROMOTE and "error_rate.clear" in row.decided_by for row in rows
    )
    outages = [row for cell in cells for row in table[(cell, "outage")]]
    first = sum(row.decision is Decision.ROLLBACK and row.windows == WINDOW_MIN for row in outages)
    print(
        "\nwindows: mean windows of the last look, healthy / 2x canaries; "
        f"early promotions (error_rate.clear): {early}; holds: {holds}; "
        f"outages rolled back at the first look: {first}/{len(outages)}"
    )
    print(f"trials per cell: {trials}")
    false = [
        f"  {cell.prefix}, look {row.looks} ({row.windows} windows): {reason}"
        for cell in cells
        for row in table[(cell, "same")]
        for reason in row.fired
    ]
    print("\nfalse rollbacks (the rules that fired):", *false or ["  none"], sep="\n")


if __name__ == "__main__":
    sys.exit(main())
