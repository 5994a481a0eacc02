"""SIGINT and SIGTERM end a command the same way: an incomplete `error` result and exit 3.

GitHub cancels a job by sending SIGINT, then SIGTERM a few seconds later, then SIGKILL. The first
signal cancels the work in progress (the coroutine on the shared event loop, else the main thread
gets `Interrupted`), so the command writes what finished so far. A second signal means there is
no time left: `on_second(reason)` runs (it makes sure the results file says the run did not
finish) and the process exits 3 at once, never 130 or 143.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

from genai_gate.errors import ExitCode

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):  # like KeyboardInterrupt: not caught by `except Exception`
    """The command was stopped by a signal; `signal_name` is SIGINT or SIGTERM."""

    def __init__(self, signal_name: str) -> None:
        super().__init__(f"interrupted by {signal_name}")
        self.signal_name = signal_name


_received: str | None = None
_on_second: Callable[[str], None] | None = None


def received() -> str | None:
    """Name of the first signal received, if any."""
    return _received


def _handle(signum: int, frame: FrameType | None) -> None:
    global _received
    name = signal.Signals(signum).name
    if _received is None:
        _received = name
        loop = sys.modules.get("genai_gate.eventloop")  # imported only by commands that use it
        if loop is None or not loop.cancel_current():
            raise Interrupted(name)
        return
    if _on_second is not None:
        with contextlib.suppress(BaseException):  # nothing may stop the exit now
            _on_second(f"interrupted by {_received}, then {name} while stopping")
    sys.stderr.write(f"genai-gate: {name} while stopping; exiting 3 now\n")
    sys.stderr.flush()
    os._exit(int(ExitCode.INFRA))


def install(on_second: Callable[[str], None] | None = None) -> Callable[[], None]:
    """Handle SIGINT and SIGTERM (main thread only); returns a function that restores the old."""
    global _received, _on_second
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    _received, _on_second = None, on_second
    previous = {sig: signal.signal(sig, _handle) for sig in SIGNALS}

    def restore() -> None:
        global _on_second
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _on_second = None

    return restore
