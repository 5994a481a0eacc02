"""The event-loop half of `genai_gate.runner`: workers that send the jobs the response cache
did not answer, with concurrency, rate limit, timeouts, retries and the circuit breaker.

Imported only by a run that has something to send (a run the cache answers in full needs
neither asyncio nor the target's network stack).
"""

from __future__ import annotations

import asyncio
import collections
import logging
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from genai_gate import eventloop, idle
from genai_gate.cache import ResponseCache, canonical_text
from genai_gate.eventloop import timeout
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
from genai_gate.targets.interface import ChatResponse, ConnectionFailure, Target, TargetError

if TYPE_CHECKING:
    from genai_gate.config import RunnerSettings
    from genai_gate.progress import Tracker

log = logging.getLogger("genai_gate.runner")


class _RateLimiter:
    """Spaces request starts evenly at `per_minute`."""

    def __init__(self, per_minute: float) -> None:
        self.interval = 60.0 / per_minute
        self.next_at = 0.0

    async def wait(self) -> None:
        now = time.monotonic()
        start = max(now, self.next_at)
        self.next_at = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)


QUIET_S = 0.001
"""`on_outcome` runs once no answer has come in for this long (the answers of one round of
requests are read, and the next requests sent, before any work on them) ..."""
STALE_S = 0.02
"""... or once the oldest finished job has waited this long (a steady stream of answers)."""
IDLE_SHARE = 0.5
"""The loop counts as waiting (`genai_gate.idle`) after a QUIET_S of which it spent more than
this share waiting for I/O: the first requests are sent."""


class Sender(Protocol):
    """What a run needs of its `genai_gate.runner.Runner`."""

    target: Target
    settings: RunnerSettings
    cache: ResponseCache | None
    progress: bool
    label: str


