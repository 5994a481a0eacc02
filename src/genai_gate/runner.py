"""Runs many requests against a target: concurrency, rate limit, timeouts, retries, circuit
breaker and the response cache.

Gates build a list of `Job`s and call `Runner(...).run(jobs)`; they get a `RunReport` with one
`Outcome` per job, in job order. When the target is unreachable (N consecutive connection
failures) the run stops at once and `CircuitOpen` is raised with the partial report. Jobs the
response cache answers are served before anything is sent; a run the cache answers in full
starts no event loop (`genai_gate.runner_loop`, which sends the others, is not even imported).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from genai_gate.cache import CacheMode, ResponseCache, canonical_text
from genai_gate.errors import UsageError
from genai_gate.gcpolicy import few_collections
from genai_gate.runner_types import (
    NOT_RUN,
    CircuitOpen,
    Job,
    Outcome,
    RunReport,
    RunStats,
    look_up,
    report_of,
)
from genai_gate.targets.interface import Target

if TYPE_CHECKING:
    from genai_gate.config import RunnerSettings

__all__ = ["NOT_RUN", "CircuitOpen", "Job", "Outcome", "RunReport", "RunStats", "Runner"]


class Runner:
    """Sends jobs to one target under the limits of `RunnerSettings`."""

    def __init__(
        self,
        target: Target,
        settings: RunnerSettings | None = None,
        cache_dir: Path | None = None,
        cache_mode: CacheMode | None = None,
        progress: bool = False,
        label: str = "requests",
    ) -> None:
        from genai_gate.config import RunnerSettings

        self.target = target
        self.settings = settings or RunnerSettings()
        mode = cache_mode or self.settings.cache.mode
        self.cache = ResponseCache(cache_dir, mode) if cache_dir is not None else None
        if self.cache is None and mode == "replay-only":
            raise UsageError("cache mode replay-only needs a cache folder (runner.cache.dir)")
        self.progress = progress
        self.label = label

    def run(
        self, jobs: Sequence[Job], on_outcome: Callable[[Outcome], None] | None = None
    ) -> RunReport:
        """Run every job (blocking); raise CircuitOpen when the target is unreachable.

        `on_outcome` sees each finished job soon after it is done, once the answers that came in
        together with it are read and the next requests sent (work on an answer then fills the
        wait for the others instead of delaying them); every finished job is seen before `run`
        returns. An error it raises is raised by `run` after the jobs finished.
        """
        jobs = list(jobs)
        with few_collections():
            served = self.cached_prefix(jobs)
            if len(served) == len(jobs):
                return self._served(served, on_outcome)
            from genai_gate import eventloop

            return eventloop.run(self._run_async(jobs, on_outcome, served))

    async def run_async(
        self, jobs: Sequence[Job], on_outcome: Callable[[Outcome], None] | None = None
    ) -> RunReport:
        """Same as `run`, for callers already inside an event loop."""
        return await self._run_async(list(jobs), on_outcome, [])

    async def _run_async(
        self, jobs: list[Job], on_outcome: Callable[[Outcome], None] | None, served: list[Outcome]
    ) -> RunReport:
        from genai_gate.runner_loop import Run

        run = Run(self, jobs, on_outcome, served)
        try:
            return await run.execute()
        finally:
            try:
                await self.target.aclose()
            finally:
                if self.cache is not None:  # what was answered stays cached, even when stopped
                    self.cache.close()

    def cached_prefix(self, jobs: list[Job]) -> list[Outcome]:
        """The outcomes of the first jobs, up to the first one the response cache cannot answer
        (none without a cache)."""
        cache = self.cache
        if cache is None or cache.mode == "off" or not jobs:
            return []
        identity = canonical_text(self.target.identity())
        served = []
        for job in jobs:
            hit = look_up(cache, identity, job).hit
            if hit is None:
                break
            served.append(Outcome(job, hit, None, 0))
        return served

    def _served(
        self, served: list[Outcome], on_outcome: Callable[[Outcome], None] | None
    ) -> RunReport:
        """The report of a run the response cache answered in full: nothing is sent, no event
        loop runs and the target, which did nothing, is not closed."""
        from genai_gate import progress

        started = time.perf_counter()
        tracker = progress.track(self.label, len(served), self.progress)
        for outcome in served:
            tracker.advance(outcome.job.key)
        tracker.close()
        assert self.cache is not None  # only a cache serves jobs
        self.cache.close()
        error: Exception | None = None
        for outcome in served:
            if on_outcome is None:
                break
            try:
                on_outcome(outcome)
            except Exception as exc:  # raised once every job is done, as by a run that sends
                error = exc
                break
        stats = RunStats(cache_hits=len(served), wall_s=time.perf_counter() - started)
        report = report_of(served, stats)
        if error is not None:
            raise error
        return report
