"""Runner: concurrency, retries with Retry-After, circuit breaker, timeouts, rate limit, cache."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from support.servers import free_port

from genai_gate.cache import ResponseCache
from genai_gate.config import RunnerSettings
from genai_gate.errors import ExitCode
from genai_gate.mockllm.engine import Engine
from genai_gate.mockllm.script import builtin_script_path, load_script
from genai_gate.mockllm.server import Faults, running_server
from genai_gate.runner import NOT_RUN, CircuitOpen, Job, Outcome, Runner
from genai_gate.targets.interface import ChatRequest
from genai_gate.targets.openai import OpenAITarget
from genai_gate.targets.python import PythonTarget


def _jobs(count: int) -> list[Job]:
    return [
        Job(f"case-{i}", ChatRequest(messages=({"role": "user", "content": f"echo: {i}"},)))
        for i in range(count)
    ]


def _engine() -> Engine:
    path = builtin_script_path("default")
    assert path is not None
    return Engine(load_script(path))


@pytest.mark.timeout(15)
def test_closed_port_opens_the_circuit_and_keeps_partial_results() -> None:
    target = OpenAITarget("dead", f"http://127.0.0.1:{free_port()}/v1", "m")
    jobs = _jobs(200)
    started = time.monotonic()
    with pytest.raises(CircuitOpen) as caught:
        Runner(target, RunnerSettings()).run(jobs)
    elapsed = time.monotonic() - started
    partial = caught.value.partial
    assert caught.value.exit_code == ExitCode.INFRA
    assert "unreachable" in str(caught.value) and "dead" in str(caught.value)
    assert len(partial.outcomes) == 200
    assert [o.job.key for o in partial.outcomes] == [j.key for j in jobs]
    assert partial.stats.failed == 200
    assert partial.stats.sent < 200  # stopped early, not one attempt per case
    assert any(o.error == NOT_RUN for o in partial.outcomes)
    print(f"circuit opened after {elapsed:.3f} s")


@pytest.mark.timeout(15)
def test_circuit_opens_with_one_request_in_flight() -> None:
    target = OpenAITarget("dead", f"http://127.0.0.1:{free_port()}/v1", "m")
    settings = RunnerSettings(concurrency=1, backoff_base_s=0.01)
    with pytest.raises(CircuitOpen) as caught:
        Runner(target, settings).run(_jobs(50))
    assert caught.value.partial.stats.sent == settings.circuit_breaker_failures


def test_429_with_retry_after_twice_then_every_case_succeeds() -> None:
    faults = Faults(fail_first=2, fail_status=429, retry_after="0.2")
    with running_server(_engine(), faults=faults) as (url, server):
        target = OpenAITarget("mock", url, "mock-gpt")
        report = Runner(target, RunnerSettings(concurrency=4)).run(_jobs(20))
    assert report.stats.failed == 0
    assert all(o.ok for o in report.outcomes)
    assert [o.response.content for o in report.outcomes if o.response] == [
        str(i) for i in range(20)
    ]
    assert report.stats.sent == 22
    assert server.stats.failed_on_purpose == 2
    retried = [o for o in report.outcomes if o.attempts > 1]
    assert len(retried) == 2
    assert report.stats.wall_s >= 0.2  # the retries waited for Retry-After


def test_5xx_is_retried_and_gives_up_after_max_retries() -> None:
    faults = Faults(fail_first=100, fail_status=503)
    settings = RunnerSettings(concurrency=2, max_retries=2, backoff_base_s=0.001)
    with running_server(_engine(), faults=faults) as (url, server):
        report = Runner(OpenAITarget("mock", url, "mock-gpt"), settings).run(_jobs(3))
    assert report.stats.failed == 3
    assert all(o.attempts == 3 for o in report.outcomes)
    assert all("HTTP 503" in (o.error or "") for o in report.outcomes)
    assert "gave up after 3 attempts" in (report.outcomes[0].error or "")
    assert server.stats.chat_completions == 9


def test_permanent_error_is_not_retried() -> None:
    with running_server(_engine()) as (url, _):
        target = OpenAITarget("mock", url.replace("/v1", "/nope"), "mock-gpt")
        report = Runner(target, RunnerSettings()).run(_jobs(2))
    assert [o.attempts for o in report.outcomes] == [1, 1]
    assert "HTTP 404" in (report.outcomes[0].error or "")


def test_timeout_fails_the_job() -> None:
    async def slow(request: dict, **_: object) -> str:
        await asyncio.sleep(5)
        return "late"

    settings = RunnerSettings(timeout_s=0.05, max_retries=1, backoff_base_s=0.001)
    report = Runner(PythonTarget("slow", "t:slow", slow), settings).run(_jobs(2))
    assert report.stats.failed == 2
    assert "no response within 0.05 s" in (report.outcomes[0].error or "")
    assert report.outcomes[0].attempts == 2


def test_concurrency_is_bounded() -> None:
    in_flight = 0
    peak = 0

    async def agent(request: dict, **_: object) -> str:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return "ok"

    report = Runner(PythonTarget("a", "t:agent", agent), RunnerSettings(concurrency=3)).run(
        _jobs(30)
    )
    assert report.stats.failed == 0
    assert peak == 3


def test_requests_per_minute_spaces_requests() -> None:
    starts: list[float] = []

    async def agent(request: dict, **_: object) -> str:
        starts.append(time.monotonic())
        return "ok"

    settings = RunnerSettings(requests_per_minute=1200)  # one every 50 ms
    Runner(PythonTarget("a", "t:agent", agent), settings).run(_jobs(5))
    # Slots are absolute (k x 50 ms after the first), so a late event loop can delay a start
    # but never bring the last one earlier than 4 slots after the first.
    assert starts[-1] - starts[0] >= 0.19
    assert starts == sorted(starts)


def test_bug_in_target_fails_the_job_and_does_not_pass() -> None:
    class Broken(PythonTarget):
        async def complete(self, request: ChatRequest):  # type: ignore[override]
            raise KeyError("bug")

    report = Runner(Broken("b", "t:f", lambda r: "x"), RunnerSettings()).run(_jobs(2))
    assert report.stats.failed == 2
    assert report.outcomes[0].error == "KeyError: 'bug'"


def test_second_identical_run_is_served_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with running_server(_engine()) as (url, server):
        target = OpenAITarget("mock", url, "mock-gpt")
        first = Runner(target, RunnerSettings(), cache_dir=cache).run(_jobs(50))
        assert server.stats.chat_completions == 50
        second = Runner(target, RunnerSettings(), cache_dir=cache).run(_jobs(50))
        assert server.stats.chat_completions == 50  # 0 requests reached the server
    assert second.stats.sent == 0 and second.stats.cache_hits == 50
    assert all(o.response and o.response.cached for o in second.outcomes)
    assert [o.response.content for o in second.outcomes if o.response] == [
        o.response.content for o in first.outcomes if o.response
    ]
    assert len(ResponseCache(cache).entry_keys()) == 50
    assert [p.suffix for p in (cache / "packs").iterdir()] == [".jsonl"]  # one pack per run


def test_samples_and_targets_are_cached_separately(tmp_path: Path) -> None:
    calls: list[int] = []

    def agent(request: dict, **_: object) -> str:
        calls.append(1)
        return "x"

    job = _jobs(1)[0]
    jobs = [job, Job(job.key, job.request, sample=1)]
    Runner(PythonTarget("a", "t:agent", agent), cache_dir=tmp_path).run(jobs)
    Runner(PythonTarget("a", "t:agent", agent, {"model": "b"}), cache_dir=tmp_path).run(jobs)
    assert len(calls) == 4


def test_replay_only_miss_is_an_error_not_a_pass(tmp_path: Path) -> None:
    def agent(request: dict, **_: object) -> str:
        return "answer"

    target = PythonTarget("a", "t:agent", agent)
    Runner(target, cache_dir=tmp_path).run(_jobs(2))
    report = Runner(target, cache_dir=tmp_path, cache_mode="replay-only").run(_jobs(3))
    assert [o.ok for o in report.outcomes] == [True, True, False]
    assert "not in the response cache (replay-only)" in (report.outcomes[2].error or "")
    assert report.stats.failed == 1 and report.stats.sent == 0


def test_cache_mode_off_never_writes(tmp_path: Path) -> None:
    target = PythonTarget("a", "t:agent", lambda request: "x")
    Runner(target, cache_dir=tmp_path, cache_mode="off").run(_jobs(2))
    assert not list(tmp_path.iterdir())


def test_run_async_inside_a_running_loop() -> None:
    async def main() -> int:
        target = PythonTarget("a", "t:agent", lambda request: "x")
        report = await Runner(target).run_async(_jobs(3))
        return report.stats.sent

    assert asyncio.run(main()) == 3


def test_progress_bar_does_not_change_results() -> None:
    target = PythonTarget("a", "t:agent", lambda request: "x")
    report = Runner(target, progress=True, label="eval").run(_jobs(5))
    assert report.stats.failed == 0


def test_token_usage_is_summed() -> None:
    with running_server(_engine()) as (url, _):
        report = Runner(OpenAITarget("mock", url, "mock-gpt")).run(_jobs(4))
    usages = [o.response.usage for o in report.outcomes if o.response]
    assert report.stats.prompt_tokens == sum(u.prompt_tokens for u in usages) > 0
    assert report.stats.completion_tokens == sum(u.completion_tokens for u in usages) > 0


def test_unwritable_cache_stops_the_run_with_an_infra_error(tmp_path: Path) -> None:
    from genai_gate.errors import InfraError

    blocker = tmp_path / "file"
    blocker.write_text("")
    target = PythonTarget("a", "t:agent", lambda request: "x")
    with pytest.raises(InfraError, match="cannot write the response cache"):
        Runner(target, cache_dir=blocker).run(_jobs(5))


def test_replay_only_without_a_cache_folder_is_a_usage_error() -> None:
    from genai_gate.errors import ExitCode, UsageError

    target = PythonTarget("a", "t:agent", lambda request: "x")
    with pytest.raises(UsageError) as caught:
        Runner(target, cache_dir=None, cache_mode="replay-only")
    assert caught.value.exit_code == ExitCode.USAGE


def test_retry_after_pauses_every_worker() -> None:
    from genai_gate.targets.interface import TransientError

    starts: list[float] = []
    failed_at: list[float] = []

    async def agent(request: dict, **_: object) -> str:
        now = time.monotonic()
        if not failed_at:
            failed_at.append(now)
            raise TransientError("HTTP 429", retry_after_s=0.3)
        starts.append(now)
        await asyncio.sleep(0.01)
        return "ok"

    report = Runner(PythonTarget("a", "t:agent", agent), RunnerSettings(concurrency=4)).run(
        _jobs(12)
    )
    assert report.stats.failed == 0 and report.stats.sent == 13
    # Requests already in flight when the 429 came are not recalled; new ones wait.
    early = [t for t in starts if failed_at[0] + 0.02 < t < failed_at[0] + 0.29]
    assert early == []


def test_stats_count_retries_and_latency_percentiles(tmp_path: Path) -> None:
    faults = Faults(fail_first=3, fail_status=500, retry_after="0")
    with running_server(_engine(), latency_ms=20, faults=faults) as (url, _):
        target = OpenAITarget("mock", url, "mock-gpt")
        settings = RunnerSettings(concurrency=1)
        first = Runner(target, settings, cache_dir=tmp_path).run(_jobs(10))
        second = Runner(target, settings, cache_dir=tmp_path).run(_jobs(10))
    assert first.stats.retries == 3 and first.stats.sent == 13
    assert first.stats.latency_p50_ms is not None and first.stats.latency_p50_ms >= 20
    assert first.stats.latency_p95_ms is not None
    assert first.stats.latency_p95_ms >= first.stats.latency_p50_ms
    assert second.stats.retries == 0 and second.stats.latency_p50_ms is None


def test_on_outcome_sees_every_finished_job_once_before_the_run_returns() -> None:
    seen: list[tuple[str, bool]] = []
    with running_server(_engine()) as (url, _):
        target = OpenAITarget("mock", url, "mock-gpt")
        report = Runner(target, RunnerSettings(concurrency=4)).run(
            _jobs(9), on_outcome=lambda o: seen.append((o.job.key, o.ok))
        )
    assert sorted(seen) == sorted((o.job.key, o.ok) for o in report.outcomes)
    assert len(seen) == 9 and all(ok for _, ok in seen)


def test_an_error_in_on_outcome_is_raised_after_the_jobs_finished() -> None:
    seen: list[str] = []

    def fail_once(outcome: Outcome) -> None:
        seen.append(outcome.job.key)
        raise ValueError(f"judge broke on {outcome.job.key}")

    with running_server(_engine()) as (url, _):
        runner = Runner(OpenAITarget("mock", url, "mock-gpt"), RunnerSettings(concurrency=2))
        with pytest.raises(ValueError, match="judge broke on case-"):
            runner.run(_jobs(5), on_outcome=fail_once)
    assert len(seen) == 1  # not called again once it failed


CACHED_RUN_PROBE = """
import json, sys
from pathlib import Path
from genai_gate.runner import Job, Runner
from genai_gate.targets.interface import ChatRequest
from genai_gate.targets.openai import OpenAITarget
jobs = [Job(f"case-{i}", ChatRequest(messages=({"role": "user", "content": f"echo: {i}"},)))
        for i in range(int(sys.argv[3]))]
