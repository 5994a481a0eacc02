"""Local test servers: free ports, and subprocesses that announce their URL on the first line of
stdout."""

from __future__ import annotations

import re
import socket
import subprocess
from pathlib import Path

import pytest


def free_port() -> int:
    """A port the OS says is free on 127.0.0.1 (port 0 trick); nothing listens on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    command: list[str], pattern: str, cwd: Path | None = None
) -> tuple[subprocess.Popen[str], str]:
    """Start `command`; return the process and group 1 of `pattern` in its first stdout line."""
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stderr is not None
    line = process.stdout.readline()
    match = re.search(pattern, line)
    if match is None:
        process.kill()
        pytest.fail(f"{command[2:4]} did not start: {line!r} {process.stderr.read()!r}")
    return process, match.group(1)


def stop(process: subprocess.Popen[str]) -> None:
    """Terminate `process`, killing it if it has not exited within 10 s."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
