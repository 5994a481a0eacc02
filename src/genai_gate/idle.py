"""Background work that should start only once the process waits on its targets.

A gate spends its first few hundred milliseconds on CPU (imports, config, planning) and then
mostly waits on the network. Work begun in a thread before that point (importing the renderers)
competes with the start-up for the interpreter lock and delays the first request; begun once the
requests are in flight, it runs in time that is otherwise spent waiting. `prefetch` holds such
work; the runner calls `waiting` once its event loop is mostly idle for a moment (the first
requests are sent) or the first answer of a run is in, whichever comes first, and the event loop
calls `settle` when its run ends, so that the main thread never builds a model while the thread
does. A command that sends no request never starts it:
its consumer must do the work itself when it is not done (as `report.publish` imports a
renderer).
"""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")

_deferred: list[threading.Thread] = []
_started: list[threading.Thread] = []


def prefetch(modules: Iterable[str], *calls: Callable[[], object]) -> threading.Thread:
    """Import `modules`, then make `calls`, in a thread started when the process next waits (the
    thread is returned unstarted).

    A failure is ignored here: the code that needs the module or the call's effect imports or
    calls again, and reports it.
    """
    names = list(modules)

    def load() -> None:
        for name in names:
            with contextlib.suppress(Exception):
                importlib.import_module(name)
        for call in calls:
            with contextlib.suppress(Exception):
                call()

    thread = threading.Thread(target=load, name="genai-gate-prefetch", daemon=True)
    _deferred.append(thread)
    return thread


def waiting() -> None:
    """The process now waits on the network: start the deferred work."""
    while _deferred:
        thread = _deferred.pop(0)
        thread.start()
        _started.append(thread)


def settle() -> None:
    """Wait for the work started so far to end."""
    while _started:
        _started.pop(0).join()


class Answer(Generic[T]):
    """The value of a call made in the background once the process waits, or when first asked
    for (a command that sends no request)."""

    def __init__(self, call: Callable[[], T]) -> None:
        self._call = call
        self._value: tuple[T] | None = None

    def compute(self) -> None:
        """Make the call unless it was made."""
        if self._value is None:
            self._value = (self._call(),)

    def get(self) -> T:
        """The call's value (read after `settle`, or made here)."""
        self.compute()
        assert self._value is not None
        return self._value[0]


def answer(call: Callable[[], T]) -> Answer[T]:
    """`call()`'s value, computed in a thread started when the process next waits."""
    result = Answer(call)
    prefetch((), result.compute)
    return result
