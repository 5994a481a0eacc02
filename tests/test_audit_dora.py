"""DORA metrics from a log of canary rollouts, a rollback and an incident; the PNG chart."""

from __future__ import annotations

import struct
import subprocess
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from genai_gate.cli import main
from genai_gate.gates.audit import dora, store_ops
from genai_gate.gates.audit.chart import Bar, scorecard
from genai_gate.gates.audit.keys import SigningKey, public_pem
from genai_gate.gates.audit.settings import DoraTargets
from genai_gate.gates.audit.stores.local import LocalStore
from genai_gate.results import GateResult, Status

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def at(days: float, minutes: float = 0) -> str:
    return (NOW - timedelta(days=days) + timedelta(minutes=minutes)).isoformat()


def rec(dep: str, when: str, **fields) -> dict:
    base = {
        "timestamp": when,
        "event": "canary-step",
        "deployment_id": dep,
        "environment": "production",
        "version": dep,
        "git_sha": fields.pop("sha", "a" * 40),
        "deployer": "alice",
        "manifest": {"code_sha": "a" * 40},
        "success": True,
    }
    return base | fields


def canary(dep: str, when: str, step: float, outcome: str = "promote", **extra) -> dict:
    after = 0 if outcome == "rollback" else step
    return rec(
        dep, when, canary={"traffic_percent": step, "outcome": outcome},
        traffic_percent=after, success=outcome == "promote", **extra,
    )  # fmt: skip


def history() -> list[dict]:
    """d1 clean rollout (lead 1.5 h); d2 rolled back at 25% (restored in 12 min);
    d3 clean but caused an incident; d4 the unplanned fix (incident restored in 20 min)."""
    out = []
    for step, minute in ((5, 0), (25, 15), (50, 30), (100, 60)):
        out.append(canary("d1", at(10, minute), step, commit_time=at(10, -30)))
    out.append(rec("d1", at(10, 61), event="deploy", traffic_percent=100))
    out.append(canary("d2", at(6, 0), 5))
    out.append(canary("d2", at(6, 10), 25, "rollback"))
    out.append(rec("d2", at(6, 12), event="rollback", traffic_percent=0))
    out.append(canary("d3", at(3, 0), 100, commit_time=at(3, -60)))
    out.append(rec("d3", at(3, 1), event="deploy", traffic_percent=100))
    out.append(
        rec(
            "d4",
            at(3, 80),
            event="deploy",
            traffic_percent=100,
            planned=False,
            incident_id="INC-7",
            incident_opened_at=at(3, 60),
            commit_time=at(3, 50),
        )
    )
    out.append(rec("d9", at(2), environment="staging", event="deploy", traffic_percent=100))
    return out


def test_metrics_from_rollouts_rollback_and_incident() -> None:
    metrics, deps = dora.compute(history(), DoraTargets(), None, NOW)
    by_key = {m.key: m for m in metrics}
    assert [d.id for d in deps] == ["d1", "d2", "d3", "d4"]
    # d1, d3, d4 over the whole 90-day window (no floor, no span since the first deploy)
    assert by_key["deployment_frequency"].value == pytest.approx(3 / (90 / 7))
    assert by_key["deployment_frequency"].met is False
    # lead times: d1 90 min, d3 60 min, d4 30 min -> median 60 min
    assert by_key["lead_time_hours"].value == pytest.approx(1.0)
    assert by_key["lead_time_hours"].met is True
    assert "p90 1.50 h over 3 commits" in by_key["lead_time_hours"].detail
    assert by_key["change_failure_rate_pct"].value == pytest.approx(50.0)  # d2 and d3 of 4
    assert by_key["change_failure_rate_pct"].met is False
    assert by_key["time_to_restore_minutes"].value == pytest.approx(16.0)  # median of 12, 20
    assert by_key["time_to_restore_minutes"].met is False
    assert by_key["success_rate_pct"].value == pytest.approx(75.0)
    assert by_key["success_rate_pct"].met is False


def metric(records: list[dict], key: str, **targets: object) -> dora.Metric:
    metrics, _ = dora.compute(records, DoraTargets(**targets), None, NOW)  # type: ignore[arg-type]
    return next(m for m in metrics if m.key == key)


def test_restore_runs_from_when_the_failing_release_first_took_traffic() -> None:
    # 5% at 0, 25% at 20, rolled back at 50% at 30: users saw the bad release for 30 minutes
    records = [
        canary("d", at(1, 0), 5),
        canary("d", at(1, 20), 25),
        canary("d", at(1, 30), 50, "rollback"),
        rec("d", at(1, 30), event="rollback", traffic_percent=0),
    ]
    assert metric(records, "time_to_restore_minutes").value == pytest.approx(30.0)


