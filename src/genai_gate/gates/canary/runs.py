"""The consecutive rule over the looks of an extended step: which runs count, and how long.

A rule that fires on N breaching windows in a row has more chances in more windows: with each
window breaching independently with chance p, a run of 2 somewhere in 30 windows is about three
times as likely as in 10. At a later look a run fires only when it reaches windows new since
the previous look (a run among windows already judged was judged then), and its length is the
smallest N, at least the configured one, for which a run of N somewhere in the look's windows
is no more likely than a run of the configured length in the first look's windows. The chance
is that of the longest success run in independent trials, computed exactly (`run_chance`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache


def run_chance(p: float, thresholds: Sequence[int]) -> float:
    """Chance that, with each window breaching independently with chance `p`, some window i
    ends a run of at least `thresholds[i]` breaching windows (a threshold above i + 1 cannot
    be met there)."""
    longest = max(thresholds, default=1)
    states = [1.0] + [0.0] * longest  # chance of each current run length, not yet fired
    fired = 0.0
    for need in thresholds:
        grown = [0.0] * (longest + 1)
        grown[0] = (1 - p) * sum(states)
        for run, mass in enumerate(states[:longest]):
            if run + 1 >= need:
                fired += p * mass
            else:
                grown[run + 1] += p * mass
        states = grown
    return fired


@lru_cache(maxsize=64)
def required_runs(p: float, first_run: int, looks: tuple[int, ...]) -> tuple[int, ...]:
    """Run length needed at each look (windows judged at each): `first_run` at the first, then
    the smallest length whose chance anywhere in the look's windows is at most that of
    `first_run` in the first look's windows."""
    budget = run_chance(p, [first_run] * looks[0])
    needed = [first_run]
    for windows in looks[1:]:
        run = first_run
        while run <= windows and run_chance(p, [run] * windows) > budget:
            run += 1
        needed.append(run)
    return tuple(needed)


@dataclass(frozen=True)
class LookRuns:
    """The look being judged among the step's planned looks (windows judged at each)."""

    looks: tuple[int, ...]
    index: int

    @property
    def new_from(self) -> int:
        """First window not judged at the previous look (0 at the first look)."""
        return self.looks[self.index - 1] if self.index else 0

    def required(self, p: float, first_run: int) -> int:
        """Run length this look needs for a rule of `first_run` whose windows breach with
        chance `p` when the canary is healthy."""
        return required_runs(p, first_run, self.looks)[self.index]
