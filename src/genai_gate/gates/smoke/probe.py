"""HTTP probes of a deployed agent: its health document and one chat request per case.

Every request ends within its time limit and the run's deadline (`DeadlineHttp`). A chat answer
must have the documented shape, `{"content": str, "tool_calls": [{"name": str, "arguments":
{...}}], "usage": {...}}` (`tool_calls` and `usage` optional): anything else fails the case with
the reason, so an error body answered with HTTP 200 never passes as an empty answer.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from genai_gate.errors import InfraError
from genai_gate.gates.eval.case import Case
from genai_gate.integrations.http import DeadlineHttp, RequestFailed
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


def _snippet(body: bytes) -> str:
    return repr(body[:120].decode("utf-8", "replace"))


def _parse_json(body: bytes) -> tuple[Any, str | None]:
    """The JSON document of a body, or why it is not one."""
    if not body.strip():
        return None, "the answer is empty"
    try:
        return json.loads(body), None
    except ValueError:
        return None, f"the answer is not JSON: {_snippet(body)}"


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


async def health(http: DeadlineHttp, url: str, headers: dict[str, str]) -> Health:
    """GET the health document; Unreachable when no complete answer arrives."""
    started = time.perf_counter()
    try:
        response = await http.fetch("GET", url, {"Accept": "application/json", **headers})
    except RequestFailed as exc:  # a timeout's sentence names the URL already
        raise Unreachable(f"{url} unreachable: {exc}" if exc.connection else str(exc)) from None
    latency = (time.perf_counter() - started) * 1000
    document, problem = _parse_json(response.body)
    if problem:
        return Health(response.status, "", {}, latency, problem)
    if not isinstance(document, dict) or not isinstance(document.get("status"), str):
        return Health(response.status, "", {}, latency, "answer has no `status` string")
    raw_checks = document.get("checks") or {}
    if isinstance(raw_checks, list):  # [{"name": ..., "ok": ...}]
        raw_checks = {
            str(c.get("name", i)): c for i, c in enumerate(raw_checks) if isinstance(c, dict)
        }
    if not isinstance(raw_checks, dict):
        return Health(response.status, "", {}, latency, "`checks` is neither a list nor an object")
    checks = {str(name): _check_detail(value) for name, value in raw_checks.items()}
    return Health(response.status, document["status"].lower(), checks, latency)


def request_body(case: Case) -> dict[str, Any]:
    """The python-target request for a case (docs/python-target-request.md)."""
    return ChatRequest(
        messages=tuple(case.messages()),
        context=tuple(case.context),
        tool_outputs=dict(case.tool_outputs),
        session=dict(case.session),
    ).cache_payload()


def json_type(value: Any) -> str:
    """JSON's name for the type of a parsed value."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def shape_problem(answer: Any) -> str | None:
    """How a 200 answer departs from the documented chat shape, None when it matches."""
    if not isinstance(answer, dict):
        return f"the answer is {json_type(answer)}, not an object"
    if "content" not in answer:
        keys = ", ".join(sorted(map(str, answer))[:8]) or "none"
        return f"the answer has no `content` (keys: {keys})"
    if not isinstance(answer["content"], str):
        return f"`content` is {json_type(answer['content'])}, not a string"
    calls = answer.get("tool_calls")
    if calls is not None:
        if not isinstance(calls, list):
            return f"`tool_calls` is {json_type(calls)}, not an array"
        for index, call in enumerate(calls):
            if not isinstance(call, dict) or not isinstance(call.get("name"), str):
                return f"`tool_calls[{index}]` has no `name` string"
            if not isinstance(call.get("arguments", {}), dict):
                return f"`tool_calls[{index}].arguments` is not an object"
    return None


async def chat(http: DeadlineHttp, url: str, case: Case, headers: dict[str, str]) -> ChatOutcome:
    """POST one case and check the answer's shape, then its expectations."""
    started = time.perf_counter()
    body = json.dumps(request_body(case)).encode("utf-8")
    request_headers = {"Content-Type": "application/json", "Accept": "application/json"}
    try:
        response = await http.fetch("POST", url, {**request_headers, **headers}, body)
    except RequestFailed as exc:
        latency = (time.perf_counter() - started) * 1000
        return ChatOutcome(latency, error=str(exc), connection_failed=exc.connection)
    latency = (time.perf_counter() - started) * 1000
    answer, problem = _parse_json(response.body)
    if response.status != 200:
        if isinstance(answer, dict) and answer.get("error"):
            detail = str(answer["error"])
        else:
            detail = _snippet(response.body) if response.body.strip() else "empty body"
        return ChatOutcome(
            latency, response.status, error=f"HTTP {response.status}: {detail}"[:300]
        )
    problem = problem or shape_problem(answer)
    if problem:
        return ChatOutcome(latency, 200, error=f"HTTP 200 but {problem}"[:300])
    return ChatOutcome(latency, 200, answer, problems=check_answer(case, answer))


def _argument_matches(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict) and set(expected) == {"any"}:
        return actual is not None
    if isinstance(expected, dict) and set(expected) == {"regex"}:
        return actual is not None and re.search(expected["regex"], str(actual)) is not None
    return bool(expected == actual)


def check_answer(case: Case, answer: dict[str, Any]) -> list[str]:
    """Ways the answer misses the case's facts, forbidden strings or tool calls."""
    expected = case.expected
    text = answer["content"].lower()
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
