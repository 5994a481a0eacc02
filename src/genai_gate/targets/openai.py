"""`openai` target: any OpenAI-compatible chat-completions endpoint."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from genai_gate.targets.interface import (
    ChatRequest,
    ChatResponse,
    PermanentError,
    Target,
    TokenUsage,
    ToolCall,
)

if TYPE_CHECKING:
    from genai_gate.targets.httpclient import HttpClient


class OpenAITarget(Target):
    """POSTs `{base_url}/chat/completions`; the API key comes from an environment variable."""

    def __init__(
        self,
        name: str,
        base_url: str,
        model: str,
        api_key: str | None = None,
        system_prompt: str | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        seed: int | None = None,
        connect_timeout_s: float = 3.0,
        api_key_header: str = "Authorization",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.system_prompt = system_prompt
        self.defaults = {"temperature": temperature, "max_tokens": max_tokens, "seed": seed}
        self.public_headers = dict(headers or {})
        self.headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            **self.public_headers,
        }
        if api_key:
            bearer = api_key_header.lower() == "authorization"
            self.headers[api_key_header] = f"Bearer {api_key}" if bearer else api_key
        self.connect_timeout_s = connect_timeout_s
        self.client: HttpClient | None = None
        """The connection pool, made by the first request (a run the response cache answers
        in full imports no network code)."""

    def identity(self) -> dict[str, Any]:
        return {
            "type": "openai",
            "url": self.url,
            "model": self.model,
            "system_prompt": self.system_prompt,
            "defaults": self.defaults,
            "headers": self.public_headers,
        }

    def body(self, request: ChatRequest) -> dict[str, Any]:
        """The chat-completions request body for `request`."""
        messages = list(request.messages)
        system = []
        if self.system_prompt and not any(m.get("role") == "system" for m in messages):
            system.append({"role": "system", "content": self.system_prompt})
        if request.context:
            documents = "\n\n".join(request.context)
            system.append({"role": "system", "content": f"Retrieved context:\n{documents}"})
        messages += request.tool_exchange()
        body: dict[str, Any] = {"model": request.model or self.model, "messages": system + messages}
        if request.tools:
            body["tools"] = list(request.tools)
        for key, default in self.defaults.items():
            value = getattr(request, key)
            value = default if value is None else value
            if value is not None:
                body[key] = value
        return body

    async def complete(self, request: ChatRequest) -> ChatResponse:
        from genai_gate.targets.httpclient import HttpClient, raise_for_status

        if self.client is None:
            self.client = HttpClient(connect_timeout_s=self.connect_timeout_s)
        payload = json.dumps(self.body(request), ensure_ascii=False).encode("utf-8")
        started = time.perf_counter()
        response = await self.client.request("POST", self.url, self.headers, payload)
        latency = (time.perf_counter() - started) * 1000.0
        raise_for_status(response, f"{self.name}: POST {self.url}")
        return parse_completion(response.json(), latency)

    async def aclose(self) -> None:
        if self.client is not None:
            await self.client.aclose()


def parse_completion(data: Any, latency_ms: float = 0.0) -> ChatResponse:
    """A ChatResponse from a chat-completions response body."""
    try:
        message = data["choices"][0]["message"]
    except (KeyError, IndexError, TypeError):
        raise PermanentError(f"not a chat-completions response: {str(data)[:200]!r}") from None
    calls = []
    for call in message.get("tool_calls") or ():
        function = call.get("function") or {}
        raw = function.get("arguments") or ""
        try:
            arguments = json.loads(raw) if raw else {}
        except ValueError:
            arguments = {}
        calls.append(
            ToolCall(
                name=function.get("name", ""),
                arguments=arguments if isinstance(arguments, dict) else {},
                raw_arguments=raw,
                id=call.get("id", ""),
            )
        )
    return ChatResponse(
        content=message.get("content") or "",
        tool_calls=tuple(calls),
        usage=TokenUsage.from_json(data.get("usage")),
        model=data.get("model"),
        latency_ms=round(latency_ms, 3),
    )
