"""Background work that starts once the process waits on its targets (`genai_gate.idle`)."""

from __future__ import annotations

import threading

import pytest

from genai_gate import idle


def test_an_answer_is_computed_in_the_background_once_the_process_waits() -> None:
    threads: list[threading.Thread] = []
    value = idle.answer(lambda: threads.append(threading.current_thread()) or 42)
    assert threads == []  # nothing runs before the process waits
    idle.waiting()
    idle.settle()
    assert value.get() == 42
    assert len(threads) == 1 and threads[0] is not threading.main_thread()


def test_an_answer_is_computed_when_asked_if_the_process_never_waited() -> None:
    calls: list[str] = []
    value = idle.answer(lambda: calls.append(threading.current_thread().name) or "sha")
    assert value.get() == "sha"
    idle.waiting()  # the deferred thread starts late and does not compute it again
    idle.settle()
    assert calls == [threading.main_thread().name]


def test_an_error_computing_an_answer_is_raised_by_get() -> None:
    def fail() -> int:
        raise OSError("git could not start")

    value = idle.answer(fail)
    idle.waiting()
    idle.settle()
    with pytest.raises(OSError, match="git could not start"):
        value.get()
