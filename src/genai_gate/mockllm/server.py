"""An OpenAI-compatible HTTP/1.1 server for the mock LLM, on asyncio's low-level protocols.

Fast enough never to be the bottleneck of a benchmark: keep-alive, TCP_NODELAY, one write per
response, no framework. Endpoints: `POST /v1/chat/completions` (tool calls, usage, streaming),
`GET /v1/models`, `GET /v1/models/{id}`, `GET /health` and `GET /v1/mock/stats` (request
counters, for tests). Faults for tests: the first N chat requests fail with a given status and
`Retry-After`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from genai_gate.mockllm.engine import Engine, MockReply, UnknownModel

_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_MAX_BODY = 32 * 1024 * 1024


@dataclass
class Faults:
    """Injected failures: the first `fail_first` chat requests get `fail_status`."""

    fail_first: int = 0
    fail_status: int = 429
    retry_after: str | None = None
    """Value of the Retry-After header sent with the failures (seconds or an HTTP date)."""


@dataclass
class Stats:
    """Counters exposed at `/v1/mock/stats`."""

    requests: int = 0
    chat_completions: int = 0
    failed_on_purpose: int = 0
    absolute_form: int = 0
    """Requests whose target was a full URL (as clients send them to a proxy)."""
    rules: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, Any]:
        """Plain-data form."""
        return {
            "requests": self.requests,
            "chat_completions": self.chat_completions,
            "failed_on_purpose": self.failed_on_purpose,
            "absolute_form": self.absolute_form,
            "rules": dict(self.rules),
        }


@dataclass
class _Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    delay: bool = False


def _json(status: int, data: Any, **headers: str) -> _Response:
    return _Response(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), headers)


def _error(
    status: int, message: str, kind: str, code: str | None = None, **headers: str
) -> _Response:
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return _json(status, body, **headers)


class MockServer:
    """The request handling, independent of sockets (see `_Protocol`)."""

    def __init__(
        self,
        engine: Engine,
        latency_ms: float = 0.0,
        faults: Faults | None = None,
        api_key: str | None = None,
    ) -> None:
        self.engine = engine
        self.api_key = api_key
        """When set, /v1 requests need `Authorization: Bearer KEY` or `api-key: KEY`."""
        self.latency_s = latency_ms / 1000.0
        self.faults = faults or Faults()
        self.stats = Stats()
        self.server: asyncio.AbstractServer | None = None

    async def start(
        self, host: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None
    ) -> tuple[str, int]:
        """Listen (with TLS when `tls` is given); returns the bound (host, port)."""
        loop = asyncio.get_running_loop()
        self.server = await loop.create_server(
            lambda: _Protocol(self), host, port, reuse_address=True, backlog=2048, ssl=tls
        )
        bound = self.server.sockets[0].getsockname()
        return bound[0], bound[1]

    async def close(self) -> None:
        """Stop listening."""
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    def handle(
        self, method: str, path: str, body: bytes, headers: dict[str, str] | None = None
    ) -> _Response:
        """Route one request (`headers` with lower-case names)."""
        self.stats.requests += 1
        if path.startswith(("http://", "https://")):  # absolute-form (sent to a proxy)
            path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
            self.stats.absolute_form += 1
        path = path.split("?", 1)[0].rstrip("/") or "/"
        if self.api_key is not None and path != "/health":
            headers = headers or {}
            given = headers.get("api-key") or headers.get("authorization", "").removeprefix(
                "Bearer "
            )
            if given != self.api_key:
                message = "Incorrect API key provided"
                return _error(401, message, "invalid_request_error", "invalid_api_key")
        if path in ("/v1/chat/completions", "/chat/completions"):
            if method != "POST":
                return _error(405, "use POST", "invalid_request_error")
            return self.chat(body)
        known = path in ("/health", "/v1/models", "/models", "/v1/mock/stats") or path.startswith(
            ("/v1/models/", "/models/")
        )
        if not known:
            return _error(404, f"unknown path {path}", "invalid_request_error", "not_found")
        if method != "GET":
            return _error(405, f"{method} not allowed on {path}", "invalid_request_error")
        if path == "/health":
            return _json(200, {"status": "ok"})
        if path == "/v1/mock/stats":
            return _json(200, self.stats.as_json())
        if path in ("/v1/models", "/models"):
            return _json(200, {"object": "list", "data": [_model(m) for m in self._models()]})
        name = path.split("/models/", 1)[1]
        if name in self._models():
            return _json(200, _model(name))
        message = f"The model '{name}' does not exist"
        return _error(404, message, "invalid_request_error", "model_not_found")

    def _models(self) -> list[str]:
        return list(self.engine.script.models)

    def chat(self, body: bytes) -> _Response:
        """`POST /v1/chat/completions`."""
        self.stats.chat_completions += 1
        if self.stats.chat_completions <= self.faults.fail_first:
            self.stats.failed_on_purpose += 1
            headers = {"Retry-After": self.faults.retry_after} if self.faults.retry_after else {}
            status = self.faults.fail_status
            kind = "rate_limit_exceeded" if status == 429 else "server_error"
            response = _error(status, f"injected failure (HTTP {status})", kind, kind, **headers)
            response.delay = True
            return response
        try:
            request = json.loads(body)
        except ValueError:
            return _error(400, "request body is not valid JSON", "invalid_request_error")
        if not isinstance(request, dict) or not isinstance(request.get("messages"), list):
            return _error(400, "'messages' is required and must be a list", "invalid_request_error")
        if not request["messages"]:
            return _error(400, "'messages' must not be empty", "invalid_request_error")
        try:
            reply = self.engine.reply(request)
        except UnknownModel as exc:
            return _error(404, str(exc), "invalid_request_error", "model_not_found")
        self.stats.rules[reply.rule_id] += 1
        headers = {"X-Mock-Rule": reply.rule_id, "X-Request-Id": f"req_{reply.fingerprint[:24]}"}
        if request.get("stream"):
            options = request.get("stream_options") or {}
            data = _stream(reply, bool(options.get("include_usage")))
            return _Response(200, data, headers, "text/event-stream", delay=True)
        response = _json(200, completion(reply), **headers)
        response.delay = True
        return response


def _model(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": 0, "owned_by": "genai-gate-mock"}


def _message(reply: MockReply) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply.content, "refusal": None}
    if reply.tool_calls:
        message["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {
                    "name": call.name,
                    "arguments": json.dumps(call.arguments, ensure_ascii=False),
                },
            }
            for call in reply.tool_calls
        ]
    return message


def _usage(reply: MockReply) -> dict[str, int]:
    return {
        "prompt_tokens": reply.prompt_tokens,
        "completion_tokens": reply.completion_tokens,
        "total_tokens": reply.prompt_tokens + reply.completion_tokens,
    }


def completion(reply: MockReply) -> dict[str, Any]:
    """The chat-completions response body of a reply."""
    return {
        "id": f"chatcmpl-{reply.fingerprint[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": reply.model,
        "system_fingerprint": "fp_genai_gate_mock",
        "choices": [
            {
                "index": 0,
                "message": _message(reply),
                "logprobs": None,
                "finish_reason": reply.finish_reason,
            }
        ],
        "usage": _usage(reply),
    }


def _stream(reply: MockReply, include_usage: bool) -> bytes:
    """Server-sent events of a streamed completion (one content chunk)."""
    base = {
        "id": f"chatcmpl-{reply.fingerprint[:24]}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": reply.model,
        "system_fingerprint": "fp_genai_gate_mock",
    }
    delta: dict[str, Any] = {"role": "assistant", "content": reply.content or ""}
    if reply.tool_calls:
        delta["tool_calls"] = [
            {"index": i, **call} for i, call in enumerate(_message(reply)["tool_calls"])
        ]
    chunks = [
        {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]},
        {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": reply.finish_reason}]},
    ]
    if include_usage:
        chunks.append({**base, "choices": [], "usage": _usage(reply)})
    lines = [f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n" for chunk in chunks]
    return ("".join(lines) + "data: [DONE]\n\n").encode("utf-8")


class _Protocol(asyncio.Protocol):
    """One keep-alive connection; requests are answered in order."""

    def __init__(self, server: MockServer) -> None:
        self.server = server
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.busy = False
        """An answer is being delayed (later requests on this connection wait)."""
        self.scheduled = False
        """`_next` is queued for the next loop iteration."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.busy and not self.scheduled:
            # Stamp the arrival now and handle the request in the next loop iteration, after
            # every connection that became readable at the same time has been stamped: the
            # latency then runs from arrival, as on a real server that works in parallel.
            self.scheduled = True
            loop = asyncio.get_running_loop()
            loop.call_soon(self._next, loop.time())

    def _next(self, arrived: float) -> None:
        """Parse and answer the next complete request in the buffer, if any."""
        self.scheduled = False
        while self.transport is not None and not self.busy:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > 65536:
                    self._send(_error(413, "headers too large", "invalid_request_error"), True)
                return
            head = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
            parts = head[0].split(" ")
            headers = {}
            for line in head[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if len(parts) != 3 or "chunked" in headers.get("transfer-encoding", "").lower():
                self._send(
                    _error(400, "malformed or chunked request", "invalid_request_error"), True
                )
                return
            length = int(headers.get("content-length", "0") or 0)
            if length > _MAX_BODY:
                self._send(_error(413, "body too large", "invalid_request_error"), True)
                return
            if len(self.buffer) < end + 4 + length:
                return
            body = bytes(self.buffer[end + 4 : end + 4 + length])
            del self.buffer[: end + 4 + length]
            close = headers.get("connection", "").lower() == "close" or parts[2] == "HTTP/1.0"
            response = self.server.handle(parts[0], parts[1], body, headers)
            if response.delay and self.server.latency_s > 0:
                self.busy = True
                loop = asyncio.get_running_loop()
                loop.call_at(arrived + self.server.latency_s, self._deliver, response, close)
                return
            self._send(response, close)

    def _deliver(self, response: _Response, close: bool) -> None:
        self.busy = False
        self._send(response, close)
        self._next(asyncio.get_running_loop().time())  # a pipelined request waited until now

    def _send(self, response: _Response, close: bool) -> None:
        if self.transport is None:
            return
        head = [
            f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'Error')}",
            f"Content-Type: {response.content_type}",
            f"Content-Length: {len(response.body)}",
            "Connection: close" if close else "Connection: keep-alive",
        ]
        head += [f"{name}: {value}" for name, value in response.headers.items()]
        self.transport.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + response.body)
        if close:
            self.transport.close()
            self.transport = None


@contextlib.contextmanager
def running_server(
    engine: Engine,
    latency_ms: float = 0.0,
    faults: Faults | None = None,
    port: int = 0,
    tls: ssl.SSLContext | None = None,
    api_key: str | None = None,
) -> Iterator[tuple[str, MockServer]]:
    """Run a mock server on 127.0.0.1 in a background thread; yields (base URL .../v1, server)."""
    server = MockServer(engine, latency_ms, faults, api_key)
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    address: list[Any] = []

    def serve() -> None:
        asyncio.set_event_loop(loop)
        try:
            address.append(loop.run_until_complete(server.start("127.0.0.1", port, tls)))
        except OSError as exc:
            address.append(exc)
            loop.close()
            return
        finally:
            ready.set()
        loop.run_forever()
        loop.run_until_complete(server.close())
        loop.close()

    thread = threading.Thread(target=serve, name="mock-llm", daemon=True)
    thread.start()
    ready.wait(10)
    if isinstance(address[0], OSError):
        raise address[0]
    host, bound = address[0]
    try:
        yield f"{'https' if tls else 'http'}://{host}:{bound}/v1", server
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