seen = []
target = OpenAITarget("mock", sys.argv[1], "mock-gpt")
report = Runner(target, cache_dir=Path(sys.argv[2])).run(jobs, on_outcome=seen.append)
loaded = [m for m in ("asyncio", "genai_gate.runner_loop", "genai_gate.targets.httpclient")
          if m in sys.modules]
print(json.dumps({"loaded": loaded, "sent": report.stats.sent, "hits": report.stats.cache_hits,
                  "answers": [o.response.content for o in report.outcomes],
                  "seen": [o.job.key for o in seen]}))
"""


def test_a_run_the_cache_answers_in_full_sends_nothing_and_starts_no_event_loop(
    tmp_path: Path,
) -> None:
    """Served from the cache before anything is sent: the same report and on_outcome calls,
    without asyncio or the HTTP client; a run with jobs left to send serves the cached first
    ones and sends the rest."""
    cache = tmp_path / "cache"
    with running_server(_engine()) as (url, server):
        Runner(OpenAITarget("mock", url, "mock-gpt"), cache_dir=cache).run(_jobs(6))
        assert server.stats.chat_completions == 6

        def probe(count: int) -> dict:
            done = subprocess.run(
                [sys.executable, "-c", CACHED_RUN_PROBE, url, str(cache), str(count)],
                capture_output=True,
                text=True,
                check=True,
            )
            return json.loads(done.stdout)

        cached = probe(6)
        assert server.stats.chat_completions == 6
        mixed = probe(9)  # 6 cached, then 3 sent
        assert server.stats.chat_completions == 9
    assert cached == {
        "loaded": [],
        "sent": 0,
        "hits": 6,
        "answers": [str(i) for i in range(6)],
        "seen": [f"case-{i}" for i in range(6)],
    }
    assert mixed["loaded"] == ["asyncio", "genai_gate.runner_loop", "genai_gate.targets.httpclient"]
    assert (mixed["sent"], mixed["hits"]) == (3, 6)
    assert mixed["answers"] == [str(i) for i in range(9)]
    assert sorted(mixed["seen"]) == sorted(f"case-{i}" for i in range(9))


def test_an_error_in_on_outcome_of_a_cached_run_is_raised_after_every_job(
    tmp_path: Path,
) -> None:
    target = PythonTarget("a", "t:agent", lambda request, **_: "answer")
    Runner(target, cache_dir=tmp_path).run(_jobs(3))
    seen: list[str] = []

    def fail(outcome: Outcome) -> None:
        seen.append(outcome.job.key)
        raise ValueError(f"broke on {outcome.job.key}")

    with pytest.raises(ValueError, match="broke on case-0"):
        Runner(target, cache_dir=tmp_path).run(_jobs(3), on_outcome=fail)
    assert seen == ["case-0"]
    report = Runner(target, cache_dir=tmp_path).run(_jobs(3))
    assert report.stats.cache_hits == 3 and report.stats.sent == 0 and report.stats.failed == 0


@pytest.mark.timeout(15)
def test_deferred_work_starts_once_the_requests_are_sent_not_when_answers_arrive() -> None:
    """`idle.waiting` comes while the loop waits on the requests in flight: here the answers
    come only after the deferred work ran (waiting for the first answer would never end)."""
    from genai_gate import idle
    from genai_gate.targets.interface import ChatResponse, Target

    released = threading.Event()

    class AnswersOnceReleased(Target):
        name = "held"

        def identity(self) -> dict[str, str]:
            return {"type": "held"}

        async def complete(self, request: ChatRequest) -> ChatResponse:
            while not released.is_set():
                await asyncio.sleep(0.001)
            return ChatResponse(content="ok")

    target = AnswersOnceReleased()
    idle.prefetch((), released.set)
    report = Runner(target, RunnerSettings(concurrency=4, timeout_s=5)).run(_jobs(4))
    assert [o.response.content if o.response else o.error for o in report.outcomes] == ["ok"] * 4


def test_the_process_loop_comes_from_an_installed_event_loop_policy() -> None:
    """A policy set before the run (uvloop, say, by a python target) makes the process's loop."""
    from genai_gate import eventloop

    made: list[asyncio.AbstractEventLoop] = []

    class Policy(asyncio.DefaultEventLoopPolicy):
        def new_event_loop(self) -> asyncio.AbstractEventLoop:
            made.append(super().new_event_loop())
            return made[-1]

    async def running() -> asyncio.AbstractEventLoop:
        return asyncio.get_running_loop()

    previous = asyncio.get_event_loop_policy()
    eventloop.close()
    asyncio.set_event_loop_policy(Policy())
    try:
        assert eventloop.run(running()) is made[0]
    finally:
        eventloop.close()
        asyncio.set_event_loop_policy(previous)
