"""Measuring whole processes on a shared machine: wall, CPU and peak memory of one child, and
medians with their spread over repeated runs."""

from __future__ import annotations

import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProcessRun:
    """What one child process cost."""

    wall_s: float
    user_s: float
    sys_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str

    @property
    def cpu_s(self) -> float:
        """User + system CPU seconds of the child."""
        return self.user_s + self.sys_s


def latency_limit_s(requests: int, latency_ms: float, in_flight: int) -> float:
    """The least wall time of `requests` at a fixed latency, `in_flight` at a time: they take
    whole rounds, so 200 requests 32 at a time at 100 ms need 7 rounds (0.70 s), not 0.625 s."""
    return math.ceil(requests / in_flight) * latency_ms / 1000


def genai_gate_command() -> list[str]:
    """`genai-gate` as a user runs it: the console script beside this interpreter."""
    script = Path(sys.executable).parent / "genai-gate"
    if script.exists():
        return [str(script)]
    found = shutil.which("genai-gate")
    return [found] if found else [sys.executable, "-m", "genai_gate.cli"]


def compile_like_pip(package_dir: Path) -> None:
    """Byte-compile a package as pip does when it installs a wheel, so that a checkout is measured
    as users run it: under PYTHONDONTWRITEBYTECODE an editable install would otherwise compile
    every module from source in every run (about 60 ms of CPU for an eval-gate process)."""
    done = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(package_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"cannot byte-compile {package_dir}: {done.stdout}{done.stderr}")


def run_process(
    command: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> ProcessRun:
    """Run `command` to its end; wall time and the child's own rusage (os.wait4)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=out, stderr=err)
        peak = _HighWater(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        peak.stop()
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ProcessRun(
            wall,
            usage.ru_utime,
            usage.ru_stime,
            peak.kb / 1024,
            process.returncode,
            out.read(),
            err.read(),
        )


class _HighWater:
    """The child's own peak RSS (VmHWM), polled: its ru_maxrss starts at the parent's RSS,
    which Linux carries over fork and exec."""

    def __init__(self, pid: int) -> None:
        self.path = Path(f"/proc/{pid}/status")
        self.kb = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _poll(self) -> None:
        while not self.done.is_set():
            try:
                text = self.path.read_text()
            except OSError:
                return
            for line in text.splitlines():
                if line.startswith("VmHWM:"):
                    self.kb = max(self.kb, int(line.split()[1]))
            self.done.wait(0.01)

    def stop(self) -> None:
        self.done.set()
        self.thread.join()


def load_average() -> str:
    """The 1-minute load average and the number of CPUs, for printing beside timings."""
    return f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"


@dataclass(frozen=True)
class Figure:
    """Repeated measurements of one quantity: median and spread."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def show(self, unit: str = "s", digits: int = 2) -> str:
        """`median unit (min-max, n=N)`."""
        low, high = min(self.values), max(self.values)
        return (
            f"{self.median:.{digits}f} {unit} ({low:.{digits}f}-{high:.{digits}f}, "
            f"n={len(self.values)})"
        )


def figure(values: Sequence[float]) -> Figure:
    return Figure(tuple(values))
