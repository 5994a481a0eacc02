#!/usr/bin/env python3
"""Benchmark of injection-test and pii-scan (issue 5).

1. The full attack suite through `genai-gate injection-test` (the whole CLI path: suite
   generation, runner, judge, results file) against `genai-gate mock-llm serve` running in its own
   process, at 0 ms and 100 ms latency with 32 requests in flight. The target is an `openai`
   target on the mock's naive model (one request per attack, so the theoretical limit is
   the attacks at the latency in whole rounds of 32). Prints wall time, the ratio to that
   limit, and our CPU per attack.
   Then the main thread's CPU of a whole process before the first request, during the run and
   after the last answer (the parts that add to the wall time, less sensitive to load), and
   the example bank agent (python target, tool loop) on the naive and hardened models.
2. pii-scan throughput on 10 MB of mixed English / Spanish text with personal data and
   look-alikes (dates, order numbers, wrong check digits): `find_pii` alone and the whole
   `genai-gate pii-scan` command, in MB/s (goal above 2 MB/s).

    python scripts/bench/injection.py [--repeat 3] [--pii-mb 10]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _measure
import _mockllm
import yaml

from genai_gate.cli import main
from genai_gate.pii import find_pii
from genai_gate.results import GateResult

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "bank-support-agent"


def start_mock(latency_ms: int) -> tuple[subprocess.Popen[str], str]:
    """The mock serving the example's script (naive and hardened models)."""
    return _mockllm.start_mock(latency_ms, EXAMPLE / "mock" / "script.yaml")


