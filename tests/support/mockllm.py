"""The real mock LLM server (`genai-gate mock-llm serve`) in a subprocess, for tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support.servers import start_server, stop

EXAMPLE_SCRIPT = (
    Path(__file__).resolve().parents[2] / "examples" / "bank-support-agent" / "mock" / "script.yaml"
)
"""The example bank agent's mock script (naive and hardened models)."""


@contextmanager
def mock_llm_server(script: Path = EXAMPLE_SCRIPT) -> Iterator[str]:
    """Serve `script` on a free 127.0.0.1 port; yield the base URL `http://127.0.0.1:PORT/v1`."""
    command = [sys.executable, "-m", "genai_gate.cli", "mock-llm", "serve", "--port", "0"]
    process, url = start_server(
        [*command, "--script", str(script)], r"(http://127\.0\.0\.1:\d+/v1)"
    )
    try:
        yield url
    finally:
        stop(process)
