"""`http` target: a JSON endpoint driven by a body template and a response path.

Placeholders in the body template: `{{input}}` (last user message), `{{messages}}` (the OpenAI
message list), `{{context}}` (retrieved documents), `{{tools}}`, `{{tool_outputs}}`,
`{{session}}` / `{{session.KEY}}`, `{{model}}`, `{{temperature}}`, `{{max_tokens}}`,
`{{seed}}`, and `{{request}}` (the whole request as a python target gets it:
docs/python-target-request.md).
A string that is exactly one placeholder is replaced by the JSON value (so `"{{messages}}"`
becomes a list); inside longer strings values are inserted as text.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from typing import Any

from genai_gate.targets.httpclient import HttpClient, raise_for_status
from genai_gate.targets.interface import (
    ChatRequest,
    ChatResponse,
    PermanentError,
    Target,
)
from genai_gate.targets.python import to_response

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*\}\}")
KNOWN = (
    "input",
    "messages",
    "context",
    "tools",
    "tool_outputs",
    "session",
    "model",
    "temperature",
    "max_tokens",
    "seed",
    "request",
)


def template_placeholders(template: Any) -> list[str]:
    """Every placeholder name used in a body template."""
    if isinstance(template, str):
        return PLACEHOLDER.findall(template)
    if isinstance(template, dict):
        return [n for key, v in template.items() for n in template_placeholders([key, v])]
    if isinstance(template, list):
        return [name for item in template for name in template_placeholders(item)]
    return []


def unknown_placeholders(template: Any) -> list[str]:
    """Placeholders of a body template that this target cannot fill."""
    return [
        name
        for name in template_placeholders(template)
        if name not in KNOWN and not name.startswith("session.")
    ]


def last_user_message(request: ChatRequest) -> str:
    """Text of the last user message ('' when there is none)."""
    for message in reversed(request.messages):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):  # content parts
                return "".join(p.get("text", "") for p in content if isinstance(p, dict))
            return content or ""
    return ""


def _values(request: ChatRequest) -> dict[str, Any]:
    payload = request.cache_payload()
    values: dict[str, Any] = {**payload, "input": last_user_message(request), "request": payload}
    for key, value in request.session.items():
        values[f"session.{key}"] = value
    return values


def render(template: Any, values: dict[str, Any]) -> Any:
    """The body template with placeholders substituted."""
    if isinstance(template, str):
        whole = PLACEHOLDER.fullmatch(template)
        if whole:
            return values.get(whole.group(1))

        def text(match: re.Match[str]) -> str:
            value = values.get(match.group(1))
            if value is None:
                return ""
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return "\n\n".join(value)
            return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

        return PLACEHOLDER.sub(text, template)
    if isinstance(template, dict):
        return {render(k, values): render(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [render(item, values) for item in template]
    return template


def extract(data: Any, path: str) -> Any:
    """Follow a dotted path (`output.text`, `choices.0.message.content`) into JSON data."""
    current = data
    for part in path.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.lstrip("-").isdigit():
            try:
                current = current[int(part)]
            except IndexError:
                raise PermanentError(f"response has no {path!r} (index {part})") from None
        else:
            raise PermanentError(f"response has no {path!r} (missing {part!r})")
    return current


class HttpTarget(Target):
    """Sends the rendered body template; the answer is at `response_path`."""

    def __init__(
        self,
        name: str,
        url: str,
        body: Any,
        response_path: str,
        method: str = "POST",
        headers: dict[str, str] | None = None,
        api_key: str | None = None,
        connect_timeout_s: float = 3.0,
        tool_calls_path: str | None = None,
        usage_path: str | None = None,
    ) -> None:
        self.name = name
        self.url = url
        self.method = method
        self.template = body
        self.response_path = response_path
        self.tool_calls_path = tool_calls_path
        self.usage_path = usage_path
        self.public_headers = dict(headers or {})
        self.headers = {"Content-Type": "application/json", **self.public_headers}
        if api_key:
            self.headers["Authorization"] = f"Bearer {api_key}"
        self.client = HttpClient(connect_timeout_s=connect_timeout_s)

    def identity(self) -> dict[str, Any]:
        return {
            "type": "http",
            "url": self.url,
            "method": self.method,
            "body": self.template,
            "response_path": self.response_path,
            "tool_calls_path": self.tool_calls_path,
            "usage_path": self.usage_path,
            "headers": self.public_headers,
        }

    async def complete(self, request: ChatRequest) -> ChatResponse:
        body = render(self.template, _values(request))
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        started = time.perf_counter()
        response = await self.client.request(self.method, self.url, self.headers, payload)
        latency = (time.perf_counter() - started) * 1000.0
        raise_for_status(response, f"{self.name}: {self.method} {self.url}")
        data = response.json()
        answer = extract(data, self.response_path)
        result: dict[str, Any] = {
            "content": answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
        }
        if self.tool_calls_path is not None:
            result["tool_calls"] = extract(data, self.tool_calls_path)
        if self.usage_path is not None:
            result["usage"] = extract(data, self.usage_path)
        parsed = to_response(result, f"{self.name}: response")
        return replace(
            parsed,
            model=data.get("model") if isinstance(data, dict) else None,
            latency_ms=round(latency, 3),
        )

    async def aclose(self) -> None:
        await self.client.aclose()
