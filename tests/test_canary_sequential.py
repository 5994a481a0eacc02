"""canary-gate extending an inconclusive step (`canary.sequential`) on a real Prometheus.

The deployments are backfilled (synthetic 15 s scrapes, fixed seeds, `support.prometheus`) 30
minutes past the end of the judged window, as if the canary kept serving while the gate looked
again: the first look judges the 10 windows ending at END, the later ones 15, 20, ..., 40.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from support.prometheus import (
    JUDGED_END,
    NEEDS_PROMETHEUS,
    PrometheusServer,
    Traffic,
    openmetrics,
    prometheus_server,
    serve_deployments,
)

from genai_gate.cli import main

pytestmark = [pytest.mark.slow, NEEDS_PROMETHEUS]

END = JUDGED_END
MORE_S = 30 * 60
"""Scrapes backfilled after END: the 30 windows the looks after the first one read."""
LOOKS = [10, 15, 20, 25, 30, 35, 40]


def outage_before_end(first: int, last: int) -> Any:
    """50% errors in minutes first..last before END (1% otherwise); the data ends MORE_S later."""
    offset = MORE_S // 60
    return lambda minute: 0.5 if first + offset <= minute <= last + offset else 0.01


DEPLOYMENTS = {
    "baseline": Traffic(requests_per_s=5, minutes=60),
    "double": Traffic(requests_per_s=5, error_rate=0.02, minutes=60),
    "healthy": Traffic(requests_per_s=5, minutes=60),
    "outage-2m": Traffic(requests_per_s=5, error_rate_at=outage_before_end(3, 4), minutes=60),
}


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_deployments(tmp_path_factory, DEPLOYMENTS, END + MORE_S)


def with_config(tmp_path: Path, text: str) -> str:
    """A config file holding `text` (a `canary:` section)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "genai-gate.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def gate(tmp_path: Path, url: str, canary: str, config: str | None = None) -> tuple[int, Any]:
    """Run the gate at step 25 on the window ending at END, replaying the later looks up to
    END + MORE_S; exit code and results file."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    if config is None:
        config = "canary: {}\n"
    results = tmp_path / "results"
    code = main(
        ["--config", with_config(tmp_path, config), "canary-gate", "--step", "25",
         "--baseline-label", "baseline", "--canary-label", canary, "--prometheus-url", url,
         "--end", str(END), "--extend-until", str(END + MORE_S), "--results-dir", str(results),
         "--format", "json"]
    )  # fmt: skip
    return code, json.loads((results / "canary-gate.json").read_text(encoding="utf-8"))


def test_twice_the_errors_promoted_by_one_look_is_rolled_back_after_extension(
    tmp_path: Path, prometheus: str
) -> None:
    code, once = gate(tmp_path / "one", prometheus, "double", "canary:\n  sequential:\n"
                      "    max_windows: 10\n")  # fmt: skip
    assert code == 0 and once["details"]["sequential"]["looks"] == 1, once["title"]

    code, result = gate(tmp_path / "more", prometheus, "double")
    details = result["details"]
    assert code == 1 and result["summary"]["decision"] == "rollback", result["title"]
    looks = details["sequential"]
    assert looks["planned_looks"] == LOOKS and looks["limit"] is None
    assert looks["looks"] > 1 and looks["windows"] == 10 + 5 * (looks["looks"] - 1)
    assert {"error_rate.increase", "error_rate.paired"} & set(details["decided_by"])
    assert f"(look {looks['looks']} of 7, {looks['windows']} windows" in result["title"]
    assert details["window"]["interval_s"] == 60
    assert sum(details["coverage"]["canary"]["samples"]) == 4 * looks["windows"]
    fired = {r["rule"]: r for r in details["rules"] if r["fired"]}
    assert 1.5 < next(iter(fired.values()))["ratio"] < 2.6


def test_healthy_canary_promotes_early_once_its_errors_rule_out_twice_the_rate(
    tmp_path: Path, prometheus: str
) -> None:
    code, result = gate(tmp_path, prometheus, "healthy")
    details = result["details"]
    assert code == 0 and result["summary"]["decision"] == "promote", result["title"]
    assert details["sequential"]["looks"] < 7  # before the last look
    assert details["decided_by"] == ["kayenta.score", "error_rate.clear"]
    assert "evidence clear at look" in result["title"]
    assert "error_rate.clear: canary" in result["title"]
    assert details["sequential"]["clear"] == ["error_rate.clear", "pii_incidents.clear"]


def test_a_replay_without_extend_until_makes_one_look_and_says_why(
    tmp_path: Path, prometheus: str
) -> None:
    results = tmp_path / "results"
    code = main(
        ["--config", with_config(tmp_path, "canary: {}\n"), "canary-gate", "--step", "25",
         "--baseline-label", "baseline", "--canary-label", "double", "--prometheus-url",
         prometheus, "--end", str(END), "--results-dir", str(results)]
    )  # fmt: skip
    result = json.loads((results / "canary-gate.json").read_text(encoding="utf-8"))
    looks = result["details"]["sequential"]
    assert code == 0 and looks["looks"] == 1 and looks["planned_looks"] == [10]
    assert "the metrics are replayed up to" in looks["limit"]
    assert "--extend-until reads later windows" in result["details"]["reason"]


def test_outage_rolls_back_at_the_first_look(tmp_path: Path, prometheus: str) -> None:
    code, result = gate(tmp_path, prometheus, "outage-2m")
    assert code == 1 and result["summary"]["decision"] == "rollback", result["title"]
    assert result["details"]["sequential"]["looks"] == 1
    assert "error_rate.consecutive" in result["details"]["decided_by"]
    assert "(look 1 of 7, 10 windows)" in result["title"]


class Vanishing:
    """A pass-through to a real Prometheus that stops the server when the first query of a later
    look arrives (a time after END, before the plan's last window end), answering nothing."""

    def __init__(self, server: PrometheusServer) -> None:
        self.server = server
        self.stopped = False
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                form = urllib.parse.parse_qs(body.decode())
                moment = float((form.get("time") or form.get("end") or ["0"])[0])
                if END < moment < END + MORE_S:
                    outer.stop()
                    self.close_connection = True
                    return
                answer = requests.post(
                    f"{server.url}{self.path}", data=body, headers=dict(self.headers), timeout=20
                )
                self.send_response(answer.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def log_message(self, *args: object) -> None:
                pass

        self.proxy = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.proxy.server_address[1]}"

    def stop(self) -> None:
        self.server.process.terminate()
        self.server.process.wait(10)
        self.stopped = True


def test_prometheus_going_away_mid_extension_ends_in_exit_3_without_a_pass(
    tmp_path: Path,
) -> None:
    data = openmetrics({k: DEPLOYMENTS[k] for k in ("baseline", "double")}, END + MORE_S)
    with prometheus_server(data, tmp_path / "prometheus") as server:
        vanishing = Vanishing(server)
        thread = threading.Thread(target=vanishing.proxy.serve_forever, daemon=True)
        thread.start()
        try:
            code, result = gate(tmp_path, vanishing.url, "double")
        finally:
            vanishing.proxy.shutdown()
    assert vanishing.stopped  # the first look was judged, the server went away at the second
    assert code == 3
    assert result["status"] == "error" and result["incomplete"] is True
    assert result["summary"]["decision"] == "hold"
    assert f"Prometheus at {vanishing.url} failed" in result["error"]
    assert result["error"].endswith("(at look 2 of 7)"), result["error"]
    assert "sequential" not in result["details"]


def test_the_run_deadline_stops_the_extension_and_says_so(tmp_path: Path) -> None:
    """Judged as it happens: the window ends now, a later look would end 5 minutes on."""
    now = int(time.time()) // 60 * 60
    data = openmetrics({k: DEPLOYMENTS[k] for k in ("baseline", "healthy")}, now)
    with prometheus_server(data, tmp_path / "prometheus") as server:
        results = tmp_path / "results"
        config = "canary:\n  prometheus:\n    run_timeout_s: 60\n"
        code = main(
            ["--config", with_config(tmp_path, config), "canary-gate", "--step", "25",
             "--baseline-label", "baseline", "--canary-label", "healthy",
             "--prometheus-url", server.url, "--end", str(now), "--extend-until", str(now + 3600),
             "--results-dir", str(results)]
        )  # fmt: skip
    result = json.loads((results / "canary-gate.json").read_text(encoding="utf-8"))
    looks = result["details"]["sequential"]
    assert looks["looks"] == 1 and looks["planned_looks"] == [10]
    assert looks["possible_looks"] == LOOKS
    limit = looks["limit"]
    assert limit.startswith("look 2 (15 windows, ending ")
    assert "past the run deadline of 60 s (canary.prometheus.run_timeout_s)" in limit
    assert f"not extended further: {limit}" in result["details"]["reason"]
    # One look at the fixed levels: no rollback, but twice the error rate not ruled out either.
    assert code == 0 and result["summary"]["decision"] == "promote"
    assert "error_rate.clear" not in looks["clear"]
