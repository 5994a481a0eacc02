"""canary-gate end to end against a real Prometheus server with backfilled metrics."""

from __future__ import annotations

import json
import re
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from support.prometheus import (
    NEEDS_PROMETHEUS,
    Traffic,
    openmetrics,
    prometheus_server,
    serve_deployments,
)
from support.servers import free_port

from genai_gate.cli import main
from genai_gate.report import render
from genai_gate.results import GateResult

pytestmark = [pytest.mark.slow, NEEDS_PROMETHEUS]

# Whole hours, well in the past: the data never overlaps the server's head block.
END = (int(time.time()) // 3600) * 3600 - 4 * 3600

DEPLOYMENTS = {
    "baseline": Traffic(requests_per_s=20),
    "canary-healthy": Traffic(requests_per_s=5),
    "canary-errors-3x": Traffic(requests_per_s=5, error_rate=0.03),
    "canary-quality-drop": Traffic(requests_per_s=5, quality=0.8),
    "canary-cost-60": Traffic(requests_per_s=5, cost_per_request=0.0032),
    "canary-quiet": Traffic(requests_per_s=0.1),
}

# bcrypt of "test" (the example of the Prometheus basic-auth guide).
WEB_CONFIG = (
    "basic_auth_users:\n  admin: $2b$12$hNf2lSsxfm0.i4a.1kVpSOVyBCfIB51VRjgBUyv6kdnyTlgWj81Ay\n"
)


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_deployments(tmp_path_factory, DEPLOYMENTS, END)


@pytest.fixture(scope="module")
def secured_prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("secured")
    data = openmetrics(
        {"baseline": DEPLOYMENTS["baseline"], "canary-healthy": DEPLOYMENTS["canary-healthy"]}, END
    )
    with prometheus_server(data, workdir, web_config=WEB_CONFIG) as server:
        yield server.url


def run_gate(tmp_path: Path, *args: str, config: str | None = None) -> tuple[int, dict[str, Any]]:
    """Run `genai-gate canary-gate` in-process; return the exit code and the results file."""
    config_path = tmp_path / "genai-gate.yaml"
    if config is not None:
        config_path.write_text(config, encoding="utf-8")
    results = tmp_path / "results"
    code = main(
        [
            "--config",
            str(config_path),
            "canary-gate",
            *args,
            "--results-dir",
            str(results),
            "--format",
            "json",
        ]
    )
    return code, json.loads((results / "canary-gate.json").read_text(encoding="utf-8"))


def judge_step(tmp_path: Path, url: str, canary: str, step: int = 5) -> tuple[int, dict[str, Any]]:
    return run_gate(
        tmp_path,
        "--step",
        str(step),
        "--baseline-label",
        "baseline",
        "--canary-label",
        canary,
        "--prometheus-url",
        url,
        "--end",
        str(END),
    )


def classifications(result: dict[str, Any]) -> dict[str, str]:
    return {row["metric"]: row["classification"] for row in result["details"]["metrics"]}


def test_healthy_canary_promotes(tmp_path: Path, prometheus: str) -> None:
    code, result = judge_step(tmp_path, prometheus, "canary-healthy")
    assert code == 0, result["title"]
    summary = result["summary"]
    assert summary["decision"] == "promote"
    assert summary["score"] == 100
    assert summary["next_traffic_pct"] == 25
    assert 2500 < summary["canary_requests"] < 3500  # 5 req/s for 10 minutes
    assert set(classifications(result).values()) == {"pass"}
    row = result["details"]["metrics"][0]
    assert row["baseline"]["n"] == row["canary"]["n"] == 10  # 10 one-minute windows
    assert 'deployment="canary-healthy"' in row["queries"]["canary"]
    event = result["details"]["audit_event"]
    assert event["decision"] == "promote" and event["step"] == 5 and event["success"] is True
    assert event["window"]["end"] == datetime.fromtimestamp(END, timezone.utc).isoformat()
    chart = Path(result["details"]["plot"]["path"])
    svg = ET.parse(chart).getroot()
    assert svg.tag.endswith("svg")
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}polyline")) == 10  # 5 metrics x 2


def test_final_step_promotes_to_full_traffic(tmp_path: Path, prometheus: str) -> None:
    code, result = judge_step(tmp_path, prometheus, "canary-healthy", step=50)
    assert code == 0
    assert result["summary"]["next_traffic_pct"] == 100


def test_triple_error_rate_rolls_back(tmp_path: Path, prometheus: str) -> None:
    code, result = judge_step(tmp_path, prometheus, "canary-errors-3x")
    assert code == 1
    assert result["summary"]["decision"] == "rollback"
    assert result["summary"]["next_traffic_pct"] == 0
    assert classifications(result)["error_rate"] == "high"
    row = next(r for r in result["details"]["metrics"] if r["metric"] == "error_rate")
    assert row["p_value"] < 0.02 and row["confidence_interval"][0] > 0
    assert result["summary"]["failed_metrics"] == "error_rate"
    rules = {r["rule"]: r for r in result["details"]["rules"]}
    assert rules["error_rate.increase"]["fired"] is True
    assert 2.4 < rules["error_rate.increase"]["ratio"] < 3.6
    assert "error_rate.increase" in result["details"]["decided_by"]
    markdown = render(GateResult.model_validate(result), "markdown")
    assert "**Decision: rollback**" in markdown
    assert re.search(r"\| `error\\_rate` \| 🔺 high \|", markdown), markdown


