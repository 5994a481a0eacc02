"""canary-gate on the canaries a bank must roll back or hold, against a real Prometheus.

Each deployment is backfilled as synthetic 15 s scrapes (fixed seeds) by `support.prometheus`;
the gate judges the default 10-minute window ending at END with the built-in rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.prometheus import (
    JUDGED_END,
    NEEDS_PROMETHEUS,
    Traffic,
    openmetrics,
    run_canary_gate,
    serve_deployments,
)

pytestmark = [pytest.mark.slow, NEEDS_PROMETHEUS]

END = JUDGED_END


def outage(first: int, last: int, rate: float = 0.5) -> Any:
    """Error rate `rate` in minutes first..last before the end, 1% otherwise."""
    return lambda minute: rate if first <= minute <= last else 0.01


SWINGS = [0.4, 1.9, 0.7, 1.5, 0.5, 1.2, 0.3, 1.7, 0.9, 0.6] * 4
"""Per-minute error-rate multipliers (mean 0.97, cv 0.55), by minute before the end."""

DEPLOYMENTS = {
    "baseline": Traffic(requests_per_s=20),
    "healthy": Traffic(requests_per_s=5),
    "outage-2m": Traffic(requests_per_s=5, error_rate_at=outage(3, 4)),
    "outage-3m": Traffic(requests_per_s=5, error_rate_at=outage(2, 4)),
    "flapping-5x": Traffic(requests_per_s=5, error_rate_at=lambda m: 0.10 if m % 2 else 0.0),
    "silent-tail": Traffic(requests_per_s=5, silent_last_s=4 * 60),
    "no-errors-counter": Traffic(requests_per_s=5, error_rate=0.0, errors_counter=False),
    "slow-2x": Traffic(requests_per_s=5, latency_s=0.8),
    # Per-minute swings of the error rate (cv about 0.5), the same minutes on both sides.
    "swinging-baseline": Traffic(requests_per_s=20, error_rate_at=lambda m: 0.01 * SWINGS[m]),
    "swinging-2x": Traffic(requests_per_s=20, error_rate_at=lambda m: 0.02 * SWINGS[m]),
    "swinging-healthy": Traffic(requests_per_s=20, error_rate_at=lambda m: 0.01 * SWINGS[m]),
    # 10x for 120 s from 30 s into minute 6 before the end: 30 s + 60 s + 30 s in three windows.
    "straddled-outage": Traffic(
        requests_per_s=5,
        error_rate_at_s=lambda s: (
            0.10 if 6 * 60 - 150 < s <= 6 * 60 - 30 else 0.01 * SWINGS[s // 60]
        ),
    ),
}


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_deployments(tmp_path_factory, DEPLOYMENTS, END)


def judge(
    tmp_path: Path, url: str, canary: str, baseline: str = "baseline"
) -> tuple[int, dict[str, Any]]:
    """Run the gate in-process on `canary` at step 25; exit code and results file."""
    return run_canary_gate(tmp_path, url, baseline, canary, 25)


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


def test_outage_straddling_three_windows_of_a_swinging_canary_rolls_back(
    tmp_path: Path, prometheus: str
) -> None:
    """Against a baseline whose minutes swing (its own spread says 5x is ordinary), the two best
    adjacent windows of a 10x outage of 300 requests/min are still beyond 4x the baseline."""
    code, result = judge(tmp_path, prometheus, "straddled-outage", "swinging-baseline")
    assert code == 1 and result["summary"]["decision"] == "rollback", result["title"]
    rule = fired(result)["error_rate.consecutive"]
    assert "outage: 2 adjacent windows at" in rule["reason"]
    ratio = float(rule["reason"].split("outage: 2 adjacent windows at ")[1].split("x")[0])
    assert 5 < ratio < 12


def test_twice_the_errors_in_minutes_that_swing_on_both_sides_rolls_back_on_the_paired_test(
    tmp_path: Path, prometheus: str
) -> None:
    code, result = judge(tmp_path, prometheus, "swinging-2x", "swinging-baseline")
    assert code == 1 and result["summary"]["decision"] == "rollback", result["title"]
    rules = {rule["rule"]: rule for rule in result["details"]["rules"]}
    assert rules["error_rate.paired"]["fired"] and 1.5 < rules["error_rate.paired"]["ratio"] < 2.5
    assert "error_rate.paired" in result["details"]["decided_by"]
    assert not rules["error_rate.increase"]["fired"]  # the baseline's swings hide it there


def test_healthy_canary_in_the_same_swinging_minutes_promotes(
    tmp_path: Path, prometheus: str
) -> None:
    code, result = judge(tmp_path, prometheus, "swinging-healthy", "swinging-baseline")
    assert code == 0, result["title"]
    assert not fired(result)


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
