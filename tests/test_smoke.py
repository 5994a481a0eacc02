"""smoke-test against the example agent's real HTTP server, backed by the real mock LLM server."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from support.servers import free_port, start_server, stop

from genai_gate.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bank-support-agent"
GOLDEN = EXAMPLE / "evals" / "golden.jsonl"

pytestmark = pytest.mark.skipif(
    not (EXAMPLE / "bank_agent" / "server.py").exists(), reason="example agent not present"
)


def _agent(llm_url: str) -> tuple[subprocess.Popen[str], str]:
    return start_server(
        [sys.executable, "-m", "bank_agent.server", "--port", "0", "--llm-url", llm_url],
        r"(http://127\.0\.0\.1:\d+)",
        cwd=EXAMPLE,
    )


@pytest.fixture(scope="module")
def agent(mock_url: str) -> Iterator[str]:
    process, url = _agent(mock_url)
    yield url
    stop(process)


def smoke(tmp_path: Path, *args: str, config: str | None = None) -> tuple[int, dict[str, Any]]:
    config_path = tmp_path / "genai-gate.yaml"
    if config is not None:
        config_path.write_text(config, encoding="utf-8")
    results = tmp_path / "results"
    code = main(
        ["--config", str(config_path), "smoke-test", *args, "--results-dir", str(results),
         "--format", "json"]
    )  # fmt: skip
    return code, json.loads((results / "smoke-test.json").read_text(encoding="utf-8"))


def test_healthy_deployment_passes(tmp_path: Path, agent: str) -> None:
    code, result = smoke(tmp_path, "--url", agent, "--dataset", str(GOLDEN))
    assert code == 0, result["title"]
    summary = result["summary"]
    assert summary["healthy"] is True
    assert summary["cases"] == 5 and summary["failed"] == 0
    assert 0 < summary["latency_p95_ms"] < 10_000
    health = result["cases"][0]
    assert health["id"] == "health" and health["status"] == "pass"
    assert set(health["details"]["checks"]) == {"llm", "kb", "prompt"}
    assert [c["id"] for c in result["cases"][1:]] == [
        "balance-en-001", "balance-en-002", "balance-en-003", "balance-en-004", "balance-en-005"
    ]  # fmt: skip


def test_cases_from_config_and_wrong_answers_spend_the_error_budget(
    tmp_path: Path, agent: str
) -> None:
    dataset = tmp_path / "golden.jsonl"
    good = json.loads(GOLDEN.read_text(encoding="utf-8").splitlines()[0])
    wrong = {**good, "id": "wrong-fact", "expected": {"facts": ["9999.99 EUR"]}}
    dataset.write_text(json.dumps(good) + "\n" + json.dumps(wrong) + "\n", encoding="utf-8")
    config = f"smoke:\n  url: {agent}\n  dataset: golden.jsonl\n  error_budget: {{budget}}\n"
    code, result = smoke(tmp_path, config=config.format(budget=0.0))
    assert code == 1
    assert result["summary"]["failed"] == 1 and result["summary"]["error_rate"] == 0.5
    failed = next(c for c in result["cases"] if c["id"] == "wrong-fact")
    assert failed["status"] == "fail" and "9999.99 EUR" in failed["reason"]
    assert any(f["rule_id"] == "smoke/error-budget" for f in result["findings"])
    code, result = smoke(tmp_path, config=config.format(budget=0.5))
    assert code == 0, result["title"]


def test_latency_over_the_limit_fails(tmp_path: Path, agent: str) -> None:
    config = f"smoke:\n  max_latency_p95_ms: 0.001\n  sample: 2\n  dataset: {GOLDEN}\n"
    code, result = smoke(tmp_path, "--url", agent, config=config)
    assert code == 1
    assert [f["rule_id"] for f in result["findings"]] == ["smoke/latency"]


def test_unhealthy_dependency_fails_without_sending_cases(tmp_path: Path) -> None:
    process, url = _agent(f"http://127.0.0.1:{free_port()}/v1")  # the LLM is down
    try:
        code, result = smoke(tmp_path, "--url", url, "--dataset", str(GOLDEN))
    finally:
        stop(process)
    assert code == 1
    assert result["summary"]["healthy"] is False and result["summary"]["cases"] == 0
    rules = {f["rule_id"] for f in result["findings"]}
    assert {"smoke/health", "smoke/health/llm"} <= rules
    assert "unreachable" in result["title"]


def test_unreachable_endpoint_exits_3_quickly(tmp_path: Path) -> None:
    started = time.monotonic()
    code, result = smoke(tmp_path, "--url", f"http://127.0.0.1:{free_port()}")
    assert time.monotonic() - started < 5
    assert code == 3
    assert result["status"] == "error" and "unreachable" in result["error"]


def test_missing_url_and_unknown_case_are_usage_errors(tmp_path: Path, agent: str) -> None:
    code, result = smoke(tmp_path)
    assert code == 2 and "--url" in result["error"]
    config = f"smoke:\n  dataset: {GOLDEN}\n  cases: [balance-en-001, no-such-case]\n"
    code, result = smoke(tmp_path, "--url", agent, config=config)
    assert code == 2 and "no-such-case" in result["error"]
    code, result = smoke(tmp_path, "--url", agent, config="smoke:\n  sample: 0\n")
    assert code == 2 and re.search(r"genai-gate.yaml:2: smoke.sample", result["error"])


def test_health_only_when_no_cases_are_configured(tmp_path: Path, agent: str) -> None:
    code, result = smoke(tmp_path, "--url", agent)
    assert code == 0, result["title"]
    assert result["summary"] == {"healthy": True, "cases": 0, "failed": 0}
    assert "no golden cases" in result["title"]


class _BareHealth(BaseHTTPRequestHandler):
    """A service whose /health says ok but lists no dependency checks."""

    def do_GET(self) -> None:
        body = b'{"status": "ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_health_without_dependency_checks_fails(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BareHealth)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        code, result = smoke(tmp_path, "--url", url)
        assert code == 1
        assert [f["rule_id"] for f in result["findings"]] == ["smoke/health/checks"]
        code, result = smoke(tmp_path, "--url", url, config="smoke:\n  require_checks: false\n")
        assert code == 0, result["title"]
    finally:
        server.shutdown()
        server.server_close()
