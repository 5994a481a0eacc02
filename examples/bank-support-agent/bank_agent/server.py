"""The agent as a small HTTP service (what a "deployed" agent looks like to genai-gate smoke-test).

    python -m bank_agent.server --port 8080

- `GET /health`: `{"status": "ok" | "degraded", "checks": {...}}`; 200 when every dependency
  check passes (LLM endpoint reachable, knowledge base loaded, system prompt renders), else 503.
- `POST /v1/chat`: body = a genai-gate python-target request (docs/python-target-request.md:
  messages, session, context, tool_outputs, ...); answer = `{"content", "tool_calls", "usage",
  "model"}` (docs/python-target-reply.md).
  400 for an invalid body, 502 when the LLM endpoint is unreachable or failing, 500 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import openai

from bank_agent.app import llm_client, respond, system_prompt
from bank_agent.bank import Bank
from bank_agent.retrieval import kb_index

MAX_BODY = 1 << 20
"""Largest accepted request body (1 MiB)."""


def check_llm(options: dict[str, Any], timeout_s: float = 2.0) -> dict[str, Any]:
    """Whether the LLM endpoint answers `GET /models`."""
    url = str(llm_client(options).base_url).rstrip("/") + "/models"
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:  # own configured URL
            ok = response.status == 200
            detail = f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        ok, detail = False, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        ok, detail = False, f"unreachable: {getattr(exc, 'reason', exc)}"
    latency = round((time.perf_counter() - started) * 1000, 1)
    return {"ok": ok, "url": url, "detail": detail, "latency_ms": latency}


def check_kb() -> dict[str, Any]:
    """Whether the knowledge base has documents."""
    try:
        count = len(kb_index().documents)
    except OSError as exc:
        return {"ok": False, "detail": f"cannot read the knowledge base: {exc}"}
    return {"ok": count > 0, "documents": count}


def check_prompt(options: dict[str, Any]) -> dict[str, Any]:
    """Whether the system prompt loads and renders."""
    try:
        text = system_prompt(Bank.demo(), None, [], options.get("prompts_dir"))
    except Exception as exc:
        return {"ok": False, "detail": f"{type(exc).__name__}: {exc}"}
    return {"ok": True, "characters": len(text)}


def health(options: dict[str, Any]) -> dict[str, Any]:
    """The health document served at `/health`."""
    checks = {"llm": check_llm(options), "kb": check_kb(), "prompt": check_prompt(options)}
    status = "ok" if all(c["ok"] for c in checks.values()) else "degraded"
    return {"status": status, "model": options.get("model"), "checks": checks}


def make_handler(options: dict[str, Any], verbose: bool = False) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to the agent options (model, base_url, ...)."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "bank-agent/1"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: one line per request on stderr only with --verbose."""
            if verbose:
                super().log_message(format, *args)

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.split("?")[0] == "/health":
                document = health(options)
                self._send(200 if document["status"] == "ok" else 503, document)
            else:
                self._send(404, {"error": f"no route GET {self.path}"})

        def do_POST(self) -> None:
            if self.path.split("?")[0] != "/v1/chat":
                self._send(404, {"error": f"no route POST {self.path}"})
                return
            request = self._read_request()
            if request is None:
                return
            try:
                answer = respond(request, **options)
            except openai.APIConnectionError as exc:
                self._send(502, {"error": f"LLM endpoint unreachable: {exc}"})
            except openai.APIStatusError as exc:
                self._send(502, {"error": f"LLM endpoint answered {exc.status_code}"})
            except Exception as exc:
                self._send(500, {"error": f"{type(exc).__name__}: {exc}"})
            else:
                self._send(200, answer)

        def _read_request(self) -> dict[str, Any] | None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._send(413, {"error": f"body larger than {MAX_BODY} bytes"})
                return None
            try:
                request = json.loads(self.rfile.read(length) or b"null")
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                self._send(400, {"error": f"body is not JSON: {exc}"})
                return None
            messages = request.get("messages") if isinstance(request, dict) else None
            if not isinstance(messages, list) or not messages:
                self._send(400, {"error": "body must be an object with a non-empty `messages`"})
                return None
            return request

    return Handler


def make_server(
    host: str, port: int, options: dict[str, Any], verbose: bool = False
) -> ThreadingHTTPServer:
    """A bound (not yet serving) server; port 0 picks a free port."""
    server = ThreadingHTTPServer((host, port), make_handler(options, verbose))
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    """`python -m bank_agent.server`."""
    parser = argparse.ArgumentParser(prog="python -m bank_agent.server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="TCP port (0 = any free port)")
    parser.add_argument("--model", default="bank-hardened", help="model name sent to the LLM")
    parser.add_argument("--llm-url", help="LLM base URL (default $BANK_AGENT_LLM_URL)")
    parser.add_argument("--verbose", action="store_true", help="log every request on stderr")
    args = parser.parse_args(argv)
    options: dict[str, Any] = {"model": args.model}
    if args.llm_url:
        options["base_url"] = args.llm_url
    try:
        server = make_server(args.host, args.port, options, args.verbose)
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 3
    host, port = server.server_address[:2]
    print(f"bank agent listening on http://{host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
