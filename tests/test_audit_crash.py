"""Crash safety of the local store: a crash at any point of an append leaves the old state or the
new one, `record` keeps working, `repair` finishes the job; kill -9 never loses an acknowledged
record nor leaves an unverifiable log."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from genai_gate.cli import main
from genai_gate.gates.audit import store_ops
from genai_gate.gates.audit.keys import Keyring, SigningKey, public_pem
from genai_gate.gates.audit.stores import local
from genai_gate.gates.audit.stores.local import LocalStore
from genai_gate.results import GateResult

KEY = hashlib.sha256(b"crash").hexdigest()


def draft(name: str) -> dict:
    return {
        "timestamp": "2026-11-27T00:00:00Z",
        "event": "deploy",
        "deployment_id": name,
        "environment": "production",
        "version": name,
        "git_sha": "c" * 40,
        "deployer": "bot",
        "manifest": {"code_sha": "c" * 40},
        "success": True,
    }


class Crash(BaseException):
    """Stands for the process dying (nothing catches a BaseException here)."""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GENAI_GATE_AUDIT_KEY", KEY)
    public = public_pem(SigningKey.parse(KEY, "t").public).decode()
    monkeypatch.setenv("GENAI_GATE_AUDIT_PUBLIC_KEYS", public)
    monkeypatch.delenv("GENAI_GATE_CONFIG", raising=False)
    return tmp_path


def cli(*args: str) -> tuple[int, GateResult]:
    code = main(
        ["audit-log", *args, "--log-dir", "audit", "--format", "json", "--results-dir", "o"]
    )
    return code, GateResult.read(Path("o") / "audit-log.json")


def versions(folder: Path) -> list[str]:
    records: list[dict] = []
    key = SigningKey.parse(KEY, "t")
    verified = store_ops.verify(LocalStore(folder), Keyring.of(key), visit=records.append)
    assert verified.scan.problems == [], verified.scan.problems
    return [r["version"] for r in records]


def crash_at(monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    """Make the next append die at `step`."""
    real_write_at, real_atomic, real_replace = local._write_at, local.write_atomic, local._replace
    writes = {"n": 0}

    def write_at(path: Path, offset: int, data: bytes, location: str) -> None:
        writes["n"] += 1
        if step == "half-log" and writes["n"] == 1:
            real_write_at(path, offset, data[: len(data) // 2], location)
            raise Crash
        if step == "after-log" and writes["n"] == 2:
            raise Crash
        real_write_at(path, offset, data, location)
        if step == "after-checkpoint" and writes["n"] == 2:
            raise Crash

    def write_atomic(path: Path, data: str | bytes) -> None:
        real_atomic(path, data)
        if path.name == local.JOURNAL_FILE and step == "after-journal":
            raise Crash

    def replace(path: Path, text: str) -> None:
        real_replace(path, text)
        if path.name == local.STATE_FILE and step == "after-state":
            raise Crash

    monkeypatch.setattr(local, "_write_at", write_at)
    monkeypatch.setattr(local, "write_atomic", write_atomic)
    monkeypatch.setattr(local, "_replace", replace)


STEPS = ["after-journal", "half-log", "after-log", "after-checkpoint", "after-state"]


@pytest.mark.parametrize("step", STEPS)
def test_a_crash_at_any_step_leaves_a_log_that_verifies_and_appends(
    env: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    store = LocalStore(env / "audit")
    key = SigningKey.parse(KEY, "t")
    for v in ("1", "2"):
        store_ops.append(store, [draft(v)], key)
    with monkeypatch.context() as patch:
        crash_at(patch, step)
        with pytest.raises(Crash):
            store_ops.append(store, [draft("3")], key)
    assert (env / "audit" / local.JOURNAL_FILE).exists() or step == "after-state"
    code, result = cli("verify")
    assert code == 0, result.title
    assert result.summary["records"] == 3  # the journal completes the interrupted append
    if step != "after-state":
        assert "an interrupted append is completed from .pending.json" in result.title
    store_ops.append(store, [draft("4")], key)  # never bricked: the next writer finishes it
    assert versions(env / "audit") == ["1", "2", "3", "4"]
    assert not (env / "audit" / local.JOURNAL_FILE).exists()


def test_repair_finishes_an_interrupted_append(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = LocalStore(env / "audit")
    key = SigningKey.parse(KEY, "t")
    store_ops.append(store, [draft("1")], key)
    with monkeypatch.context() as patch:
        crash_at(patch, "half-log")
        with pytest.raises(Crash):
            store_ops.append(store, [draft("2")], key)
    code, result = cli("repair")
    assert code == 0
    assert result.title.endswith(
        "completed the interrupted append recorded in .pending.json; the log verifies"
    )
    assert cli("repair")[1].title.endswith("nothing to repair; the log verifies")
    assert versions(env / "audit") == ["1", "2"]


def test_repair_sets_aside_records_a_two_file_crash_left_unsigned(env: Path) -> None:
    """What a crash of version 0.1 left (log renamed, checkpoints not): unsigned records."""
    store = LocalStore(env / "audit")
    key = SigningKey.parse(KEY, "t")
    for v in ("1", "2"):
        store_ops.append(store, [draft(v)], key)
    checkpoints = store.checkpoints_path.read_bytes()
    store_ops.append(store, [draft("3")], key)
    store.checkpoints_path.write_bytes(checkpoints)
    store.state_path.unlink()
    code, result = cli("record", "--event", "deploy", "--environment", "dev", "--version", "4",
                       "--sha", "a" * 40)  # fmt: skip
    assert code == 1 and result.findings[0].rule_id == "audit/uncovered"
    code, result = cli("repair")
    assert code == 0, result.title
    assert "moved 1 line(s) after the latest signed checkpoint (size 2)" in result.title
    assert versions(env / "audit") == ["1", "2"]
    aside = list((env / "audit").glob("audit.jsonl.unsigned-*"))
    assert len(aside) == 1 and json.loads(aside[0].read_bytes())["version"] == "3"


def test_repair_refuses_a_tampered_log(env: Path) -> None:
    store = LocalStore(env / "audit")
    key = SigningKey.parse(KEY, "t")
    for v in ("1", "2", "3"):
        store_ops.append(store, [draft(v)], key)
    store.log_path.write_bytes(store.log_path.read_bytes().replace(b'"1"', b'"7"'))
    before = store.log_path.read_bytes()
    code, result = cli("repair")
    assert code == 1 and result.title.startswith("repair refused: this is not what a crash leaves")
    assert "record seq 0: content modified" in result.findings[0].message
    assert store.log_path.read_bytes() == before


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from genai_gate.gates.audit import store_ops
    from genai_gate.gates.audit.keys import SigningKey
    from genai_gate.gates.audit.stores.local import LocalStore

    folder, prefix, key = sys.argv[1], sys.argv[2], SigningKey.parse(sys.argv[3], "k")
    store = LocalStore(Path(folder))
    for i in range(100000):
        name = f"{prefix}-{i}"
        store_ops.append(store, [{
            "timestamp": "2026-11-27T00:00:00Z", "event": "deploy", "deployment_id": name,
            "environment": "production", "version": name, "git_sha": "c" * 40,
            "deployer": "bot", "manifest": {"code_sha": "c" * 40}, "success": True,
        }], key)
        print(name, flush=True)  # acknowledged
    """
)


