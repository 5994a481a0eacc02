"""`genai-gate mock-llm serve` in its own process for the benchmarks (its CPU is not counted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path


def start_mock(latency_ms: float, script: Path | None = None) -> tuple[subprocess.Popen[str], str]:
    """The mock on a free port answering after `latency_ms`; returns it and its base URL."""
    command = [sys.executable, "-m", "genai_gate.cli", "mock-llm", "serve", "--port", "0"]
    command += ["--latency-ms", str(latency_ms)]
    if script is not None:
        command += ["--script", str(script)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+/v1)", line)
    if match is None:
        process.kill()
        raise SystemExit(f"mock LLM did not start: {line!r}")
    return process, match.group(1)