class Run:
    """State of one run of `Runner`'s event loop; `served` are the outcomes of the first jobs,
    already answered by the response cache."""

    def __init__(
        self,
        runner: Sender,
        jobs: list[Job],
        on_outcome: Callable[[Outcome], None] | None,
        served: list[Outcome],
    ) -> None:
        self.runner = runner
        self.on_outcome = on_outcome
        self.on_outcome_error: BaseException | None = None
        self.finished: collections.deque[tuple[float, Outcome]] = collections.deque()
        """Finished jobs `on_outcome` has not seen yet, with the time they finished."""
        self.last_finished = 0.0
        self.drain: asyncio.Handle | None = None
        self.settings = runner.settings
        self.jobs = jobs
        self.served = served
        self.outcomes: list[Outcome | None] = [*served, *[None] * (len(jobs) - len(served))]
        self.stats = RunStats(cache_hits=len(served))
        self.next_index = len(served)
        self.waiting = False
        """`idle.waiting` was called: the first requests are sent, or answered."""
        self.watch: asyncio.TimerHandle | None = None
        self.consecutive_connection_failures = 0
        self.circuit_error: str | None = None
        self.circuit_event = asyncio.Event()
        self.paused_until = 0.0
        """monotonic time before which no request is sent (set by Retry-After)."""
        rpm = self.settings.requests_per_minute
        self.limiter = _RateLimiter(rpm) if rpm else None
        self.identity = canonical_text(runner.target.identity()) if runner.cache else ""
        """The target's identity in canonical JSON (part of every cache key and entry)."""
        self.progress: Tracker | None = None

    async def execute(self) -> RunReport:
        started = time.perf_counter()
        self._start_progress()
        for outcome in self.served:  # answered by the cache before the loop started
            if self.on_outcome is not None:
                self._finished(outcome)
            if self.progress is not None:
                self.progress.advance(outcome.job.key)
        workers = [
            asyncio.ensure_future(self._worker())
            for _ in range(min(self.settings.concurrency, len(self.jobs) - len(self.served)))
        ]
        breaker: asyncio.Future[Any] | None = None
        try:
            if workers:
                self._watch_idle(time.monotonic(), eventloop.waited_s())
                breaker = asyncio.ensure_future(self.circuit_event.wait())
                done_all = asyncio.gather(*workers)
                done_all.add_done_callback(_retrieve)
                await asyncio.wait([done_all, breaker], return_when=asyncio.FIRST_COMPLETED)
                if self.circuit_error is not None:
                    for worker in workers:
                        worker.cancel()
                    await asyncio.gather(*workers, return_exceptions=True)
                else:
                    await done_all  # re-raise an unexpected error in a worker
                while self.finished:  # what on_outcome has not seen yet
                    self._notify(self.finished.popleft()[1])
        finally:
            if self.drain is not None:
                self.drain.cancel()
            if self.watch is not None:
                self.watch.cancel()
            if breaker is not None:
                breaker.cancel()
            for worker in workers:  # an error (or the caller's cancellation) stops them all
                worker.cancel()
            if self.progress is not None:
                self.progress.close()
            # finished answers reach the cache even when the run is stopped (Runner.run_async
            # closes it): a rerun resumes
        if self.runner.cache is not None:
            self.runner.cache.flush()  # a cache that cannot be written is an infra error
        self.stats.wall_s = time.perf_counter() - started
        report = self._report()
        if self.on_outcome_error is not None:
            raise self.on_outcome_error
        if self.circuit_error is not None:
            raise CircuitOpen(self.circuit_error, report)
        return report

    def _report(self) -> RunReport:
        outcomes = [
            outcome if outcome is not None else Outcome(job, None, NOT_RUN, 0, stopped=True)
            for job, outcome in zip(self.jobs, self.outcomes, strict=True)
        ]
        return report_of(outcomes, self.stats)

    async def _worker(self) -> None:
        while self.next_index < len(self.jobs) and self.circuit_error is None:
            index = self.next_index
            self.next_index += 1
            outcome = await self._run_job(self.jobs[index])
            if outcome is None:  # the circuit opened
                return
            if not self.waiting:  # the first answer: the other requests are on their way
                self._now_waiting()
            self.outcomes[index] = outcome
            if self.on_outcome is not None:
                self._finished(outcome)
            if self.progress is not None:
                self.progress.advance(self.jobs[index].key)

    def _watch_idle(self, wall: float, waited: float | None) -> None:
        """Every QUIET_S until the loop waits: once it spent most of the time since the last look
        waiting for I/O, the first requests are sent, and the deferred work starts then (in the
        wait for their answers, not while the answers are read and the next requests sent). A
        loop `eventloop.run` does not drive waits for the first answer."""
        self.watch = None
        if self.waiting or waited is None:
            return
        now, now_waited = time.monotonic(), eventloop.waited_s()
        if now_waited is None:
            return
        elapsed = now - wall
        if elapsed >= QUIET_S and now_waited - waited > elapsed * IDLE_SHARE:
            self._now_waiting()
            return
        loop = asyncio.get_running_loop()
        self.watch = loop.call_later(QUIET_S, self._watch_idle, now, now_waited)

    def _now_waiting(self) -> None:
        self.waiting = True
        idle.waiting()

    def _finished(self, outcome: Outcome) -> None:
        """Queue a finished job for `on_outcome` (see QUIET_S)."""
        self.last_finished = time.monotonic()
        self.finished.append((self.last_finished, outcome))
        if self.drain is None:
            self.drain = asyncio.get_running_loop().call_later(QUIET_S, self._drain)

    def _drain(self) -> None:
        """Hand one finished job to `on_outcome` when the loop is quiet, then look again."""
        self.drain = None
        if not self.finished:
            return
        loop = asyncio.get_running_loop()
        now = time.monotonic()
        quiet_for = now - self.last_finished
        if quiet_for < QUIET_S and now - self.finished[0][0] < STALE_S:
            self.drain = loop.call_later(QUIET_S - quiet_for, self._drain)
            return
        self._notify(self.finished.popleft()[1])
        if self.finished:  # one at a time: answers that come in meanwhile are read first
            self.drain = loop.call_soon(self._drain)

    def _notify(self, outcome: Outcome) -> None:
        if self.on_outcome is None or self.on_outcome_error is not None:
            return
        try:
            self.on_outcome(outcome)
        except Exception as exc:  # raised by execute, once the workers are done
            self.on_outcome_error = exc

    async def _run_job(self, job: Job) -> Outcome | None:
        cache = self.runner.cache
        lookup = None
        if cache is not None and cache.mode != "off":
            lookup = look_up(cache, self.identity, job)
            if lookup.hit is not None:
                self.stats.cache_hits += 1
                return Outcome(job, lookup.hit, None, 0)
            if cache.mode == "replay-only":
                return Outcome(
                    job, None, f"not in the response cache (replay-only): {lookup.key}", 0
                )
        outcome = await self._send(job)
        if outcome is not None and outcome.response is not None:
            usage = outcome.response.usage
            self.stats.prompt_tokens += usage.prompt_tokens
            self.stats.completion_tokens += usage.completion_tokens
            if lookup is not None and cache is not None:
                cache.put_canonical(
                    lookup.key, outcome.response, self.identity, lookup.payload
                )  # buffered
        return outcome

    async def _send(self, job: Job) -> Outcome | None:
        """Send with retries; None when the circuit opened meanwhile."""
        settings = self.settings
        target = self.runner.target
        attempts = 0
        while True:
            pause = self.paused_until - time.monotonic()
            if pause > 0:  # the server asked every client to wait (Retry-After)
                await asyncio.sleep(pause)
            if self.limiter is not None:
                await self.limiter.wait()
            attempts += 1
            self.stats.sent += 1
            started = time.perf_counter()
            try:
                async with timeout(settings.timeout_s):
                    response = await target.complete(job.request)
            except TimeoutError:  # no answer counts toward the breaker like no connection
                error: TargetError = ConnectionFailure(
                    f"no response within {settings.timeout_s:g} s (runner.timeout_s)"
                )
            except TargetError as exc:
                error = exc
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug in a target must fail the job, not pass it
                return Outcome(job, None, f"{type(exc).__name__}: {exc}", attempts)
            else:
                self.consecutive_connection_failures = 0
                if not response.latency_ms:
                    latency = (time.perf_counter() - started) * 1000.0
                    response = _with_latency(response, latency)
                return Outcome(job, response, None, attempts)
            if isinstance(error, ConnectionFailure):
                self.consecutive_connection_failures += 1
                if self.consecutive_connection_failures >= settings.circuit_breaker_failures:
                    self._open_circuit(error)
                    return None
            else:
                self.consecutive_connection_failures = 0
            if not error.retryable or attempts > settings.max_retries:
                log.debug("%s: attempt %d failed, giving up: %s", job.key, attempts, error)
                return Outcome(job, None, _describe(error, attempts), attempts)
            delay = self._delay(attempts, error)
            log.debug(
                "%s: attempt %d failed (%s); retrying in %.2f s", job.key, attempts, error, delay
            )
            if error.retry_after_s is not None:
                self.paused_until = max(self.paused_until, time.monotonic() + delay)
            await asyncio.sleep(delay)
            if self.circuit_error is not None:
                return None

    def _delay(self, attempt: int, error: TargetError) -> float:
        """Full-jitter exponential backoff; a server's Retry-After wins (up to timeout_s).

        Connection failures back off at most 1 s so that the breaker decides quickly.
        """
        if error.retry_after_s is not None:
            return min(max(error.retry_after_s, 0.0), self.settings.timeout_s)
        cap = min(self.settings.backoff_max_s, self.settings.backoff_base_s * 2 ** (attempt - 1))
        if isinstance(error, ConnectionFailure):
            cap = min(cap, 1.0)
        return random.uniform(0.0, cap)

    def _open_circuit(self, error: TargetError) -> None:
        if self.circuit_error is None:
            count = self.settings.circuit_breaker_failures
            self.circuit_error = (
                f"target {getattr(self.runner.target, 'name', '?')!r} is unreachable: "
                f"{count} consecutive requests without a connection or an answer "
                f"(last: {error}); run stopped"
            )
            self.circuit_event.set()

    def _start_progress(self) -> None:
        from genai_gate import progress

        self.progress = progress.track(self.runner.label, len(self.jobs), self.runner.progress)


def _retrieve(future: asyncio.Future[Any]) -> None:
    """Mark a future's exception as seen (workers cancelled by the breaker)."""
    if not future.cancelled():
        future.exception()


def _with_latency(response: ChatResponse, latency_ms: float) -> ChatResponse:
    from dataclasses import replace

    return replace(response, latency_ms=round(latency_ms, 3))


def _describe(error: TargetError, attempts: int) -> str:
    if error.retryable:
        return f"{error} (gave up after {attempts} attempts)"
    return str(error)
