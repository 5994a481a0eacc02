"""canary-gate judging the 100% step against the previous release's production metrics.

At 100% (after a canary's last step, or a blue-green switch) the previous release serves no
traffic any more: `--baseline-end` reads it over the same windows ending before the switch.
Real Prometheus, synthetic 15 s scrapes (fixed seeds) from `support.prometheus`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.prometheus import (
    JUDGED_END,
    NEEDS_PROMETHEUS,
    Traffic,
    run_canary_gate,
    serve_deployments,
)

from genai_gate.cli import main

pytestmark = [pytest.mark.slow, NEEDS_PROMETHEUS]

END = JUDGED_END
SWITCH = END - 15 * 60
"""The previous release stopped serving 15 minutes before the end of the judged window."""

DEPLOYMENTS = {
    "previous": Traffic(requests_per_s=20, silent_last_s=END - SWITCH),
    "new-healthy": Traffic(requests_per_s=20),
    "new-errors": Traffic(requests_per_s=20, error_rate=0.03),
}


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_deployments(tmp_path_factory, DEPLOYMENTS, END)


def judge(tmp_path: Path, url: str, canary: str, *extra: str) -> tuple[int, dict[str, Any]]:
    return run_canary_gate(tmp_path, url, "previous", canary, 100, *extra)


def test_without_a_baseline_window_the_silent_previous_release_holds(
    tmp_path: Path, prometheus: str
) -> None:
    code, result = judge(tmp_path, prometheus, "new-healthy")
    assert code == 1 and result["details"]["audit_event"]["decision"] == "hold", result["details"]
    assert "baseline: no samples of the traffic counter" in result["details"]["reason"]


def test_healthy_release_at_full_traffic_promotes_against_the_previous_production_window(
    tmp_path: Path, prometheus: str
) -> None:
    code, result = judge(tmp_path, prometheus, "new-healthy", "--baseline-end", str(SWITCH))
    assert code == 0, result["details"]["reason"]
    details = result["details"]
    assert details["audit_event"]["decision"] == "promote"
    event = details["audit_event"]
    assert event["step"] == 100 and event["baseline"] == "previous"
    assert event["baseline_window"]["end"].startswith(
        time.strftime("%Y-%m-%dT%H", time.gmtime(SWITCH))
    )
    assert event["window"]["end"] != event["baseline_window"]["end"]
    assert details["coverage"]["baseline"]["missing_windows"] == 0


def test_regression_at_full_traffic_rolls_back(tmp_path: Path, prometheus: str) -> None:
    code, result = judge(tmp_path, prometheus, "new-errors", "--baseline-end", str(SWITCH))
    assert code == 1
    assert result["details"]["audit_event"]["decision"] == "rollback", result["details"]["reason"]
    assert result["details"]["audit_event"]["metrics"]["error_rate"] == "high"


def test_baseline_end_after_end_is_a_usage_error(tmp_path: Path, prometheus: str) -> None:
    code = main(
        [
            "canary-gate",
            "--step",
            "100",
            "--baseline-label",
            "previous",
            "--canary-label",
            "new-healthy",
            "--prometheus-url",
            prometheus,
            "--end",
            str(SWITCH),
            "--baseline-end",
            str(END),
            "--results-dir",
            str(tmp_path / "results"),
        ]
    )
    assert code == 2
