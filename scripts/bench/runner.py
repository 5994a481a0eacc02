#!/usr/bin/env python3
"""Benchmark of the runner against the mock LLM server (issue 2, "Runner" acceptance).

Starts `genai-gate mock-llm serve --latency-ms 100` in its own process (its CPU is not counted),
then runs N cases through `Runner` with 1, 8, 32 and 64 requests in flight (50 cases at 1 in
flight, 1,000 otherwise) and prints, per level: wall time, the ratio to the theoretical limit
(the cases at the latency, in whole rounds of in-flight requests), our process CPU per case
and the server's. Each level runs `--repeat` times (default 3) and the best run is shown with
the median wall beside it: on a shared machine the best run is the figure least disturbed by
other processes. Then a cold and a repeated run with the response cache (the rerun must send
nothing), and the startup time of `genai-gate --version` (median of 7 runs).

    python scripts/bench/runner.py [--latency-ms 100] [--cases 1000] [--client stdlib]

`--client openai-sdk` / `aiohttp` run the same requests through the official SDK's async
client (httpx) or aiohttp instead of genai-gate's standard-library client, to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _measure import latency_limit_s
from _mockllm import start_mock

from genai_gate.config import RunnerSettings
from genai_gate.runner import Job, Runner
from genai_gate.targets.interface import ChatRequest, ChatResponse, Target
from genai_gate.targets.openai import OpenAITarget, parse_completion


class SdkTarget(OpenAITarget):
    """The same target on the official openai SDK's AsyncOpenAI (httpx under the hood)."""

    async def complete(self, request: ChatRequest) -> ChatResponse:
        import openai

        if getattr(self, "sdk", None) is None:
            base = self.url.rsplit("/chat/completions", 1)[0]
            self.sdk = openai.AsyncOpenAI(base_url=base, api_key="mock", max_retries=0)
        raw = await self.sdk.chat.completions.create(**self.body(request))
        return parse_completion(raw.model_dump())

    async def aclose(self) -> None:
        if getattr(self, "sdk", None) is not None:
            await self.sdk.close()
            self.sdk = None


class AiohttpTarget(OpenAITarget):
    """The same target on aiohttp (not a dependency: install it to compare)."""

    async def complete(self, request: ChatRequest) -> ChatResponse:
        import aiohttp

        if getattr(self, "session", None) is None:
            connector = aiohttp.TCPConnector(limit=0)
            self.session = aiohttp.ClientSession(connector=connector)
        async with self.session.post(self.url, json=self.body(request)) as response:
            return parse_completion(await response.json())

    async def aclose(self) -> None:
        if getattr(self, "session", None) is not None:
            await self.session.close()
            self.session = None


CLIENTS: dict[str, type[OpenAITarget]] = {
    "stdlib": OpenAITarget,
    "openai-sdk": SdkTarget,
    "aiohttp": AiohttpTarget,
}


def jobs(count: int) -> list[Job]:
    """Distinct realistic requests (a system prompt and a user question each)."""
    return [
        Job(
            f"case-{i}",
            ChatRequest(
                messages=(
                    {"role": "system", "content": "You are a careful banking assistant."},
                    {"role": "user", "content": f"echo: question number {i} about my balance"},
                ),
                temperature=0.0,
            ),
        )
        for i in range(count)
    ]


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of another process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    target: Target, cases: int, in_flight: int, server_pid: int, cache_dir: Path | None = None
) -> dict[str, Any]:
    """One run: wall time, CPU per case (ours and the server's), failures, requests sent."""
    settings = RunnerSettings(concurrency=in_flight, timeout_s=30)
    runner = Runner(target, settings, cache_dir=cache_dir)
    batch = jobs(cases)
    server_cpu = process_cpu_s(server_pid)
    cpu = time.process_time()
    wall = time.perf_counter()
    report = runner.run(batch)
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    server_cpu = process_cpu_s(server_pid) - server_cpu
    return {
        "wall_s": wall,
        "cpu_ms_per_case": cpu * 1000 / cases,
        "server_cpu_ms_per_case": server_cpu * 1000 / cases,
        "failed": report.stats.failed,
        "sent": report.stats.sent,
    }


def startup_seconds(runs: int = 7) -> float:
    """Median wall time of `genai-gate --version`."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(["genai-gate", "--version"], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--cases-at-1", type=int, default=50, help="cases at 1 in flight")
    parser.add_argument("--levels", default="1,8,32,64")
    parser.add_argument("--client", choices=sorted(CLIENTS), default="stdlib")
    parser.add_argument("--repeat", type=int, default=3, help="runs per level (best is shown)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    process, url = start_mock(args.latency_ms)
    rows = []
    try:
        target_class = CLIENTS[args.client]
        target = target_class("bench", url, "mock-gpt")
        Runner(target, RunnerSettings(concurrency=8)).run(jobs(16))  # warm up imports
        print(f"client: {args.client}; mock latency {args.latency_ms:g} ms; server: {url}")
        print(f"best of {args.repeat} runs per level (median wall in the last column)")
        print(
            f"{'in flight':>9} {'cases':>6} {'wall s':>8} {'limit s':>8} {'ratio':>6} "
            f"{'CPU ms/case':>11} {'server CPU':>10} {'failed':>6} {'median s':>8}"
        )
        for level in (int(x) for x in args.levels.split(",")):
            cases = args.cases_at_1 if level == 1 else args.cases
            runs = [measure(target, cases, level, process.pid) for _ in range(args.repeat)]
            result = min(runs, key=lambda run: run["wall_s"])
            result["median_wall_s"] = statistics.median(run["wall_s"] for run in runs)
            limit = latency_limit_s(cases, args.latency_ms, level)
            row = {"in_flight": level, "cases": cases, "limit_s": limit, **result}
            row["ratio"] = result["wall_s"] / limit
            rows.append(row)
            print(
                f"{level:>9} {cases:>6} {row['wall_s']:>8.3f} {limit:>8.3f} "
                f"{row['ratio']:>6.3f} {row['cpu_ms_per_case']:>11.3f} "
                f"{row['server_cpu_ms_per_case']:>10.2f} {row['failed']:>6} "
                f"{row['median_wall_s']:>8.3f}"
            )
        with tempfile.TemporaryDirectory() as cache:
            cold = measure(target, args.cases, 32, process.pid, Path(cache))
            warm = measure(target, args.cases, 32, process.pid, Path(cache))
        print(
            f"response cache, {args.cases} cases at 32 in flight: first run {cold['wall_s']:.3f} s "
            f"(writing {args.cases} entries), identical rerun {warm['wall_s']:.3f} s with "
            f"{warm['sent']} requests sent, {warm['cpu_ms_per_case']:.3f} CPU ms/case"
        )
    finally:
        process.terminate()
        process.wait(10)
    startup = startup_seconds()
    print(f"startup: genai-gate --version {startup * 1000:.0f} ms (median of 7)")
    if args.json:
        args.json.write_text(
            json.dumps({"client": args.client, "rows": rows, "startup_s": startup}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
