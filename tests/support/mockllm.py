"""The real mock LLM server (`genai-gate mock-llm serve`) in a subprocess, for tests."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

EXAMPLE_SCRIPT = (
    Path(__file__).resolve().parents[2] / "examples" / "bank-support-agent" / "mock" / "script.yaml"
)
"""The example bank agent's mock script (naive and hardened models)."""


@contextmanager
def mock_llm_server(script: Path = EXAMPLE_SCRIPT) -> Iterator[str]:
    """Serve `script` on a free 127.0.0.1 port; yield the base URL `http://127.0.0.1:PORT/v1`."""
    command = [sys.executable, "-m", "genai_gate.cli", "mock-llm", "serve", "--port", "0"]
    command += ["--script", str(script)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stderr is not None
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/v1)", line)
        if match is None:
            process.kill()
            pytest.fail(f"mock LLM did not start: {line!r} {process.stderr.read()!r}")
        yield match.group(1)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
