"""One asyncio event loop for the whole process.

Every gate runs its requests through `run`, so `genai-gate run` (several gates) drives async
python targets on the same loop as a single gate does: an agent that keeps one `AsyncOpenAI`
client (bound to the loop of its first call) works in both. A signal cancels the coroutine in
progress through `cancel_current`, the way `asyncio.run` handles Ctrl-C.
"""

from __future__ import annotations

import asyncio
import selectors
import sys
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

from genai_gate import idle

T = TypeVar("T")

_loop: asyncio.AbstractEventLoop | None = None
_current: asyncio.Task[Any] | None = None


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro` to completion on the process's loop (created on first use)."""
    global _loop, _current, _selector
    if _current is not None:
        coro.close()
        raise RuntimeError("eventloop.run() cannot be nested")
    if _loop is None or _loop.is_closed():
        _selector, _loop = _new_loop()
    task = _loop.create_task(coro)
    _current = task
    try:
        return _loop.run_until_complete(task)
    except asyncio.CancelledError:
        from genai_gate.interrupts import Interrupted, received

        signal_name = received()
        if signal_name is not None:
            raise Interrupted(signal_name) from None
        raise
    finally:
        _current = None
        idle.settle()  # the work begun while waiting ends before any result is built


def cancel_current() -> bool:
    """Cancel the coroutine `run` is driving (from a signal handler); False when there is none."""
    if _current is None or _current.done() or _loop is None:
        return False
    _current.cancel()
    _loop.call_soon_threadsafe(lambda: None)  # wake the selector
    return True


def close() -> None:
    """Cancel leftover tasks and close the loop (at the end of the command)."""
    global _loop
    loop, _loop = _loop, None
    if loop is None or loop.is_closed():
        return
    try:
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        loop.close()


if sys.version_info >= (3, 11):
    timeout = asyncio.timeout
    """`async with timeout(delay)`: TimeoutError when the block takes longer than `delay` s (one
    timer on the loop; no task is created, unlike `asyncio.wait_for`)."""
else:  # pragma: no cover - Python 3.10

    def timeout(delay: float) -> Any:
        return _WaitForTimeout(delay)


class _WaitForTimeout:  # pragma: no cover - Python 3.10 fallback for asyncio.timeout
    """Minimal `asyncio.timeout` replacement: cancels the current task after `delay`."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.expired = False

    async def __aenter__(self) -> None:
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        self.handle = loop.call_later(self.delay, self._expire, task)

    def _expire(self, task: asyncio.Task[Any] | None) -> None:
        self.expired = True
        if task is not None:
            task.cancel()

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        self.handle.cancel()
        if self.expired and exc_type is asyncio.CancelledError:
            raise TimeoutError
        return False


class _Selector(selectors.DefaultSelector):
    """The loop's selector, counting the time the loop spent waiting for I/O or a timer."""

    waited_s = 0.0

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        started = time.monotonic()
        try:
            return super().select(timeout)
        finally:
            self.waited_s += time.monotonic() - started


_selector: _Selector | None = None


def _new_loop() -> tuple[_Selector | None, asyncio.AbstractEventLoop]:
    """asyncio's default loop with a `_Selector`; the policy's own loop when one is installed
    (uvloop, a python target's choice) or on Windows (its default loop has no selector)."""
    policy = asyncio.get_event_loop_policy()
    if sys.platform == "win32" or type(policy) is not asyncio.DefaultEventLoopPolicy:
        return None, asyncio.new_event_loop()
    selector = _Selector()
    return selector, asyncio.SelectorEventLoop(selector)


def waited_s() -> float | None:
    """Seconds the process's loop has spent waiting (None: `run` is not driving it)."""
    return _selector.waited_s if _current is not None and _selector is not None else None
