"""The agent as a small HTTP service (what a "deployed" agent looks like to genai-gate smoke-test).

    python -m bank_agent.server --port 8080

- `GET /health`: `{"status": "ok" | "degraded", "checks": {...}}`; 200 when every dependency
  check passes (LLM endpoint reachable, knowledge base loaded, system prompt renders), else 503.
- `POST /v1/chat`: body = a genai-gate python-target request (docs/python-target-request.md:
  messages, session, context, tool_outputs, ...); answer = `{"content", "tool_calls", "usage",
  "model"}` (docs/python-target-reply.md).
  400 for an invalid body, 502 when the LLM endpoint is unreachable or failing, 500 otherwise.
  The answer passes genai-gate's runtime guard first: personal data in it is masked (or the
  answer withheld with `--pii-action block`) and every incident is counted.
- `POST /v1/feedback`: `{"score": 0.0-1.0, "model"?: name}`, a quality score (user rating or
  online judge) recorded in the `llm_quality_score` histogram; 204.
- `GET /metrics`: the guard's Prometheus metrics (`llm_requests_total{model,status}`,
  `llm_latency_seconds`, `llm_cost_usd_total{model}`, `llm_quality_score`,
  `llm_pii_blocks_total`), cost priced from the answer's token usage (`--price-input/-output`).
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
from genai_gate.runtime_guard import GuardMetrics, PiiFilter

MAX_BODY = 1 << 20
"""Largest accepted request body (1 MiB)."""
UNREADABLE = object()
"""What `_read_json` returns after answering 413 or 400."""


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


DEFAULT_PRICES = (0.15, 0.60)
"""USD per 1M input and output tokens (gpt-4o-mini in model_registry.yaml)."""


class Guard:
    """The runtime guard of the service: metrics, PII filter and token prices."""

    def __init__(
        self, pii_action: str = "mask", prices: tuple[float, float] = DEFAULT_PRICES
    ) -> None:
        self.metrics = GuardMetrics()
        self.pii = PiiFilter("block" if pii_action == "block" else "mask")
        self.prices = prices

    def cost_usd(self, usage: dict[str, Any]) -> float:
        """Spend of one answer from its token usage."""
        tokens_in = usage.get("prompt_tokens") or 0
        tokens_out = usage.get("completion_tokens") or 0
        return (tokens_in * self.prices[0] + tokens_out * self.prices[1]) / 1_000_000

    def answer(self, request: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        """`respond`, timed, priced and filtered; an exception counts as an error and escapes."""
        model = str(request.get("model") or options.get("model") or "unknown")
        with self.metrics.track(model) as call:
            answer = respond(request, **options)
            call.cost_usd = self.cost_usd(answer.get("usage") or {})
            filtered = self.pii.apply(answer.get("content") or "")
            self.metrics.incident(filtered)
            if filtered.action is not None:
                answer = {**answer, "content": filtered.text, "pii_filtered": filtered.action}
            if filtered.blocked:
                call.status = "blocked"
        return answer


def make_handler(
    options: dict[str, Any], verbose: bool = False, guard: Guard | None = None
) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to the agent options (model, base_url, ...)."""
    guard = guard or Guard()

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
            route = self.path.split("?")[0]
            if route == "/health":
                document = health(options)
                self._send(200 if document["status"] == "ok" else 503, document)
            elif route == "/metrics":
                body, content_type = guard.metrics.exposition()
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self._send(404, {"error": f"no route GET {self.path}"})

        def do_POST(self) -> None:
            route = self.path.split("?")[0]
            if route == "/v1/feedback":
                self._feedback()
                return
            if route != "/v1/chat":
                self._send(404, {"error": f"no route POST {self.path}"})
                return
            request = self._read_request()
            if request is None:
                return
            try:
                answer = guard.answer(request, options)
            except openai.APIConnectionError as exc:
                self._send(502, {"error": f"LLM endpoint unreachable: {exc}"})
            except openai.APIStatusError as exc:
                self._send(502, {"error": f"LLM endpoint answered {exc.status_code}"})
            except Exception as exc:
                self._send(500, {"error": f"{type(exc).__name__}: {exc}"})
            else:
                self._send(200, answer)

        def _feedback(self) -> None:
            body = self._read_json()
            if body is UNREADABLE:
                return
            score = body.get("score") if isinstance(body, dict) else None
            if isinstance(score, bool) or not isinstance(score, int | float):
                self._send(400, {"error": "body must be an object with a numeric `score`"})
                return
            model = str(body.get("model") or options.get("model") or "unknown")
            try:
                guard.metrics.score(model, float(score))
            except ValueError as exc:
                self._send(400, {"error": str(exc)})
                return
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _read_json(self) -> Any:
            """The JSON body; UNREADABLE (after answering 413 or 400) when it cannot be read."""
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._send(413, {"error": f"body larger than {MAX_BODY} bytes"})
                return UNREADABLE
            try:
                return json.loads(self.rfile.read(length) or b"null")
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                self._send(400, {"error": f"body is not JSON: {exc}"})
                return UNREADABLE

        def _read_request(self) -> dict[str, Any] | None:
            request = self._read_json()
            if request is UNREADABLE:
                return None
            messages = request.get("messages") if isinstance(request, dict) else None
            if not isinstance(messages, list) or not messages:
                self._send(400, {"error": "body must be an object with a non-empty `messages`"})
                return None
            return request

    return Handler


def make_server(
    host: str,
    port: int,
    options: dict[str, Any],
    verbose: bool = False,
    guard: Guard | None = None,
) -> ThreadingHTTPServer:
    """A bound (not yet serving) server; port 0 picks a free port."""
    server = ThreadingHTTPServer((host, port), make_handler(options, verbose, guard))
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    """`python -m bank_agent.server`."""
    parser = argparse.ArgumentParser(prog="python -m bank_agent.server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="TCP port (0 = any free port)")
    parser.add_argument("--model", default="bank-hardened", help="model name sent to the LLM")
    parser.add_argument("--llm-url", help="LLM base URL (default $BANK_AGENT_LLM_URL)")
    parser.add_argument(
        "--pii-action",
        choices=("mask", "block"),
        default="mask",
        help="what the guard does with personal data in an answer (mask)",
    )
    parser.add_argument(
        "--price-input", type=float, default=DEFAULT_PRICES[0], help="USD per 1M input tokens"
    )
    parser.add_argument(
        "--price-output", type=float, default=DEFAULT_PRICES[1], help="USD per 1M output tokens"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request on stderr")
    args = parser.parse_args(argv)
    guard = Guard(args.pii_action, (args.price_input, args.price_output))
    options: dict[str, Any] = {"model": args.model}
    if args.llm_url:
        options["base_url"] = args.llm_url
    try:
        server = make_server(args.host, args.port, options, args.verbose, guard)
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
