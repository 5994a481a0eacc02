"""Background work that should start only once the process waits on its targets.

A gate spends its first few hundred milliseconds on CPU (imports, config, planning) and then
mostly waits on the network. Work begun in a thread before that point (importing the renderers)
competes with the start-up for the interpreter lock and delays the first request; begun once the
requests are in flight, it runs in time that is otherwise spent waiting. `defer` holds such work;
the runner calls `waiting` when the first answer of a run is in (the other requests are on their
way then). A command that sends no request never starts it: its consumer must do the work
itself when it is not done (as `report.publish` imports a renderer).
"""

from __future__ import annotations

from collections.abc import Callable

_deferred: list[Callable[[], None]] = []


def defer(start: Callable[[], None]) -> None:
    """Call `start` (which should only start a thread) when the process next waits."""
    _deferred.append(start)


def waiting() -> None:
    """The process now waits on the network: start the deferred work."""
    while _deferred:
        _deferred.pop(0)()