def test_a_failure_that_never_took_traffic_has_no_zero_minute_restore() -> None:
    records = [
        rec("d", at(1, 0), event="deploy", success=False, traffic_percent=0),
        rec("d", at(1, 0), event="rollback", traffic_percent=0),
    ]
    ttr = metric(records, "time_to_restore_minutes")
    assert ttr.value is None and ttr.detail == "no failures to restore from"
    assert metric(records, "change_failure_rate_pct").value is None  # never exposed
    assert metric(records, "success_rate_pct").value == 0.0


def test_each_rerun_of_a_workflow_run_is_one_deployment_attempt() -> None:
    run = {"run_id": "5", "repository": "acme/agent"}
    records = [
        canary("5", at(2, 0), 5, run=run | {"run_attempt": 1}),
        canary("5", at(2, 10), 25, "rollback", run=run | {"run_attempt": 1}),
        canary("5", at(1, 0), 100, run=run | {"run_attempt": 2}),
        rec("5", at(1, 1), event="deploy", traffic_percent=100, run=run | {"run_attempt": 2}),
    ]
    _, deps = dora.compute(records, DoraTargets(), None, NOW)
    assert [d.id for d in deps] == ["5 (attempt 1)", "5 (attempt 2)"]
    assert metric(records, "success_rate_pct").value == pytest.approx(50.0)
    assert metric(records, "change_failure_rate_pct").value == pytest.approx(50.0)
    assert metric(records, "time_to_restore_minutes").value == pytest.approx(10.0)


def test_one_deploy_yesterday_is_not_seven_a_week() -> None:
    records = [rec("d", at(1), event="deploy", traffic_percent=100)]
    assert metric(records, "deployment_frequency").value == pytest.approx(7 / 90)
    assert metric(records, "deployment_frequency", window_days=7).value == pytest.approx(1.0)
    assert "1 successful deployments in the last 90 days" in (
        metric(records, "deployment_frequency").detail
    )


def test_lead_time_uses_git_history_between_releases(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()

    def commit(message: str, when: str) -> str:
        env = {"GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when, "PATH": "/usr/bin:/bin"}
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q",
             "--allow-empty", "-m", message],
            cwd=repo, check=True, env=env,
        )  # fmt: skip
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True
        ).stdout.strip()

    first = commit("one", at(5, -120))
    commit("two", at(2, -180))
    third = commit("three", at(2, -60))
    records = [
        rec("r1", at(5), event="deploy", traffic_percent=100, sha=first),
        rec("r2", at(2), event="deploy", traffic_percent=100, sha=third),
    ]
    metrics, _ = dora.compute(records, DoraTargets(), repo, NOW)
    lead = next(m for m in metrics if m.key == "lead_time_hours")
    assert lead.value == pytest.approx(2.0)  # commits of r2: 3 h and 1 h; r1: 2 h
    assert "over 3 commits" in lead.detail


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR"
    body = data[16 : 16 + length]
    assert struct.unpack(">I", data[16 + length : 20 + length])[0] == zlib.crc32(kind + body)
    return struct.unpack(">II", body[:8])


def test_scorecard_png_is_valid_and_colours_bars() -> None:
    bars = [Bar("OK", "1.0", ">1", 1.5, True), Bar("BAD", "9", "<2", 4.5, False)]
    data = scorecard("TEST", bars, width=200, height=160)
    assert png_size(data) == (200, 160)
    idat = data[data.index(b"IDAT") + 4 :]
    raw = zlib.decompressobj().decompress(idat)
    assert len(raw) == 160 * (1 + 200 * 3)
    assert bytes((46, 160, 67)) in raw and bytes((207, 34, 46)) in raw


def test_dora_command_writes_table_and_chart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "GENAI_GATE_AUDIT_KEY", "69db31976ead37b85cc42a49c95fd06eec99cfd9b7ff219a25c0f59cb4049343"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GENAI_GATE_CONFIG", raising=False)
    store = LocalStore(tmp_path / "log")
    key = SigningKey.from_env("GENAI_GATE_AUDIT_KEY")
    monkeypatch.setenv("GENAI_GATE_AUDIT_PUBLIC_KEYS", public_pem(key.public).decode())
    store_ops.append(store, history(), key)
    code = main(
        ["audit-log", "dora", "--log-dir", "log", "--git-dir", str(tmp_path), "--format", "json",
         "--results-dir", "out"]
    )  # fmt: skip
    assert code == 0
    result = GateResult.read(tmp_path / "out" / "audit-log.json")
    assert result.status is Status.PASS
    assert result.summary["change_failure_rate_pct"] == 50.0
    assert {f.rule_id for f in result.findings} == {
        "audit/dora/deployment_frequency",
        "audit/dora/change_failure_rate_pct",
        "audit/dora/time_to_restore_minutes",
        "audit/dora/success_rate_pct",
    }
    assert png_size((tmp_path / "out" / "dora.png").read_bytes()) == (760, 360)
    table = (tmp_path / "out" / "dora.md").read_text()
    assert "| Change failure rate | 50.0 % | < 5% | missed |" in table
