"""The guard's series scraped by a REAL Prometheus from the example agent, judged by canary-gate.

Three example agent servers (bank_agent.server, each with its own guard) serve /metrics:
`baseline` and `canary-good` answer alike and get good feedback; `canary-bad` runs a model that
leaks an IBAN (masked by the guard, counted as a PII incident) and gets poor quality scores.
Prometheus scrapes them every second with a `deployment` label; `genai-gate canary-gate`, with
its default metrics (no mapping of names), must promote the good canary and roll back the bad
one, and the alert-rule expressions must see the incident on the same series.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from support.mockllm import mock_llm_server
from support.prometheus import NEEDS_PROMETHEUS, scraping_server

from genai_gate.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bank-support-agent"
IBAN = "ES91 2100 0418 4502 0005 1332"
LEAKY_SCRIPT = f"""\
version: 1
models:
  leaky:
    rules:
      - id: leak
        when: {{last_role: user}}
        reply: "Sure. The account of the other customer is {IBAN}."
"""
INTERVAL_S, WINDOWS = 4, 6
"""canary-gate windows: 6 windows of 4 s, scraped every second."""

pytestmark = [pytest.mark.slow, NEEDS_PROMETHEUS]


def serve(base_url: str, model: str) -> tuple[str, Any]:
    """An example agent server on a free port, in a thread."""
    sys.path.insert(0, str(EXAMPLE))
    from bank_agent.server import Guard, make_server

    server = make_server("127.0.0.1", 0, {"model": model, "base_url": base_url}, guard=Guard())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"127.0.0.1:{server.server_address[1]}", server


def drive(address: str, quality: float, stop: threading.Event, answers: list[str]) -> None:
    """Chat requests and feedback scores until `stop`, about 10 a second."""
    body = {"messages": [{"role": "user", "content": "What's my balance?"}]}
    body["session"] = {"customer_id": "C-1004"}
    session = requests.Session()
    while not stop.is_set():
        answer = session.post(f"http://{address}/v1/chat", json=body, timeout=10)
        answers.append(answer.json().get("content", ""))
        session.post(f"http://{address}/v1/feedback", json={"score": quality}, timeout=10)
        stop.wait(0.1)


@pytest.fixture(scope="module")
def scraped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    workdir = tmp_path_factory.mktemp("scrape")
    (workdir / "leaky.yaml").write_text(LEAKY_SCRIPT, encoding="utf-8")
    with mock_llm_server() as llm, mock_llm_server(workdir / "leaky.yaml") as leaky_llm:
        servers = {
            "baseline": (serve(llm, "bank-hardened"), 0.9),
            "canary-good": (serve(llm, "bank-hardened"), 0.9),
            "canary-bad": (serve(leaky_llm, "leaky"), 0.55),
        }
        targets = {name: address for name, ((address, _), _) in servers.items()}
        answers: dict[str, list[str]] = {name: [] for name in servers}
        with scraping_server(targets, workdir / "prometheus") as prometheus:
            stop = threading.Event()
            drivers = [
                threading.Thread(target=drive, args=(addr, q, stop, answers[name]), daemon=True)
                for name, ((addr, _), q) in servers.items()
            ]
            for thread in drivers:
                thread.start()
            time.sleep(INTERVAL_S * WINDOWS + 6)
            stop.set()
            for thread in drivers:
                thread.join(timeout=15)
            time.sleep(2)  # the last requests scraped
            end = time.time() - 1
            yield {"url": prometheus.url, "end": end, "answers": answers, "workdir": workdir}
        for (_, server), _ in servers.values():
            server.shutdown()
            server.server_close()


def canary_config(tmp_path: Path) -> Path:
    """The example's config with canary-gate's default metrics (the guard's series), sped up."""
    config = yaml.safe_load((EXAMPLE / "genai-gate.yaml").read_text(encoding="utf-8"))
    section = {
        "interval": f"{INTERVAL_S}s",
        "window": f"{INTERVAL_S * WINDOWS}s",
        "scrape_interval": "1s",
        "traffic": {"min_requests": 40},
    }
    config = {k: config[k] for k in ("version", "project", "eval", "cost")} | {"canary": section}
    path = tmp_path / "genai-gate.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def judge(tmp_path: Path, scraped: dict[str, Any], canary: str) -> tuple[int, dict[str, Any]]:
    results = tmp_path / "results"
    code = main(
        [
            "--config",
            str(canary_config(tmp_path)),
            "canary-gate",
            "--step",
            "5",
            "--baseline-label",
            "baseline",
            "--canary-label",
            canary,
            "--prometheus-url",
            scraped["url"],
            "--end",
            f"{scraped['end']:.3f}",
            "--results-dir",
            str(results),
            "--format",
            "json",
        ]
    )
    return code, json.loads((results / "canary-gate.json").read_text(encoding="utf-8"))


def instant(url: str, query: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(
        f"{url}/api/v1/query?" + urllib.parse.urlencode({"query": query}), timeout=10
    ) as response:
        return json.loads(response.read())["data"]["result"]


def test_prometheus_scraped_every_guard_series_with_the_deployment_label(scraped) -> None:
    url = scraped["url"]
    for name in (
        "llm_requests_total",
        "llm_latency_seconds_bucket",
        "llm_cost_usd_total",
        "llm_quality_score_count",
    ):
        found = {r["metric"]["deployment"] for r in instant(url, f"sum by (deployment) ({name})")}
        assert found == {"baseline", "canary-good", "canary-bad"}, name
    statuses = instant(url, 'llm_requests_total{deployment="baseline"}')
    assert {(r["metric"]["model"], r["metric"]["status"]) for r in statuses} == {
        ("bank-hardened", "ok")
    }
    leaks = instant(url, "sum by (deployment, pii_type, action) (llm_pii_blocks_total)")
    assert [r["metric"] for r in leaks] == [
        {"deployment": "canary-bad", "pii_type": "iban", "action": "mask"}
    ]
    served = int(
        float(instant(url, 'sum(llm_requests_total{deployment="canary-bad"})')[0]["value"][1])
    )
    assert int(float(leaks[0]["value"][1])) == served > 40
    assert all(
        IBAN not in text and text.endswith("**** 1332.")
        for text in scraped["answers"]["canary-bad"]
    )


def test_canary_gate_promotes_the_good_canary_from_the_guard_series(tmp_path, scraped) -> None:
    code, result = judge(tmp_path, scraped, "canary-good")
    assert (code, result["summary"]["decision"]) == (0, "promote"), result["title"]
    rows = {row["metric"]: row for row in result["details"]["metrics"]}
    assert set(rows) == {
        "error_rate", "quality_score", "cost_per_request", "pii_incidents", "latency_p95"
    }  # fmt: skip
    assert rows["quality_score"]["canary"]["n"] == WINDOWS


def test_canary_gate_rolls_back_the_bad_canary_on_quality_and_pii_incidents(
    tmp_path, scraped
) -> None:
    code, result = judge(tmp_path, scraped, "canary-bad")
    assert (code, result["summary"]["decision"]) == (1, "rollback"), result["title"]
    assert "quality_score" in result["title"]
    pii = next(r for r in result["details"]["rules"] if r["rule"] == "pii_incidents.increase")
    assert pii["fired"] is True, pii


def test_alert_expressions_fire_on_the_scraped_pii_incidents(scraped) -> None:
    from genai_gate.config import load_config
    from genai_gate.gates.monitor.rules import build_rules

    rules = build_rules(load_config(EXAMPLE / "genai-gate.yaml").model)["groups"][0]["rules"]
    pii = next(r["expr"] for r in rules if r["alert"] == "GenAIPiiIncident")
    by_deployment = pii.replace("sum (", "sum by (deployment) (", 1)
    firing = {r["metric"].get("deployment") for r in instant(scraped["url"], by_deployment)}
    assert firing == {"canary-bad"}
