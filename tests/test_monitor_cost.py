"""`genai-gate monitor cost`: production cost per request (a real Prometheus) vs the estimate."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.prometheus import NEEDS_PROMETHEUS, prometheus_server
from support.servers import free_port

from genai_gate.cli import main
from genai_gate.gates.cost.details import CostDetails, PromptRow
from genai_gate.results import GateResult, Status

END = int(time.time()) // 60 * 60 - 600
ESTIMATE_USD = 0.0002
PROMPT_ROW = PromptRow(
    prompt_id="bank-support-system",
    change="unchanged",
    model="gpt-4o-mini",
    path="prompts/bank-support-system.yaml",
    line=10,
    approximate=False,
    tokenizer="cl100k_base",
    template_tokens=217,
    base_template_tokens=None,
    per_request_usd=ESTIMATE_USD,
    base_per_request_usd=None,
    input_tokens=1000.0,
    output_tokens=40.0,
    output_source="traffic",
    requests_per_day=20000.0,
    monthly_usd=120.0,
    base_monthly_usd=None,
    delta_monthly_usd=None,
    delta_pct=None,
)
"""The row cost-estimate writes for the agent's prompt (the estimate the monitor compares with)."""
pytestmark = NEEDS_PROMETHEUS


def guard_series(cost_per_request: dict[str, float], minutes: int = 60) -> str:
    """OpenMetrics history of the guard's counters: 20 requests a minute per deployment."""
    requests_lines, cost_lines = [], []
    for deployment, per_request in sorted(cost_per_request.items()):
        for minute in range(minutes + 1):
            stamp = END - (minutes - minute) * 60
            labels = f'deployment="{deployment}",model="bank-hardened"'
            requests_lines.append(
                f'llm_requests_total{{{labels},status="ok"}} {20 * minute} {stamp}'
            )
            cost_lines.append(f"llm_cost_usd_total{{{labels}}} {20 * minute * per_request} {stamp}")
    return (
        "\n".join(
            [
                "# TYPE llm_requests counter",
                *requests_lines,
                "# TYPE llm_cost_usd counter",
                *cost_lines,
                "# EOF",
            ]
        )
        + "\n"
    )


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = guard_series({"stable": 0.00025, "expensive": 0.0004})
    with prometheus_server(data, tmp_path_factory.mktemp("cost")) as server:
        yield server.url


def estimate_file(folder: Path) -> Path:
    path = folder / "cost-estimate.json"
    GateResult(
        gate="cost-estimate",
        status=Status.PASS,
        details=CostDetails(prompts=[PROMPT_ROW]).as_dict(),
    ).write(path)
    return path


def run_cost(tmp_path: Path, url: str, *extra: str) -> tuple[int, dict[str, Any] | None]:
    results = tmp_path / "results"
    code = main(
        [
            "--config",
            str(tmp_path / "absent.yaml"),
            "monitor",
            "cost",
            "--estimate",
            str(estimate_file(tmp_path)),
            "--prompt",
            "bank-support-system",
            "--prometheus-url",
            url,
            "--window",
            "30m",
            "--end",
            str(END),
            "--results-dir",
            str(results),
            *extra,
        ]
    )
    path = results / "monitor-cost.json"
    return code, json.loads(path.read_text()) if path.exists() else None


def test_cost_within_the_allowed_increase_passes(tmp_path: Path, prometheus: str) -> None:
    code, result = run_cost(tmp_path, prometheus, "--selector", 'deployment="stable"')
    assert code == 0 and result is not None
    assert result["summary"]["per_request_usd"] == pytest.approx(0.00025, rel=1e-6)
    assert result["summary"]["change_pct"] == 25.0 and result["summary"]["requests"] == 600
    assert result["title"].startswith("cost per request $0.000250 vs estimate $0.000200 (+25.0%")


def test_cost_twice_the_estimate_fails(tmp_path: Path, prometheus: str) -> None:
    code, result = run_cost(tmp_path, prometheus, "--selector", 'deployment="expensive"')
    assert code == 1 and result is not None and result["status"] == "fail"
    assert "(+100.0%, above +50%)" in result["title"]


def test_no_traffic_is_an_error_not_a_pass(tmp_path: Path, prometheus: str) -> None:
    code, result = run_cost(tmp_path, prometheus, "--selector", 'deployment="gone"')
    assert code == 3 and result is not None and result["status"] == "error"
    assert result["title"] == "no production requests in the last 30m: cost per request unknown"


def test_unreachable_prometheus_is_exit_3(tmp_path: Path) -> None:
    code, result = run_cost(tmp_path, f"http://127.0.0.1:{free_port()}")
    assert code == 3 and result is not None and result["status"] == "error"
    assert "Prometheus could not answer" in result["title"]


def test_estimate_without_the_prompt_is_a_usage_error(tmp_path: Path, prometheus: str, capsys):
    code = main(
        [
            "monitor",
            "cost",
            "--config",
            str(tmp_path / "absent.yaml"),
            "--estimate",
            str(estimate_file(tmp_path)),
            "--prompt",
            "other",
            "--prometheus-url",
            prometheus,
            "--results-dir",
            str(tmp_path / "r"),
        ]
    )
    assert code == 2
    assert "no per_request_usd for prompt 'other' (prompts: bank-support-system)" in (
        capsys.readouterr().err
    )
