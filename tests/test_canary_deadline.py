"""canary-gate against a Prometheus stand-in that answers one byte per second: exit 3 in time.

The stand-in only dribbles bytes (it never answers a query), so the checks are about time
limits, not about Prometheus's API, which the real-server tests cover.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from support.dribble import dribbling_server

from genai_gate.cli import main


def run(tmp_path: Path, url: str, prometheus: str) -> tuple[int, dict[str, Any], float]:
    config = tmp_path / "genai-gate.yaml"
    config.write_text(f"canary:\n  prometheus:\n    url: {url}\n{prometheus}", encoding="utf-8")
    started = time.monotonic()
    code = main(
        ["--config", str(config), "canary-gate", "--step", "5", "--baseline-label", "a",
         "--canary-label", "b", "--end", "1700000000", "--results-dir", str(tmp_path / "r")]
    )  # fmt: skip
    elapsed = time.monotonic() - started
    return code, json.loads((tmp_path / "r" / "canary-gate.json").read_text("utf-8")), elapsed


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ("    timeout_s: 2\n", "no complete answer within 2 s"),
        ("    timeout_s: 60\n    run_timeout_s: 2\n", "the gate run's deadline of 2 s passed"),
    ],
    ids=["per-request", "per-run"],
)
def test_dribbling_prometheus_ends_in_exit_3_within_the_limit(
    tmp_path: Path, limits: str, message: str
) -> None:
    with dribbling_server() as url:
        code, result, elapsed = run(tmp_path, url, limits)
    assert code == 3
    assert result["status"] == "error" and result["incomplete"] is True
    assert result["summary"]["decision"] == "hold"
    assert message in result["error"], result["error"]
    assert f"Prometheus at {url} failed" in result["error"]
    assert elapsed < 30  # the answer would take 2,000+ s to arrive
