"""Every kind of tampering, through `genai-gate audit-log verify`: each is detected (exit 1) with
a message naming the record. Local store for the files, git store for the branch history."""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from support.audit_tamper import modify, rechain

from genai_gate.canonical import canonical_bytes
from genai_gate.cli import main
from genai_gate.gates.audit import store_ops
from genai_gate.gates.audit.keys import SigningKey, public_pem
from genai_gate.gates.audit.stores.local import LocalStore
from genai_gate.results import GateResult

KEY = SigningKey.parse(hashlib.sha256(b"tamper").hexdigest(), "test")


def draft(i: int) -> dict:
    sha = hashlib.sha1(str(i).encode()).hexdigest()
    return {
        "timestamp": f"2026-11-{1 + i:02d}T10:00:00Z",
        "event": "deploy",
        "deployment_id": f"run-{i}",
        "environment": "production",
        "version": f"1.{i}.0",
        "git_sha": sha,
        "deployer": "alice",
        "manifest": {"code_sha": sha},
        "success": True,
        "traffic_percent": 100,
    }


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GENAI_GATE_AUDIT_PUBLIC_KEYS", public_pem(KEY.public).decode())
    monkeypatch.delenv("GENAI_GATE_CONFIG", raising=False)
    store = LocalStore(tmp_path / "audit")
    for i in range(6):
        store_ops.append(store, [draft(i)], KEY)
    return tmp_path / "audit"


def verify(*extra: str, store: tuple[str, ...] = ("--log-dir", "audit")) -> GateResult:
    code = main(["audit-log", "verify", *store, *extra, "--format", "json", "--results-dir", "o"])
    result = GateResult.read(Path("o") / "audit-log.json")
    assert code == 1, result.title
    return result


def messages(result: GateResult) -> str:
    return "\n".join(f.message for f in result.findings)


def insert_forged(lines: list[bytes]) -> list[bytes]:
    forged = json.loads(lines[1]) | {"version": "6.6.6", "deployer": "mallory"}
    return rechain([*lines[:2], canonical_bytes(forged), *lines[2:]], 2)


CASES: dict[str, tuple[Callable[[list[bytes]], list[bytes]], str, str]] = {
    "modify": (modify, "audit/modified", "record seq 2: content modified"),
    "modify and rehash": (
        lambda lines: rechain(modify(lines), 2),
        "audit/checkpoint-mismatch",
        "records seq 2..2 were changed after it was signed",
    ),
    "delete": (
        lambda lines: lines[:3] + lines[4:],
        "audit/deleted",
        "record seq 4 found at position 3 where seq 3 belongs: record(s) seq 3 deleted",
    ),
    "reorder": (
        lambda lines: [lines[0], lines[2], lines[1], *lines[3:]],
        "audit/reordered",
        "record seq 2 found at position 1 where seq 1 belongs",
    ),
    "insert forged, chain recomputed": (
        insert_forged,
        "audit/checkpoint-mismatch",
        "records seq 2..2 were changed after it was signed",
    ),
    "truncate tail": (
        lambda lines: lines[:4],
        "audit/truncated",
        "covers 6 records but the log holds 4; records seq 4..5 are missing",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_tampered_log_is_named(folder: Path, case: str) -> None:
    tamper, rule, message = CASES[case]
    log = folder / "audit.jsonl"
    lines = log.read_bytes().splitlines()
    log.write_bytes(b"".join(line + b"\n" for line in tamper(lines)))
    result = verify()
    assert rule in {f.rule_id for f in result.findings}, messages(result)
    assert message in messages(result)


def test_truncating_both_files_is_caught_by_the_published_checkpoint(folder: Path) -> None:
    code = main(
        ["audit-log", "verify", "--log-dir", "audit", "--format", "json", "--results-dir", "o"]
    )
    published = GateResult.read(Path("o") / "audit-log.json").summary["checkpoint"]
    assert code == 0
    for name in ("audit.jsonl", "checkpoints.jsonl"):
        path = folder / name
        path.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:4]))
    (folder / ".state.json").unlink()
    result = verify("--checkpoint", published)
    assert result.findings[0].rule_id == "audit/checkpoint-missing"
    assert f"checkpoint {published} (published outside the log) is not in the log" in (
        result.findings[0].message
    )


def test_rewritten_history_signed_with_a_forged_key_names_the_records(folder: Path) -> None:
    forger = SigningKey.generate()
    lines = (folder / "audit.jsonl").read_bytes().splitlines()
    forged = LocalStore(folder.parent / "forged")
    records = [json.loads(line) for line in modify(lines)]
    for raw in records:
        store_ops.append(
            forged, [{k: v for k, v in raw.items() if k not in ("seq", "prev", "hash")}], forger
        )
    for name in ("audit.jsonl", "checkpoints.jsonl"):
        (folder / name).write_bytes((folder.parent / "forged" / name).read_bytes())
    result = verify()
    assert {f.rule_id for f in result.findings} == {"audit/checkpoint-unknown-key"}
    assert "checkpoint size 3: signed by key " + forger.key_id[:16] in messages(result)
    assert "(it covers records seq 0..2)" in messages(result)


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=m", "-c", "user.email=m@example.com", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip


def test_branch_rolled_back_by_a_normal_commit_names_the_removed_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from genai_gate.gates.audit.settings import StoreSettings
    from genai_gate.gates.audit.stores.git import GitStore

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GENAI_GATE_AUDIT_PUBLIC_KEYS", public_pem(KEY.public).decode())
    remote = tmp_path / "remote.git"
    git("init", "--bare", "-q", str(remote), cwd=tmp_path)
    (tmp_path / "w").mkdir()
    git("init", "-q", cwd=tmp_path / "w")
    store = GitStore(StoreSettings(kind="git", remote=str(remote), repo="w"), tmp_path)
    for i in range(5):
        store_ops.append(store, [draft(i)], KEY)
    clone = tmp_path / "mallory"
    git("clone", "-q", "-b", "genai-audit", str(remote), str(clone), cwd=tmp_path)
    for name in ("log/000/000/000000000000.jsonl", "checkpoints/000/000/000000000000.jsonl"):
        path = clone / name
        path.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:3]))
    git("commit", "-qam", "audit-log: 3 records", cwd=clone)
    git("push", "-q", "origin", "genai-audit", cwd=clone)
    result = verify(store=("--store", "git", "--remote", str(remote), "--repo-dir", "w"))
    text = messages(result)
    assert "records seq 3..4 were removed: the branch held 5 records at commit" in text
    assert "shrinks log/000/000/000000000000.jsonl from" in text
