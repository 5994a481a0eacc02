"""smoke-test against services that answer badly: wrong shape, dribbling, a bad certificate."""

from __future__ import annotations

import json
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from support.dribble import dribbling_server

from genai_gate.cli import main

HEALTH = {"status": "ok", "checks": {"llm": {"ok": True}}}
CASE = {
    "id": "no-leak",
    "input": "What is my balance?",
    "expected": {"not_contains": ["password"]},
}


def smoke(tmp_path: Path, url: str, config: str = "") -> tuple[int, dict[str, Any], float]:
    dataset = tmp_path / "golden.jsonl"
    dataset.write_text(json.dumps(CASE) + "\n", encoding="utf-8")
    config_path = tmp_path / "genai-gate.yaml"
    config_path.write_text(f"smoke:\n  dataset: golden.jsonl\n{config}", encoding="utf-8")
    started = time.monotonic()
    code = main(
        ["--config", str(config_path), "smoke-test", "--url", url,
         "--results-dir", str(tmp_path / "r"), "--format", "json"]
    )  # fmt: skip
    elapsed = time.monotonic() - started
    return code, json.loads((tmp_path / "r" / "smoke-test.json").read_text("utf-8")), elapsed


def handler(chat_status: int, chat_body: bytes) -> type[BaseHTTPRequestHandler]:
    class Agent(BaseHTTPRequestHandler):
        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._send(200, json.dumps(HEALTH).encode())

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self._send(chat_status, chat_body)

        def log_message(self, *args: object) -> None:
            pass

    return Agent


@contextmanager
def agent(chat_status: int, chat_body: bytes, tls: ssl.SSLContext | None = None) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(chat_status, chat_body))
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        scheme = "https" if tls else "http"
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"error": "upstream LLM failed"}',
         "HTTP 200 but the answer has no `content` (keys: error)"),
        (b'{"content": null}', "HTTP 200 but `content` is null, not a string"),
        (b'["ok"]', "HTTP 200 but the answer is an array, not an object"),
        (b"<html>busy</html>", "HTTP 200 but the answer is not JSON: '<html>busy</html>'"),
        (b'{"content": "hi", "tool_calls": [{"arguments": {}}]}',
         "HTTP 200 but `tool_calls[0]` has no `name` string"),
    ],
    ids=["no-content", "null-content", "list", "html", "nameless-tool-call"],
)  # fmt: skip
def test_answer_not_in_the_documented_shape_fails_the_case_with_the_reason(
    tmp_path: Path, body: bytes, reason: str
) -> None:
    with agent(200, body) as url:
        code, result, _ = smoke(tmp_path, url)
    assert code == 1
    case = next(c for c in result["cases"] if c["id"] == "no-leak")
    assert case["status"] == "fail" and case["reason"] == reason
    assert any(f["rule_id"] == "smoke/error-budget" for f in result["findings"])


def test_error_status_names_the_error_of_the_body(tmp_path: Path) -> None:
    with agent(503, b'{"error": "model overloaded"}') as url:
        code, result, _ = smoke(tmp_path, url)
    assert code == 1
    assert result["cases"][1]["reason"] == "HTTP 503: model overloaded"


def test_well_formed_answer_passes(tmp_path: Path) -> None:
    with agent(200, b'{"content": "Your balance is 10 EUR", "tool_calls": []}') as url:
        code, result, _ = smoke(tmp_path, url)
    assert code == 0, result["title"]


def test_dribbling_health_endpoint_exits_3_within_the_request_limit(tmp_path: Path) -> None:
    with dribbling_server() as url:
        code, result, elapsed = smoke(tmp_path, url, "  timeout_s: 2\n")
    assert code == 3
    assert result["status"] == "error"
    assert result["error"] == (
        f"GET {url}/health: no complete answer within 2 s "
        f"(host {url.removeprefix('http://')} too slow or dribbling)"
    )
    assert elapsed < 30  # the answer would take 2,000+ s to arrive


def test_run_deadline_bounds_the_whole_test(tmp_path: Path) -> None:
    with dribbling_server() as url:
        code, result, elapsed = smoke(tmp_path, url, "  timeout_s: 60\n  run_timeout_s: 2\n")
    assert code == 3
    assert (
        "the gate run's deadline of 2 s passed before the answer was complete" in (result["error"])
    )
    assert elapsed < 30


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    try:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("openssl cannot make a test certificate")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def test_bad_certificate_says_tls_handshake_failed(
    tmp_path: Path, self_signed: ssl.SSLContext
) -> None:
    with agent(200, b'{"content": "x"}', tls=self_signed) as url:
        code, result, _ = smoke(tmp_path, url)
    assert code == 3
    host = url.removeprefix("https://")
    assert result["error"] == (
        f"{url}/health unreachable: TLS handshake failed: certificate verify failed "
        f"for host {host} (self-signed certificate)"
    )
