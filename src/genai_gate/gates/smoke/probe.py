"""HTTP probes of a deployed agent: its health document and one chat request per case."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

import requests

from genai_gate.errors import InfraError
from genai_gate.gates.eval.case import Case
from genai_gate.httperrors import failure_reason
from genai_gate.targets.interface import ChatRequest

HEALTHY = {"ok", "healthy", "pass", "up"}


class Unreachable(InfraError):
    """The endpoint cannot be reached at all (exit 3)."""


@dataclass(frozen=True)
class Health:
    """What `GET /health` said."""

    status_code: int
    status: str
    checks: dict[str, tuple[bool, str]]
    """Dependency check name -> (ok, detail)."""
    latency_ms: float
    problem: str | None = None
    """Why the answer is unusable (not JSON, no status), when it is."""


@dataclass(frozen=True)
class ChatOutcome:
    """One case sent through the endpoint."""

    latency_ms: float
    status_code: int | None = None
    answer: dict[str, Any] | None = None
    error: str | None = None
    """Transport or HTTP error, when the request failed."""
    problems: list[str] = field(default_factory=list)
    """Ways the answer differs from the case's expectations."""
    connection_failed: bool = False


def _reason(exc: requests.RequestException) -> str:
    return failure_reason(exc, type(exc).__name__)


def _check_detail(value: Any) -> tuple[bool, str]:
    """A dependency check given as `{"ok": bool, ...}`, `{"status": "ok"}` or a bare bool/str."""
    if isinstance(value, bool):
        return value, ""
    if isinstance(value, str):
        return value.lower() in HEALTHY, value
    if isinstance(value, dict):
        ok = (
            value["ok"]
            if isinstance(value.get("ok"), bool)
            else (str(value.get("status", "")).lower() in HEALTHY)
        )
        detail = value.get("detail") or value.get("error") or ""
        return ok, str(detail)
    return False, f"unexpected check value {value!r}"[:200]


def health(session: requests.Session, url: str, timeout: tuple[float, float]) -> Health:
    """GET the health document; Unreachable when the endpoint does not answer at all."""
    started = time.perf_counter()
    try:
        response = session.get(url, timeout=timeout)
    except requests.RequestException as exc:
        raise Unreachable(f"{url} unreachable: {_reason(exc)}") from None
    latency = (time.perf_counter() - started) * 1000
    try:
        document = response.json()
    except ValueError:
        return Health(response.status_code, "", {}, latency, "answer is not JSON")
    if not isinstance(document, dict) or not isinstance(document.get("status"), str):
        return Health(response.status_code, "", {}, latency, "answer has no `status` string")
    raw_checks = document.get("checks") or {}
    if isinstance(raw_checks, list):  # [{"name": ..., "ok": ...}]
        raw_checks = {
            str(c.get("name", i)): c for i, c in enumerate(raw_checks) if isinstance(c, dict)
        }
    checks = {str(name): _check_detail(value) for name, value in raw_checks.items()}
    return Health(response.status_code, document["status"].lower(), checks, latency)


def request_body(case: Case) -> dict[str, Any]:
    """The python-target request for a case (docs/python-target-request.md)."""
    return ChatRequest(
        messages=tuple(case.messages()),
        context=tuple(case.context),
        tool_outputs=dict(case.tool_outputs),
        session=dict(case.session),
    ).cache_payload()


def chat(
    session: requests.Session, url: str, case: Case, timeout: tuple[float, float]
) -> ChatOutcome:
    """POST one case and check the answer against its expectations."""
    started = time.perf_counter()
    try:
        response = session.post(url, json=request_body(case), timeout=timeout)
    except requests.RequestException as exc:
        latency = (time.perf_counter() - started) * 1000
        connection = isinstance(exc, (requests.ConnectionError, requests.ConnectTimeout))
        return ChatOutcome(latency, error=_reason(exc), connection_failed=connection)
    latency = (time.perf_counter() - started) * 1000
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if response.status_code != 200:
        detail = answer.get("error") if isinstance(answer, dict) else None
        error = f"HTTP {response.status_code}" + (f": {detail}" if detail else "")
        return ChatOutcome(latency, response.status_code, error=str(error)[:300])
    if not isinstance(answer, dict) or not isinstance(answer.get("content", ""), str):
        return ChatOutcome(latency, 200, error="answer is not an object with `content`")
    return ChatOutcome(latency, 200, answer, problems=check_answer(case, answer))


def _argument_matches(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict) and set(expected) == {"any"}:
        return actual is not None
    if isinstance(expected, dict) and set(expected) == {"regex"}:
        return actual is not None and re.search(expected["regex"], str(actual)) is not None
    return expected == actual


def check_answer(case: Case, answer: dict[str, Any]) -> list[str]:
    """Ways the answer misses the case's facts, forbidden strings or tool calls."""
    expected = case.expected
    text = str(answer.get("content") or "").lower()
    problems = [f"missing {fact!r}" for fact in expected.facts or [] if fact.lower() not in text]
    if expected.any_of and not any(item.lower() in text for item in expected.any_of):
        problems.append(f"none of {expected.any_of!r}")
    problems += [f"contains {s!r}" for s in expected.not_contains or [] if s.lower() in text]
    calls = [c for c in answer.get("tool_calls") or [] if isinstance(c, dict)]
    if expected.tool_calls is not None:
        if not expected.tool_calls and calls:
            problems.append("called a tool where none was expected")
        for want in expected.tool_calls:
            matching = [c for c in calls if c.get("name") == want.name]
            arguments_ok = any(
                all(
                    _argument_matches(value, (c.get("arguments") or {}).get(key))
                    for key, value in want.arguments.items()
                )
                for c in matching
                if isinstance(c.get("arguments") or {}, dict)
            )
            if not matching:
                problems.append(f"no call of {want.name}")
            elif not arguments_ok:
                problems.append(f"{want.name} called with other arguments")
    return problems