def write_config(folder: Path, url: str) -> Path:
    """The example's injection section (its agent profile: every category is delivered)."""
    config = folder / "genai-gate.yaml"
    injection = yaml.safe_load((EXAMPLE / "genai-gate.yaml").read_text(encoding="utf-8"))
    injection = injection["injection"]
    injection.pop("target", None)
    injection.pop("sample", None)
    injection["system_prompt"] = str(EXAMPLE / "prompts" / "bank-support-system.yaml")
    config.write_text(
        json.dumps(
            {
                "version": 1,
                "targets": {"naive": {"type": "openai", "base_url": url, "model": "bank-naive"}},
                "runner": {"concurrency": 32, "cache": {"mode": "off"}},
                "injection": injection,
            }
        ),
        encoding="utf-8",
    )
    return config


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bench_suite(latency_ms: int, repeat: int) -> None:
    process, url = start_mock(latency_ms)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = write_config(Path(tmp), url)
            runs = []
            print(f"(in-process: imports and start-up excluded; {_measure.load_average()})")
            for index in range(repeat):
                results = Path(tmp) / f"r{index}"
                cpu, wall = cpu_seconds(), time.perf_counter()
                code = _run_quiet(config, results)
                runs.append((time.perf_counter() - wall, cpu_seconds() - cpu, code, results))
            wall, cpu, code, results = min(runs, key=lambda r: r[0])
            median = sorted(r[0] for r in runs)[len(runs) // 2]
            result = GateResult.read(results / "injection-test.json")
            attacks = result.summary["attacks"]
            requests = result.usage.requests if result.usage else attacks  # the probe included
            limit = _measure.latency_limit_s(requests, latency_ms, 32)
            ratio = (
                f"{median / limit:.2f}x the limit ({limit:.2f} s; best {wall / limit:.2f}x)"
                if limit
                else "no latency"
            )
            print(
                f"suite {attacks} attacks @ {latency_ms:>3} ms, 32 in flight: "
                f"{median:6.2f} s wall (median of {repeat}, best {wall:.2f} s), {ratio}, "
                f"CPU {cpu / attacks * 1000:.2f} ms/attack, exit {code}, "
                f"{result.summary['successful_attacks']} successful, "
                f"{result.summary.get('not_delivered', 0)} not delivered"
            )
    finally:
        process.terminate()
        process.wait(10)


def _run_quiet(config: Path, results: Path, target: str = "naive") -> int:
    """The CLI with its console output discarded (it would dominate a terminal benchmark)."""
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        return main(
            [
                "--config",
                str(config),
                "injection-test",
                "--full",
                "--no-progress",
                "--target",
                target,
                "--results-dir",
                str(results),
                "--format",
                "json",
                "--output",
                f"sarif={results / 'injection.sarif'}",
            ]
        )


_CRITICAL_PATH = """
import sys, time
from genai_gate import cli, runner
marks = {}
send = runner.Runner.run
def timed(self, jobs, *args, **kwargs):
    marks["start"] = time.thread_time()
    try:
        return send(self, jobs, *args, **kwargs)
    finally:
        marks["end"] = time.thread_time()
runner.Runner.run = timed
try:
    cli.main(sys.argv[1:])
finally:
    print(marks["start"], marks["end"] - marks["start"], time.thread_time() - marks["end"])
"""
"""A whole `genai-gate` process that prints the main thread's CPU seconds before the first
request, during the run and after the last answer."""


def bench_critical_path(repeat: int) -> None:
    """Main-thread CPU of a whole process around the 100 ms run (machine load matters less
    than for wall times): what stands between start-up and the first request, and between
    the last answer and the exit, adds to the wall time; CPU during the run overlaps the wait."""
    import os
    import statistics

    process, url = start_mock(100)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = write_config(Path(tmp), url)
            rows = []
            for index in range(repeat + 1):  # the first run writes the bytecode caches
                argv = [
                    *("--config", str(config), "injection-test", "--full", "--no-progress"),
                    *("--target", "naive", "--results-dir", f"{tmp}/r{index}", "--format", "json"),
                ]
                done = subprocess.run(
                    [sys.executable, "-c", _CRITICAL_PATH, *argv],
                    capture_output=True,
                    text=True,
                    env=env,
                    check=False,
                )
                rows.append([float(x) for x in done.stdout.strip().splitlines()[-1].split()])
            before, during, after = (statistics.median(r[i] for r in rows[1:]) for i in range(3))
            print(
                f"whole process @ 100 ms, main-thread CPU (median of {repeat}): "
                f"{before:.3f} s before the first request, {during:.3f} s during the run, "
                f"{after:.3f} s after the last answer ({_measure.load_average()})"
            )
    finally:
        process.terminate()
        process.wait(10)


def bench_agent(repeat: int) -> None:
    """The example agent (python target, tool loop, 1-3 LLM calls per attack) at 0 ms."""
    import os

    process, url = start_mock(0)
    os.environ["BANK_AGENT_LLM_URL"] = url
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for target in ("agent-naive", "agent"):
                walls = []
                for index in range(repeat):
                    results = Path(tmp) / f"{target}{index}"
                    start = time.perf_counter()
                    code = _run_quiet(EXAMPLE / "genai-gate.yaml", results, target)
                    walls.append(time.perf_counter() - start)
                result = GateResult.read(results / "injection-test.json")
                print(
                    f"example agent {target:<11} full suite @ 0 ms: {min(walls):6.2f} s wall "
                    f"(best of {repeat}), {result.usage.requests if result.usage else 0} "
                    f"agent calls, exit {code}: {result.title}"
                )
    finally:
        process.terminate()
        process.wait(10)


def mixed_text(megabytes: float, seed: int = 7) -> str:
    """EN/ES support-ticket prose with personal data and look-alikes, about `megabytes` MB."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_pii import LOOKALIKES, SENTENCES, VALID

    rng = random.Random(seed)
    filler = {
        "en": [
            "the",
            "customer",
            "called",
            "about",
            "a",
            "card",
            "payment",
            "that",
            "was",
            "declined",
            "at",
            "the",
            "shop",
            "and",
            "asked",
            "whether",
            "the",
            "fee",
            "would",
            "be",
            "refunded",
            "before",
            "the",
            "end",
            "of",
            "the",
            "month",
        ],
        "es": [
            "el",
            "cliente",
            "llamó",
            "por",
            "un",
            "pago",
            "con",
            "tarjeta",
            "rechazado",
            "en",
            "la",
            "tienda",
            "y",
            "preguntó",
            "si",
            "la",
            "comisión",
            "se",
            "devolvería",
            "antes",
            "de",
            "final",
            "de",
            "mes",
        ],
    }
    kinds = list(VALID)
    parts, size, index = [], 0, 0
    target = int(megabytes * 1_000_000)
    while size < target:
        lang = rng.choice(["en", "es"])
        words = " ".join(rng.choice(filler[lang]) for _ in range(rng.randint(15, 40)))
        roll = rng.random()
        if roll < 0.15:
            item = VALID[kinds[index % len(kinds)]](rng)
            index += 1
            words += " " + rng.choice(SENTENCES[lang]).format(x=item)
        elif roll < 0.35:
            words += " " + rng.choice(SENTENCES[lang]).format(x=rng.choice(LOOKALIKES)(rng))
        line = words[:1].upper() + words[1:] + ".\n"
        parts.append(line)
        size += len(line.encode("utf-8"))
    return "".join(parts)


def bench_pii(megabytes: float, repeat: int) -> None:
    text = mixed_text(megabytes)
    size_mb = len(text.encode("utf-8")) / 1_000_000
    best = min(_timed(lambda: find_pii(text)) for _ in range(repeat))
    found = len(find_pii(text))
    print(
        f"pii find_pii: {size_mb:.1f} MB in {best:.2f} s = {size_mb / best:.2f} MB/s "
        f"({found} items)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tickets.txt"
        path.write_text(text, encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "genai_gate.cli",
            "pii-scan",
            str(path),
            "--format",
            "json",
            "--results-dir",
            str(Path(tmp) / "r"),
        ]
        walls = []
        for _ in range(repeat):
            start = time.perf_counter()
            code = subprocess.run(command, stdout=subprocess.DEVNULL, check=False).returncode
            walls.append(time.perf_counter() - start)
        wall = min(walls)
        print(
            f"pii-scan command (process start included): {size_mb:.1f} MB in {wall:.2f} s = "
            f"{size_mb / wall:.2f} MB/s (exit {code}; goal > 2 MB/s)"
        )


def _timed(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is shown)")
    parser.add_argument("--pii-mb", type=float, default=10.0, help="size of the PII corpus")
    return parser.parse_args()


if __name__ == "__main__":
    args = parse_args()
    for latency in (0, 100):
        bench_suite(latency, args.repeat)
    bench_critical_path(args.repeat)
    bench_agent(args.repeat)
    bench_pii(args.pii_mb, args.repeat)
