"""`genai-gate monitor rules`: alerting rules from genai-gate.yaml, checked and tested by promtool.

promtool (Debian `prometheus`) is the judge: `check rules` parses the PromQL, `test rules`
evaluates the alerts over the synthetic series of examples/bank-support-agent/monitoring/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bank-support-agent"
pytestmark = pytest.mark.skipif(
    shutil.which("promtool") is None,
    reason="promtool not installed (Debian package prometheus; .ci/run installs it)",
)


def monitor(
    folder: Path, *args: str, config: str = "genai-gate.yaml", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`genai-gate --config CONFIG monitor rules ARGS` run in `folder`."""
    return subprocess.run(
        [sys.executable, "-m", "genai_gate.cli", "--config", config, "monitor", "rules", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def example_copy(tmp_path: Path, monitor_section: dict | None = None, **top: object) -> Path:
    """The example's config and monitoring folder in tmp_path, with sections replaced."""
    config = yaml.safe_load((EXAMPLE / "genai-gate.yaml").read_text(encoding="utf-8"))
    config = {k: config[k] for k in ("version", "project", "eval", "cost")}
    if monitor_section is not None:
        config["monitor"] = monitor_section
    config.update(top)
    (tmp_path / "genai-gate.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    shutil.copytree(EXAMPLE / "monitoring", tmp_path / "monitoring")
    return tmp_path


def test_committed_rules_match_the_config_and_pass_promtool(tmp_path: Path) -> None:
    committed = (EXAMPLE / "monitoring" / "alerts.yml").read_text(encoding="utf-8")
    printed = monitor(EXAMPLE)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == committed, "regenerate monitoring/alerts.yml (see genai-gate.yaml)"
    section = yaml.safe_load((EXAMPLE / "genai-gate.yaml").read_text(encoding="utf-8"))["monitor"]
    folder = example_copy(tmp_path, section)
    done = monitor(
        folder / "monitoring",
        "--output-file",
        "alerts.yml",
        "--check",
        "--test",
        "alerts.test.yml",
        config="../genai-gate.yaml",
    )
    assert done.returncode == 0, done.stderr
    assert "SUCCESS: 5 rules found" in done.stderr
    assert "Unit Testing:  alerts.test.yml\n  SUCCESS" in done.stderr
    assert (folder / "monitoring" / "alerts.yml").read_text(encoding="utf-8") == committed
    alerts = [r["alert"] for r in yaml.safe_load(committed)["groups"][0]["rules"]]
    assert alerts == [
        "GenAIErrorRateHigh",
        "GenAILatencyP95High",
        "GenAIQualityLow",
        "GenAICostSpike",
        "GenAIPiiIncident",
    ]


@pytest.mark.parametrize(
    ("section", "alert"),
    [
        ({"error_rate": {"max": 0.2}}, "GenAIErrorRateHigh"),
        ({"quality": {"min": 0.6}}, "GenAIQualityLow"),
        ({"latency_p95": {"max_s": 10}}, "GenAILatencyP95High"),
        ({"cost": {"max_usd_per_15m": 5}}, "GenAICostSpike"),
        ({"pii": {"max_incidents": 3}}, "GenAIPiiIncident"),
    ],
)
def test_a_weaker_threshold_misses_the_degradation_and_promtool_says_which(
    tmp_path: Path, section: dict, alert: str
) -> None:
    base = yaml.safe_load((EXAMPLE / "genai-gate.yaml").read_text(encoding="utf-8"))["monitor"]
    rules = {**base["rules"], **section}
    folder = example_copy(tmp_path, {"rules": rules})
    done = monitor(
        folder / "monitoring",
        "--output-file",
        "alerts.yml",
        "--test",
        "alerts.test.yml",
        config="../genai-gate.yaml",
    )
    assert done.returncode == 1, done.stderr
    assert "FAILED" in done.stderr and f"alertname: {alert}" in done.stderr
    failing = {
        line.split("alertname: ")[1].split(",")[0]
        for line in done.stderr.splitlines()
        if "alertname: " in line
    }
    assert failing == {alert}


def test_per_label_rules_group_by_the_labels_and_stay_valid(tmp_path: Path) -> None:
    folder = example_copy(
        tmp_path, {"rules": {"by": ["model"], "selector": 'service="bank-agent"'}}
    )
    done = monitor(folder, "--output-file", "rules.yml", "--check")
    assert done.returncode == 0, done.stderr
    rules = yaml.safe_load((folder / "rules.yml").read_text())["groups"][0]["rules"]
    latency = next(r["expr"] for r in rules if r["alert"] == "GenAILatencyP95High")
    assert 'sum by (le, model) (rate(llm_latency_seconds_bucket{service="bank-agent"}[5m]))' in (
        latency
    )
    errors = next(r["expr"] for r in rules if r["alert"] == "GenAIErrorRateHigh")
    assert 'llm_requests_total{status="error",service="bank-agent"}' in errors
    assert errors.count("sum by (model)") == 3


def test_cost_alert_without_a_limit_or_budget_is_a_config_error(tmp_path: Path) -> None:
    folder = example_copy(tmp_path, {"rules": {}}, cost={"max_increase_pct": 50})
    done = monitor(folder)
    assert done.returncode == 2
    assert "cost alert needs monitor.rules.cost.max_usd_per_15m or cost.monthly_budget_usd" in (
        done.stderr
    )
    assert done.stdout == ""


def test_unknown_key_names_file_line_and_field(tmp_path: Path) -> None:
    folder = example_copy(tmp_path, {"rules": {"error_rate": {"maximum": 0.1}}})
    done = monitor(folder)
    assert done.returncode == 2
    assert "genai-gate.yaml:" in done.stderr and "monitor.rules.error_rate.maximum" in done.stderr


def test_missing_promtool_is_an_infrastructure_error(tmp_path: Path) -> None:
    folder = example_copy(tmp_path, {"rules": {}})
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    done = monitor(folder, "--output-file", "rules.yml", "--check", env=env)
    assert done.returncode == 3
    assert "promtool not found on PATH" in done.stderr