def test_kill_9_during_appends_never_loses_an_acknowledged_record(env: Path) -> None:
    folder = env / "audit"
    acknowledged: list[str] = []
    rng = random.Random(16)
    for round_ in range(12):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder), f"r{round_}", KEY],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None
        first = writer.stdout.readline().strip()  # running: now kill it mid-append
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(writer.pid, signal.SIGKILL)
        rest = writer.stdout.read().split()
        writer.wait()
        acknowledged += [first, *rest]
        code, result = cli("verify")
        assert code == 0, (round_, result.title)
        kept = set(versions(folder))
        assert not set(acknowledged) - kept, round_
    assert cli("repair")[0] == 0
    assert set(acknowledged) <= set(versions(folder))


def test_a_corrupt_journal_is_a_finding_not_a_crash(env: Path) -> None:
    store = LocalStore(env / "audit")
    store_ops.append(store, [draft("1")], SigningKey.parse(KEY, "t"))
    (env / "audit" / local.JOURNAL_FILE).write_text("{not json")
    code, result = cli("verify")
    assert code == 1 and result.findings[0].rule_id == "audit/journal-corrupt"
    assert ".pending.json is unreadable" in result.findings[0].message


def test_appends_use_the_cached_tip_only_when_it_matches_the_signed_checkpoint(env: Path) -> None:
    key = SigningKey.parse(KEY, "t")
    store = LocalStore(env / "audit")
    for v in ("1", "2", "3"):
        store_ops.append(store, [draft(v)], key)
    assert store.full_scans == 1  # the first append, on an empty folder
    state = json.loads(store.state_path.read_bytes())
    state["frontier"][0][1] = "00" * 32  # a forged Merkle state
    store.state_path.write_text(json.dumps(state))
    store_ops.append(store, [draft("4")], key)
    assert store.full_scans == 2  # not trusted: the whole log was verified instead
    store.state_path.write_text("{}")
    store_ops.append(store, [draft("5")], key)
    assert store.full_scans == 3
    store_ops.append(store, [draft("6")], key)
    assert store.full_scans == 3  # the rebuilt cache is used again
    assert versions(env / "audit") == ["1", "2", "3", "4", "5", "6"]


def test_what_a_power_loss_can_leave_unsynced_is_completed_without_a_full_scan(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither the cached tip nor the journal's removal is fsynced: after a power loss the state
    may be an earlier one and the journal of a finished append may come back."""
    key = SigningKey.parse(KEY, "t")
    store = LocalStore(env / "audit")
    store_ops.append(store, [draft("1")], key)
    earlier = store.state_path.read_bytes()
    journals: list[bytes] = []
    real_atomic = local.write_atomic

    def write_atomic(path: Path, data: str | bytes) -> None:
        real_atomic(path, data)
        journals.append(path.read_bytes())

    with monkeypatch.context() as patch:
        patch.setattr(local, "write_atomic", write_atomic)
        store_ops.append(store, [draft("2")], key)
    store.journal_path.write_bytes(journals[0])  # the removal of the journal was lost
    store.state_path.write_bytes(earlier)  # and so was the newer state
    code, result = cli("verify")
    assert code == 0 and result.summary["records"] == 2, result.title
    assert "an interrupted append is completed from .pending.json" in result.title
    store_ops.append(store, [draft("3")], key)
    assert store.full_scans == 1  # the first append only: the earlier tip still holds
    assert not store.journal_path.exists()
    assert versions(env / "audit") == ["1", "2", "3"]