def test_quality_drop_rolls_back(tmp_path: Path, prometheus: str) -> None:
    code, result = judge_step(tmp_path, prometheus, "canary-quality-drop")
    assert code == 1
    assert result["summary"]["decision"] == "rollback"
    assert classifications(result)["quality_score"] == "low"
    assert result["details"]["critical_failures"] == ["quality_score"]


def test_cost_up_60_percent_rolls_back(tmp_path: Path, prometheus: str) -> None:
    code, result = judge_step(tmp_path, prometheus, "canary-cost-60")
    assert code == 1
    assert result["summary"]["decision"] == "rollback"
    row = next(r for r in result["details"]["metrics"] if r["metric"] == "cost_per_request")
    assert row["classification"] == "high"
    assert 1.5 < row["mean_ratio"] < 1.7
    assert any(f["rule_id"] == "canary/cost_per_request" for f in result["findings"])


def test_too_few_requests_holds(tmp_path: Path, prometheus: str) -> None:
    code, result = judge_step(tmp_path, prometheus, "canary-quiet")
    assert code == 1
    assert result["summary"]["decision"] == "hold"
    assert result["summary"]["next_traffic_pct"] == 5
    assert "too little traffic" in result["title"]
    assert "score" not in result["summary"]


def test_unknown_canary_label_holds(tmp_path: Path, prometheus: str) -> None:
    code, result = judge_step(tmp_path, prometheus, "no-such-deployment")
    assert code == 1
    assert result["summary"]["decision"] == "hold"
    assert set(classifications(result).values()) == {"nodata"}


def test_prometheus_down_exits_3_and_holds_quickly(tmp_path: Path) -> None:
    started = time.monotonic()
    code, result = judge_step(tmp_path, f"http://127.0.0.1:{free_port()}", "canary-healthy")
    assert time.monotonic() - started < 5
    assert code == 3
    assert result["status"] == "error" and result["incomplete"] is True
    assert result["summary"]["decision"] == "hold"
    assert "unreachable" in result["error"]
    assert result["details"]["audit_event"]["decision"] == "hold"


CONFIG = """\
canary:
  prometheus:
    url: {url}
  metrics:
    - name: broken
      query: {query}
"""


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("'sum(rate(llm_requests_total{{{selector}}}[{{interval}}]'", "parse error"),
        ("'llm_requests_total'", "expected one"),
    ],
    ids=["syntax-error", "several-series"],
)
def test_query_error_exits_3_and_holds(
    tmp_path: Path, prometheus: str, query: str, message: str
) -> None:
    code, result = run_gate(
        tmp_path,
        "--step",
        "25",
        "--baseline-label",
        "baseline",
        "--canary-label",
        "canary-healthy",
        "--end",
        str(END),
        config=CONFIG.format(url=prometheus, query=query),
    )
    assert code == 3
    assert result["summary"]["decision"] == "hold"
    assert message in result["error"]


AUTH_CONFIG = """\
canary:
  prometheus:
    url: {url}
    auth:
      username_env: PROM_USER
      password_env: PROM_PASSWORD
"""


def test_basic_auth_from_environment(
    tmp_path: Path, secured_prometheus: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("--step", "5", "--baseline-label", "baseline", "--canary-label", "canary-healthy")
    config = AUTH_CONFIG.format(url=secured_prometheus)
    monkeypatch.setenv("PROM_USER", "admin")
    monkeypatch.setenv("PROM_PASSWORD", "wrong")
    code, result = run_gate(tmp_path, *args, "--end", str(END), config=config)
    assert code == 3 and "401" in result["error"]
    monkeypatch.setenv("PROM_PASSWORD", "test")
    code, result = run_gate(tmp_path, *args, "--end", str(END), config=config)
    assert code == 0, result["title"]
    monkeypatch.delenv("PROM_PASSWORD")
    code, result = run_gate(tmp_path, *args, "--end", str(END), config=config)
    assert code == 2 and "PROM_PASSWORD" in result["error"]


BEARER_CONFIG = """\
canary:
  prometheus:
    url: {url}
    auth:
      bearer_token_env: PROM_TOKEN
"""


class _BearerProxy(BaseHTTPRequestHandler):
    """An auth proxy in front of Prometheus that only accepts one bearer token."""

    upstream = ""
    token = "s3cret-token"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Authorization") != f"Bearer {self.token}":
            self.send_response(401)
            self.end_headers()
            return
        upstream = requests.post(
            self.upstream + self.path,
            data=body,
            headers={"Content-Type": self.headers["Content-Type"]},
            timeout=10,
        )
        self.send_response(upstream.status_code)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(upstream.content)

    def log_message(self, *args: object) -> None:
        pass


def test_bearer_token_from_environment(
    tmp_path: Path, prometheus: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = type("Proxy", (_BearerProxy,), {"upstream": prometheus})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        config = BEARER_CONFIG.format(url=url)
        monkeypatch.setenv("PROM_TOKEN", _BearerProxy.token)
        args = ("--step", "5", "--baseline-label", "baseline", "--canary-label", "canary-healthy")
        code, result = run_gate(tmp_path, *args, "--end", str(END), config=config)
        assert code == 0, result["title"]
        monkeypatch.setenv("PROM_TOKEN", "other")
        code, result = run_gate(tmp_path, *args, "--end", str(END), config=config)
        assert code == 3 and result["summary"]["decision"] == "hold"
    finally:
        server.shutdown()
        server.server_close()
