"""canary-gate on the canaries a bank must roll back or hold, against a real Prometheus.

Each deployment is backfilled as synthetic 15 s scrapes (fixed seeds) by `support.prometheus`;
the gate judges the default 10-minute window ending at END with the built-in rules.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.prometheus import Traffic, available, openmetrics, prometheus_server

from genai_gate.cli import main

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not available(), reason="prometheus / promtool not installed"),
]

END = (int(time.time()) // 3600) * 3600 - 4 * 3600
"""End of the judged window: whole hours, well in the past (never the server's head block)."""


def outage(first: int, last: int, rate: float = 0.5) -> Any:
    """Error rate `rate` in minutes first..last before the end, 1% otherwise."""
    return lambda minute: rate if first <= minute <= last else 0.01


DEPLOYMENTS = {
    "baseline": Traffic(requests_per_s=20),
    "healthy": Traffic(requests_per_s=5),
    "outage-2m": Traffic(requests_per_s=5, error_rate_at=outage(3, 4)),
    "outage-3m": Traffic(requests_per_s=5, error_rate_at=outage(2, 4)),
    "flapping-5x": Traffic(requests_per_s=5, error_rate_at=lambda m: 0.10 if m % 2 else 0.0),
    "silent-tail": Traffic(requests_per_s=5, silent_last_s=4 * 60),
    "no-errors-counter": Traffic(requests_per_s=5, error_rate=0.0, errors_counter=False),
    "slow-2x": Traffic(requests_per_s=5, latency_s=0.8),
}


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("prometheus")
    with prometheus_server(openmetrics(DEPLOYMENTS, END), workdir) as server:
        yield server.url


def judge(tmp_path: Path, url: str, canary: str, step: int = 25) -> tuple[int, dict[str, Any]]:
    """Run the gate in-process on `canary` against `baseline`; exit code and results file."""
    results = tmp_path / "results"
    code = main(
        [
            "--config",
            str(tmp_path / "none.yaml"),
            "canary-gate",
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
            "--results-dir",
            str(results),
            "--format",
            "json",
        ]
    )
    return code, json.loads((results / "canary-gate.json").read_text(encoding="utf-8"))


def fired(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The rules that fired, by id."""
    return {rule["rule"]: rule for rule in result["details"]["rules"] if rule["fired"]}


@pytest.mark.parametrize("canary", ["outage-2m", "outage-3m"])
def test_outage_of_a_few_minutes_rolls_back_on_the_consecutive_window_rule(
    tmp_path: Path, prometheus: str, canary: str
) -> None:
    code, result = judge(tmp_path, prometheus, canary)
    assert code == 1
    assert result["summary"]["decision"] == "rollback", result["title"]
    rule = fired(result)["error_rate.consecutive"]
    assert rule["value"] >= 2  # windows in a row above the bound
    assert "error_rate.consecutive" in result["details"]["decided_by"]
    assert "consecutive" in result["title"]


def test_five_times_the_errors_every_other_minute_rolls_back(
    tmp_path: Path, prometheus: str
) -> None:
    code, result = judge(tmp_path, prometheus, "flapping-5x")
    assert code == 1
    assert result["summary"]["decision"] == "rollback", result["title"]
    rule = fired(result)["error_rate.increase"]
    assert 4 < rule["ratio"] < 6.5  # pooled canary / baseline error rate


def test_silent_canary_tail_holds_and_names_the_gap(tmp_path: Path, prometheus: str) -> None:
    code, result = judge(tmp_path, prometheus, "silent-tail")
    assert code == 1
    assert result["summary"]["decision"] == "hold", result["title"]
    assert "canary" in result["title"] and "no samples" in result["title"]
    coverage = result["details"]["coverage"]["canary"]
    assert coverage["missing_windows"] == 4


def test_perfect_canary_without_an_errors_counter_promotes(tmp_path: Path, prometheus: str) -> None:
    code, result = judge(tmp_path, prometheus, "no-errors-counter")
    assert code == 0, result["title"]
    assert result["summary"]["decision"] == "promote"
    row = next(r for r in result["details"]["metrics"] if r["metric"] == "error_rate")
    assert row["canary"]["mean"] == 0


def test_twice_as_slow_p95_rolls_back(tmp_path: Path, prometheus: str) -> None:
    code, result = judge(tmp_path, prometheus, "slow-2x")
    assert code == 1
    assert result["summary"]["decision"] == "rollback", result["title"]
    rule = fired(result)["latency_p95.ratio"]
    assert 1.7 < rule["ratio"] < 2.4
    assert "latency_p95" in result["summary"]["failed_metrics"]


def test_healthy_canary_promotes(tmp_path: Path, prometheus: str) -> None:
    code, result = judge(tmp_path, prometheus, "healthy")
    assert code == 0, result["title"]
    assert not fired(result)


def counter_at(text: str, series: str, moment: int) -> float:
    """The backfilled counter's last value at or before `moment`."""
    value = 0.0
    for line in text.splitlines():
        if line.startswith(series + " "):
            _, number, timestamp = line.rsplit(" ", 2)
            if int(timestamp) <= moment:
                value = float(number)
    return value


def test_requests_are_counted_exactly_with_nothing_lost_between_windows(
    tmp_path: Path, prometheus: str
) -> None:
    """A 1-minute rate() over 15 s scrapes sees 45 s per window; raw deltas see everything."""
    text = openmetrics(DEPLOYMENTS, END)
    series = 'llm_requests_total{deployment="healthy"}'
    exact = counter_at(text, series, END) - counter_at(text, series, END - 600)
    code, result = judge(tmp_path, prometheus, "healthy")
    assert code == 0
    assert result["summary"]["canary_requests"] == exact
    assert sum(result["details"]["coverage"]["canary"]["requests"]) == exact
    assert result["details"]["coverage"]["canary"]["samples"] == [4] * 10
