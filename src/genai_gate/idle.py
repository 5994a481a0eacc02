"""Background work that should start only once the process waits on its targets.

A gate spends its first few hundred milliseconds on CPU (imports, config, planning) and then
mostly waits on the network. Work begun in a thread before that point (importing the renderers)
competes with the start-up for the interpreter lock and delays the first request; begun once the
requests are in flight, it runs in time that is otherwise spent waiting. `defer` holds such work;
the runner calls `waiting` once its event loop is mostly idle for a moment (the first requests
are sent) or the first answer of a run is in, whichever comes first. A command that sends no
request never starts it: its consumer must do the work itself when it is not done (as
`report.publish` imports a renderer).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

_deferred: list[Callable[[], None]] = []


def defer(start: Callable[[], None]) -> None:
    """Call `start` (which should only start a thread) when the process next waits."""
    _deferred.append(start)


def waiting() -> None:
    """The process now waits on the network: start the deferred work."""
    while _deferred:
        _deferred.pop(0)()


class Prefetched(Generic[T]):
    """`compute()` run in a background thread once the process waits (`defer`), for a value
    needed only at the end (git metadata of the results file)."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute
        self._taken = False
        self._value: tuple[T | None, BaseException | None] = (None, None)
        self._thread = threading.Thread(target=self._run, name="genai-gate-prefetch", daemon=True)
        defer(self._thread.start)

    def _run(self) -> None:
        if self._taken:  # `get` computed it already
            return
        try:
            self._value = (self._compute(), None)
        except Exception as exc:  # raised by `get`, where the value is needed
            self._value = (None, exc)

    def get(self) -> T:
        """The value (or the error computing it raised): waits for the thread, or computes it
        now when the thread never started (nothing was sent)."""
        if self._thread.ident is None:
            self._taken = True
            return self._compute()
        self._thread.join()
        value, error = self._value
        if error is not None:
            raise error
        return value  # type: ignore[return-value]  # set whenever no error was
