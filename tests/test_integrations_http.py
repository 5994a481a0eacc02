"""The one HTTP session (Prometheus queries, smoke probes) against real servers on 127.0.0.1.

A stdlib `http.server` answers normally, a socket server dribbles one byte a second, and a closed
port refuses: each failure is exit 3 with a sentence naming the host and the cause.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from support.dribble import dribbling_server
from support.servers import free_port

from genai_gate.errors import ExitCode
from genai_gate.integrations.http import DeadlineHttp, RequestFailed


class _Echo(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        answer = json.dumps({"path": self.path, "body": body.decode()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def echo_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def limits(**overrides: float) -> DeadlineHttp:
    values = {"connect_timeout_s": 2.0, "timeout_s": 1.0, "run_timeout_s": 30.0} | overrides
    return DeadlineHttp(**values)


def fetch(http: DeadlineHttp, url: str) -> tuple[int, bytes]:
    response = http.run(http.fetch("POST", url, {"Content-Type": "text/plain"}, b"up{}"))
    return response.status, response.body


def test_answers_arrive_on_one_session_for_several_requests() -> None:
    with echo_server() as base, limits() as http:
        first = fetch(http, f"{base}/api/v1/query")
        second = fetch(http, f"{base}/health")
    assert first == (200, b'{"path": "/api/v1/query", "body": "up{}"}')
    assert json.loads(second[1])["path"] == "/health"


def test_a_closed_port_is_unreachable_exit_3_naming_the_host() -> None:
    port = free_port()
    with limits() as http, pytest.raises(RequestFailed) as failed:
        fetch(http, f"http://127.0.0.1:{port}/x")
    assert failed.value.connection is True
    assert failed.value.exit_code is ExitCode.INFRA
    assert str(failed.value).startswith(f"cannot connect to 127.0.0.1:{port}: ")


def test_a_dribbling_server_ends_at_the_request_limit_naming_host_and_cause() -> None:
    with (
        dribbling_server() as base,
        limits(timeout_s=1) as http,
        pytest.raises(RequestFailed) as failed,
    ):
        fetch(http, f"{base}/api/v1/query")
    host = base.removeprefix("http://")
    assert failed.value.connection is False
    assert failed.value.exit_code is ExitCode.INFRA
    assert str(failed.value) == (
        f"POST {base}/api/v1/query: no complete answer within 1 s "
        f"(host {host} too slow or dribbling)"
    )


def test_the_run_deadline_bounds_a_request_with_a_longer_limit() -> None:
    with (
        dribbling_server() as base,
        limits(timeout_s=60, run_timeout_s=1) as http,
        pytest.raises(RequestFailed) as failed,
    ):
        fetch(http, f"{base}/q")
    assert "the gate run's deadline of 1 s passed before the answer was complete" in str(
        failed.value
    )
    assert http.remaining_s() <= 0
