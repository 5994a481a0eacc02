"""canary: settings errors with file:line, query templates, usage errors, chart and URL output."""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from genai_gate.cli import main
from genai_gate.config import load_config
from genai_gate.errors import ConfigError
from genai_gate.gates.canary.collect import Window, counter_names, placeholders
from genai_gate.gates.canary.gate_result import public_url
from genai_gate.gates.canary.plot import Panel, render_svg
from genai_gate.gates.canary.settings import CanarySettings, parse_duration, render_template


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "genai-gate.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "line", "field", "message"),
    [
        (
            "  metrics:\n    - name: m\n      query: 'up{{{selektor}}}'\n",
            4,
            "canary.metrics.0.query",
            "unknown placeholder(s) selektor",
        ),
        ("  steps: [25, 5]\n", 2, "canary.steps", "steps must increase"),
        ("  window: 10 minutes\n", 2, "canary.window", "invalid duration"),
        ("  confidance: 0.9\n", 2, "canary.confidance", "unknown key"),
        (
            "  prometheus:\n    auth:\n      bearer_token_env: T\n      username_env: U\n",
            3,
            "canary.prometheus.auth",
            "either bearer_token_env",
        ),
        (
            "  metrics:\n    - name: m\n      query: up\n      direction: up\n",
            5,
            "canary.metrics.0.direction",
            "'increase', 'decrease' or 'either'",
        ),
        ("  step_windows: {7: 20m}\n", 1, "canary", "not in steps"),
        ("  sequential:\n    ratio: 1\n", 3, "canary.sequential.ratio", "greater than 1"),
    ],
)
def test_bad_settings_name_file_line_and_field(
    tmp_path: Path, body: str, line: int, field: str, message: str
) -> None:
    path = write(tmp_path, "canary:\n" + body)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    text = str(caught.value)
    assert re.search(rf"genai-gate.yaml:{line}: {re.escape(field)}", text), text
    assert message in text


def test_literal_password_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "canary:\n  prometheus:\n    auth:\n      password: hunter2\n")
    with pytest.raises(ConfigError, match=r"genai-gate.yaml:4: .*password"):
        load_config(path)


def test_default_queries_render_per_deployment() -> None:
    settings = CanarySettings(label_name="track", extra_matchers='service="bank"')
    values = placeholders(settings, 'canary "v2"', 60)
    latency = settings.metrics[-1]
    assert latency.query is not None
    assert render_template(latency.query, values) == (
        "histogram_quantile(0.95, sum by (le) (increase(llm_latency_seconds_bucket"
        '{track="canary \\"v2\\"",service="bank"}[60s])))'
    )
    assert [m.name for m in settings.metrics] == [
        "error_rate", "quality_score", "cost_per_request", "pii_incidents", "latency_p95"
    ]  # fmt: skip
    assert [m.critical for m in settings.metrics] == [False, True, True, True, False]
    assert counter_names(settings) == [
        "llm_requests_total", "llm_request_errors_total", "llm_quality_score_sum",
        "llm_quality_score_count", "llm_cost_usd_total", "llm_pii_blocks_total",
    ]  # fmt: skip


def test_other_series_names_are_configured_in_traffic_and_metrics() -> None:
    ratio = {"numerator": "app_errors_total", "denominator": "app_requests_total", "events": True}
    settings = CanarySettings.model_validate(
        {
            "traffic": {"counter": "app_requests_total"},
            "metrics": [{"name": "error_rate", "counters": ratio, "direction": "increase"}],
        }
    )
    assert counter_names(settings) == ["app_requests_total", "app_errors_total"]


def test_steps_windows_and_durations() -> None:
    settings = CanarySettings(step_windows={5: "20m"})
    assert settings.final_step() == 50
    assert [settings.next_step(s) for s in settings.steps] == [25, 50, 100, 100]
    assert settings.window_of(5) == "20m" and settings.window_of(25) == "10m"
    assert parse_duration("1h30m") == 5400 and parse_duration("45s") == 45
    with pytest.raises(ValueError):
        parse_duration("0m")
    window = Window(end=1000.0, window_s=600, interval_s=60)
    assert window.start == 460.0  # 10 samples: 460, 520, ..., 1000


def run_gate(tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    results = tmp_path / "results"
    code = main(
        ["--config", str(tmp_path / "genai-gate.yaml"), "canary-gate", *args,
         "--results-dir", str(results)]
    )  # fmt: skip
    data = json.loads((results / "canary-gate.json").read_text(encoding="utf-8"))
    return code, data


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--step", "10"], "--step 10 is not one of canary.steps"),
        (["--step", "5", "--canary-label", "base"], "must differ"),
        (["--step", "5", "--window", "ten"], "--window: invalid duration"),
        (["--step", "5", "--window", "2m"], "at least 3 intervals"),
        (["--step", "5", "--end", "yesterday"], "--end: invalid time"),
        (
            ["--step", "5", "--end", "1700000000", "--extend-until", "1699999999"],
            "--extend-until must not be before --end",
        ),
        (["--step", "5", "--extend-until", "soon"], "--extend-until: invalid time"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    labels = ["--baseline-label", "base", "--canary-label", "new"]
    if "--canary-label" in args:
        labels = labels[:2]
    code, result = run_gate(tmp_path, *labels, "--prometheus-url", "http://127.0.0.1:1", *args)
    assert code == 2
    assert message in result["error"]


def test_missing_prometheus_url_is_a_usage_error(tmp_path: Path) -> None:
    code, result = run_gate(tmp_path, "--step", "5", "--baseline-label", "a", "--canary-label", "b")
    assert code == 2 and "--prometheus-url" in result["error"]


def test_missing_auth_variable_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_SUCH_PROM_TOKEN", raising=False)
    write(
        tmp_path, "canary:\n  prometheus:\n    auth:\n      bearer_token_env: NO_SUCH_PROM_TOKEN\n"
    )
    code, result = run_gate(
        tmp_path, "--step", "5", "--baseline-label", "a", "--canary-label", "b",
        "--prometheus-url", "http://127.0.0.1:1",
    )  # fmt: skip
    assert code == 2 and "NO_SUCH_PROM_TOKEN is not set" in result["error"]


def test_chart_breaks_lines_at_nan_and_marks_empty_panels() -> None:
    svg = render_svg(
        [
            Panel("error_rate", "high", ([0, 60, 120, 180], [0.01, 0.011, 0.01, 0.012]),
                  ([0, 60, 120, 180], [0.03, math.nan, 0.031, 0.029])),
            Panel("quality <&>", "nodata", ([], []), ([], [])),
        ],
        "step 5%",
    )  # fmt: skip
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f".//{ns}polyline")) == 2  # baseline whole; canary only 120-180
    assert len(root.findall(f".//{ns}circle")) == 7  # every finite point
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "HIGH" in texts and "no data" in texts and "quality <&>" in texts


def test_public_url_drops_credentials() -> None:
    assert public_url("https://user:pw@prom.example:9443/prefix?x=1") == (
        "https://prom.example:9443/prefix"
    )
