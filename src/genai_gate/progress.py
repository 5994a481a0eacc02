"""Progress of long runs: a bar on a terminal, a plain line at a steady interval in CI logs.

Every batch of requests is a `Tracker`. Trackers also remember which jobs finished, so that a run
stopped by a signal or an error can say in its results file how far it got (`snapshot`).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

DEFAULT_INTERVAL_S = 10.0
"""Seconds between two plain progress lines; `$GENAI_GATE_PROGRESS_INTERVAL` overrides it."""

_trackers: list[Tracker] = []


def interval_s() -> float:
    """The plain-line interval, from the environment when set to a positive number."""
    try:
        value = float(os.environ.get("GENAI_GATE_PROGRESS_INTERVAL", ""))
    except ValueError:
        return DEFAULT_INTERVAL_S
    return value if value > 0 else DEFAULT_INTERVAL_S


@dataclass
class Tracker:
    """Counts the finished jobs of one batch and shows it (bar or plain lines)."""

    label: str
    total: int
    done: int = 0
    finished: list[str] = field(default_factory=list)
    """Keys of the finished jobs, in completion order."""
    started: float = field(default_factory=time.monotonic)
    _bar: Any = field(default=None, repr=False)
    """The rich progress bar on a terminal."""
    _task: Any = field(default=None, repr=False)
    _stop: threading.Event | None = field(default=None, repr=False)
    """Set to stop the thread printing plain lines."""

    def advance(self, key: str) -> None:
        """One more job finished."""
        self.done += 1
        self.finished.append(key)
        if self._bar is not None:
            self._bar.advance(self._task)

    def line(self) -> str:
        """`genai-gate: golden: 37/200 (18%), 12 s`"""
        share = f" ({100 * self.done // self.total}%)" if self.total else ""
        elapsed = time.monotonic() - self.started
        return f"genai-gate: {self.label}: {self.done}/{self.total}{share}, {elapsed:.0f} s"

    def close(self) -> None:
        """Stop showing progress (the counts stay available to `snapshot`)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        if self._stop is not None:
            self._stop.set()
            self._stop = None


def track(label: str, total: int, show: bool, stream: TextIO | None = None) -> Tracker:
    """A Tracker for `total` jobs; shown as a bar on a terminal, as plain lines otherwise."""
    tracker = Tracker(label, total)
    _trackers.append(tracker)
    if not show or total == 0:
        return tracker
    stream = stream or sys.stderr
    if stream.isatty():
        _start_bar(tracker)
    else:
        _start_lines(tracker, stream, interval_s())
    return tracker


def _start_bar(tracker: Tracker) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    )
    tracker._task = bar.add_task(tracker.label, total=tracker.total)
    tracker._bar = bar
    bar.start()


def _start_lines(tracker: Tracker, stream: TextIO, interval: float) -> None:
    stop = threading.Event()
    tracker._stop = stop

    def emit() -> None:
        while not stop.wait(interval):
            try:
                stream.write(tracker.line() + "\n")
                stream.flush()
            except (OSError, ValueError):  # stream closed: nobody is reading any more
                return

    threading.Thread(target=emit, name="genai-gate-progress", daemon=True).start()


def snapshot() -> list[dict[str, Any]]:
    """How far every batch of this process got: label, done, total, finished job keys."""
    return [
        {"label": t.label, "done": t.done, "total": t.total, "finished": list(t.finished)}
        for t in _trackers
    ]


def reset() -> None:
    """Forget the batches tracked so far (at the start of each gate)."""
    for tracker in _trackers:
        tracker.close()
    _trackers.clear()
