"""genai-gate eval-gate and promptfoo eval side by side: one mock, the same cases, 32 in flight.

Each workload runs both tools as whole processes, alternating which goes first, `--repeat`
times; printed: medians (min-max) of wall time and CPU, promptfoo / genai-gate wall ratio (the
median of the per-pair ratios), the ratio to the latency limit (the requests at the latency,
in whole rounds of 32) and the load average during the runs. Workloads (`--only`):

- `200`: 200 cases at 100 ms, one lexical check (genai-gate contains-all, promptfoo icontains);
- `1000x2`: 1,000 cases at 100 ms, the lexical check plus an LLM judge (llm-judge, llm-rubric);
- `2000`, `10000`: 2,000 and 10,000 cases at 0 ms, the lexical check: both tools CPU-bound;
- `cached`: a rerun of 1,000 x 2 with every answer in each tool's own response cache.

Goals: at 0 ms and for the cached rerun genai-gate at least 30x faster; at 100 ms the ratio is
capped by the limit, and there the goal is genai-gate within 1.1x of the limit.

promptfoo needs the npm registry the first time (see `_promptfoo.py`): when it cannot be
installed or run, this script stops with exit 2 and says why, rather than print half a table.

    python scripts/bench/promptfoo_side_by_side.py [--repeat 3] [--only 200,1000x2,...]
        [--promptfoo-dir /tmp/pf]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _promptfoo  # noqa: E402
import eval_gate  # noqa: E402
from _measure import (  # noqa: E402
    Figure,
    ProcessRun,
    compile_like_pip,
    figure,
    genai_gate_command,
    latency_limit_s,
    run_process,
)

CONCURRENCY = 32


@dataclass(frozen=True)
class Workload:
    """Cases, latency, whether an LLM judge scores too, and whether the answers are cached."""

    name: str
    cases: int
    latency_ms: int
    judge: bool
    cached: bool = False
    goal: str = ""

    @property
    def requests(self) -> int:
        return self.cases * (2 if self.judge else 1)

    @property
    def limit_s(self) -> float:
        """Theoretical wall time: every request at the mock's latency, 32 at a time."""
        return latency_limit_s(self.requests, self.latency_ms, CONCURRENCY)

    def describe(self) -> str:
        work = f"{self.cases:,} cases" + (" x 2 (one an LLM judge)" if self.judge else "")
        if self.cached:
            return f"cached rerun of {work}"
        return f"{work} at {self.latency_ms} ms"


WORKLOADS = {
    "200": Workload("200", 200, 100, False, goal="genai-gate <= 1.1x limit"),
    "1000x2": Workload("1000x2", 1000, 100, True, goal="genai-gate <= 1.1x limit"),
    "2000": Workload("2000", 2000, 0, False, goal=">= 30x"),
    "10000": Workload("10000", 10_000, 0, False, goal=">= 30x"),
    "cached": Workload("cached", 1000, 100, True, cached=True, goal=">= 30x"),
}


@dataclass
class Result:
    """Both tools' figures for one workload."""

    workload: Workload
    gate_wall: Figure
    gate_cpu: Figure
    promptfoo_wall: Figure
    promptfoo_cpu: Figure
    ratio: Figure
    """promptfoo wall / genai-gate wall, one value per alternating pair."""
    load: str


