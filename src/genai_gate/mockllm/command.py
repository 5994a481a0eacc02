"""Serve the OpenAI-compatible mock LLM.

`genai-gate mock-llm serve --port 8765 --script mock/script.yaml` answers
`POST /v1/chat/completions` (tool calls, usage, streaming), `GET /v1/models` and `GET /health`
on 127.0.0.1 from the rules of a script (a built-in one when --script is not given).
Point the official openai client at `http://127.0.0.1:PORT/v1` with any API key.
The fault options make the server fail on purpose, to test retries.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from genai_gate.errors import UsageError

if TYPE_CHECKING:
    from genai_gate.context import Context


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `genai-gate mock-llm`."""
    sub = parser.add_subparsers(dest="action", metavar="<action>", required=True)
    serve = sub.add_parser(
        "serve",
        help="serve the mock LLM until interrupted",
        description="Serve the mock LLM until SIGINT / SIGTERM (then exit 0).",
    )
    serve.add_argument("--port", type=int, default=8765, help="TCP port (0 = any free port)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument(
        "--latency-ms", type=float, default=0.0, help="delay before every chat answer (ms)"
    )
    serve.add_argument(
        "--script",
        metavar="FILE",
        help="mock script (YAML, see docs/mock-llm-script.md); default: the built-in script",
    )
    serve.add_argument(
        "--api-key-env",
        metavar="NAME",
        help="require the key held by this environment variable (default: any key is accepted)",
    )
    faults = serve.add_argument_group("faults (for tests)")
    faults.add_argument(
        "--fail-first", type=int, default=0, metavar="N", help="fail the first N chat requests"
    )
    faults.add_argument(
        "--fail-status", type=int, default=429, metavar="CODE", help="status of those (429)"
    )
    faults.add_argument(
        "--retry-after",
        metavar="VALUE",
        help="Retry-After header sent with them (seconds or an HTTP date)",
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Start the server and block until interrupted."""
    from genai_gate.mockllm.engine import Engine, count_tokens
    from genai_gate.mockllm.script import builtin_script_path, load_script
    from genai_gate.mockllm.server import Faults, MockServer

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be 0-65535, got {args.port}")
    if args.latency_ms < 0:
        raise UsageError("--latency-ms must not be negative")
    if not 400 <= args.fail_status <= 599:
        raise UsageError(f"--fail-status must be an HTTP error status, got {args.fail_status}")
    script_path = Path(args.script) if args.script else builtin_script_path("default")
    assert script_path is not None
    engine = Engine(load_script(script_path))
    api_key = None
    if args.api_key_env:
        api_key = os.environ.get(args.api_key_env)
        if not api_key:
            raise UsageError(f"--api-key-env: environment variable {args.api_key_env} is not set")
    faults = Faults(args.fail_first, args.fail_status, args.retry_after)
    server = MockServer(engine, args.latency_ms, faults, api_key)
    count_tokens("load the tokenizer now, not during the first request")
    return asyncio.run(_serve(server, args.host, args.port))


async def _serve(server: object, host: str, port: int) -> int:
    from genai_gate.errors import InfraError
    from genai_gate.mockllm.server import MockServer

    assert isinstance(server, MockServer)
    try:
        bound_host, bound_port = await server.start(host, port)
    except OSError as exc:
        raise InfraError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    print(f"mock LLM listening on http://{bound_host}:{bound_port}/v1", flush=True)
    print(f"models: {', '.join(server.engine.script.models)}", file=sys.stderr, flush=True)
    await stop.wait()
    await server.close()
    return 0
