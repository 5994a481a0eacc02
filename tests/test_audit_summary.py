"""The typed summary and details of `audit-log` results, read back from the files the CLI writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genai_gate.cli import main
from genai_gate.errors import ConfigError
from genai_gate.gates.audit.summary import AuditDetails, AuditSummary
from genai_gate.results import GateResult


def test_record_and_verify_summaries_agree_and_read_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GENAI_GATE_CONFIG", raising=False)
    assert main(["audit-log", "keygen", "--out-dir", "keys", "--results-dir", "k"]) == 0
    monkeypatch.setenv(
        "GENAI_GATE_AUDIT_KEY", (tmp_path / "keys/audit-signing-key.pem").read_text()
    )
    store = ["--log-dir", "lg", "--public-key", "keys/audit-public-key.pem", "--no-progress"]
    record = ["--event", "deploy", "--environment", "production", "--version", "1.0"]
    record += ["--sha", "a" * 40, "--approvals", "none"]
    assert main(["audit-log", "record", *record, *store, "--results-dir", "r"]) == 0
    assert main(["audit-log", "verify", *store, "--results-dir", "v"]) == 0
    recorded = GateResult.read(tmp_path / "r/audit-log.json")
    verified = GateResult.read(tmp_path / "v/audit-log.json")
    appended, checked = AuditSummary.of(recorded), AuditSummary.of(verified)
    assert (appended.seq, appended.size, checked.records, checked.problems) == (0, 1, 1, 0)
    assert appended.checkpoint == checked.checkpoint and appended.root == checked.root
    details = AuditDetails.of(recorded)
    assert details.action == "record" and details.record is not None
    assert details.record["hash"] == appended.hash == checked.head


def test_an_unknown_summary_figure_is_named_on_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["audit-log", "keygen", "--out-dir", "keys", "--results-dir", "k"]) == 0
    path = tmp_path / "k/audit-log.json"
    raw = json.loads(path.read_text())
    raw["summary"]["key_idd"] = raw["summary"].pop("key_id")
    path.write_text(json.dumps(raw))
    with pytest.raises(ConfigError, match=r"audit-log\.json.*summary\.key_idd"):
        GateResult.read(path)