class SideBySide:
    """Projects for both tools against one mock per latency, in `root`."""

    def __init__(self, root: Path, promptfoo: list[str]) -> None:
        self.root = root
        self.promptfoo = promptfoo
        self.mocks: dict[int, tuple[subprocess.Popen[str], str]] = {}

    def url(self, latency_ms: int) -> str:
        if latency_ms not in self.mocks:
            folder = self.root / f"mock-{latency_ms}"
            folder.mkdir(parents=True, exist_ok=True)
            self.mocks[latency_ms] = eval_gate.start_mock(folder, latency_ms)
        return self.mocks[latency_ms][1]

    def close(self) -> None:
        for process, _ in self.mocks.values():
            process.terminate()
            process.wait(10)

    def measure(self, work: Workload, repeat: int) -> Result:
        folder = self.root / work.name
        folder.mkdir(parents=True, exist_ok=True)
        url = self.url(work.latency_ms)
        config = eval_gate.write_project(folder, url, work.cases, CONCURRENCY, work.judge)
        rubric = eval_gate.RUBRIC if work.judge else None
        pf_config = _promptfoo.write_promptfoo(folder, url, work.cases, rubric)
        gate_cache, pf_cache = folder / "gate-cache", folder / "promptfoo-cache"
        if work.cached:  # fill each tool's cache once, untimed
            self.gate(work, config, gate_cache)
            self.promptfoo_run(work, pf_config, pf_cache)
        runs: dict[str, list[ProcessRun]] = {"gate": [], "promptfoo": []}
        loads = []
        for index in range(repeat):
            order = ["gate", "promptfoo"] if index % 2 == 0 else ["promptfoo", "gate"]
            for tool in order:
                if tool == "gate":
                    if not work.cached:
                        shutil.rmtree(gate_cache, ignore_errors=True)
                    runs[tool].append(self.gate(work, config, gate_cache))
                else:
                    cache = pf_cache if work.cached else None
                    runs[tool].append(self.promptfoo_run(work, pf_config, cache))
                loads.append(os.getloadavg()[0])
        gate, pf = runs["gate"], runs["promptfoo"]
        return Result(
            work,
            figure([r.wall_s for r in gate]),
            figure([r.cpu_s for r in gate]),
            figure([r.wall_s for r in pf]),
            figure([r.cpu_s for r in pf]),
            figure([p.wall_s / g.wall_s for g, p in zip(gate, pf, strict=True)]),
            f"{min(loads):.1f}-{max(loads):.1f}",
        )

    def gate(self, work: Workload, config: Path, cache: Path) -> ProcessRun:
        """`genai-gate eval-gate` as a user runs it (default console report to a file)."""
        results = config.parent / "gate-results"
        shutil.rmtree(results, ignore_errors=True)
        command = [*genai_gate_command(), "--config", str(config), "eval-gate"]
        command += ["--results-dir", str(results), "--cache-dir", str(cache), "--no-progress"]
        done = run_process(command, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
        summary = json.loads((results / "eval-gate.json").read_text(encoding="utf-8"))["summary"]
        if done.returncode != 0 or summary.get("passed") != work.cases:
            raise SystemExit(f"genai-gate exited {done.returncode}: {summary}: {done.stderr}")
        return done

    def promptfoo_run(self, work: Workload, config: Path, cache: Path | None) -> ProcessRun:
        done, counts = _promptfoo.run_promptfoo(self.promptfoo, config, CONCURRENCY, cache)
        if counts["successes"] != work.cases:
            raise SystemExit(f"promptfoo: {counts} for {work.cases} cases: {done.stderr[-500:]}")
        return done


def table(results: list[Result], note: str) -> str:
    """The README's side-by-side table."""
    lines = [
        f"| work ({note}) | genai-gate | promptfoo | promptfoo / genai-gate | genai-gate / limit "
        "| goal | load |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        work = r.workload
        limit = (
            f"{r.gate_wall.median / work.limit_s:.2f}x of {work.limit_s:.3g} s"
            if work.latency_ms and not work.cached
            else "-"
        )
        lines.append(
            f"| {work.describe()} | {r.gate_wall.show()}, CPU {r.gate_cpu.median:.2f} s "
            f"| {r.promptfoo_wall.show()}, CPU {r.promptfoo_cpu.median:.1f} s "
            f"| {r.ratio.show('x', 1)} | {limit} | {work.goal} | {r.load} |"
        )
    return "\n".join(lines)


def run(names: list[str], repeat: int, promptfoo_dir: Path) -> tuple[list[Result], str]:
    """Measure the named workloads; (results, `node ..., promptfoo ...`). SystemExit(2) naming
    the cause when promptfoo cannot be installed or run here."""
    try:
        command, note = _promptfoo.ensure_promptfoo(promptfoo_dir)
    except _promptfoo.Unavailable as exc:
        print(f"promptfoo side by side: cannot run promptfoo: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    print(f"promptfoo side by side: {note}; {CONCURRENCY} in flight", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-promptfoo-") as folder:
        bench = SideBySide(Path(folder), command)
        try:
            for name in names:
                result = bench.measure(WORKLOADS[name], repeat)
                results.append(result)
                print(
                    f"  {result.workload.describe()}: genai-gate {result.gate_wall.show()}; "
                    f"promptfoo {result.promptfoo_wall.show()}; ratio {result.ratio.show('x', 1)}"
                    f"  [load {result.load}]",
                    flush=True,
                )
        finally:
            bench.close()
    return results, note


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each tool per workload")
    parser.add_argument("--only", help=f"comma-separated workloads of {', '.join(WORKLOADS)}")
    parser.add_argument("--promptfoo-dir", type=Path, default=Path("/tmp/pf"))
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(WORKLOADS)
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload(s): {', '.join(unknown)}")
    import genai_gate

    compile_like_pip(Path(genai_gate.__file__).parent)
    results, note = run(names, args.repeat, args.promptfoo_dir)
    print()
    print(table(results, note))
    print(f"\nmedians of {args.repeat} alternating runs (min-max); load on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
