"""`audit-log verify` over the git history of the audit branch and published checkpoints:
rollbacks committed normally, deleted branches, missing folders."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from genai_gate.cli import main
from genai_gate.gates.audit.keys import SigningKey, public_pem
from genai_gate.results import GateResult

KEY = hashlib.sha256(b"history").hexdigest()


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=m", "-c", "user.email=m@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    remote = tmp_path / "remote.git"
    git("init", "--bare", "-q", str(remote), cwd=tmp_path)
    repo = tmp_path / "work"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GENAI_GATE_AUDIT_KEY", KEY)
    public = public_pem(SigningKey.parse(KEY, "test").public).decode()
    monkeypatch.setenv("GENAI_GATE_AUDIT_PUBLIC_KEYS", public)
    monkeypatch.delenv("GENAI_GATE_CONFIG", raising=False)
    return tmp_path


def audit(work: Path, *args: str) -> tuple[int, GateResult]:
    store = ["--store", "git", "--remote", str(work / "remote.git"), "--repo-dir", "."]
    code = main(["audit-log", *args, *store, "--format", "json", "--results-dir", "out"])
    return code, GateResult.read(Path("out") / "audit-log.json")


def record(work: Path, version: str) -> str:
    code, result = audit(
        work, "record", "--event", "deploy", "--environment", "prod", "--version", version,
        "--sha", "f" * 40,
    )  # fmt: skip
    assert code == 0, result.title
    return str(result.summary["checkpoint"])


def commit_rollback(work: Path, keep: int) -> None:
    """A normal fast-forward commit that cuts both files back to the first `keep` lines."""
    clone = work / "mallory"
    git("clone", "-q", "-b", "genai-audit", str(work / "remote.git"), str(clone), cwd=work)
    for name in ("log/000/000/000000000000.jsonl", "checkpoints/000/000/000000000000.jsonl"):
        path = clone / name
        path.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:keep]))
    git("commit", "-qam", "tidy up", cwd=clone)
    git("push", "-q", "origin", "genai-audit", cwd=clone)


def test_a_rollback_committed_normally_is_a_finding(work: Path) -> None:
    digests = [record(work, str(v)) for v in range(4)]
    assert audit(work, "verify")[0] == 0
    commit_rollback(work, keep=2)
    code, result = audit(work, "verify")
    assert code == 1
    kinds = [f.rule_id for f in result.findings]
    assert "audit/history-shrunk" in kinds
    shrunk = next(f for f in result.findings if f.rule_id == "audit/history-shrunk")
    assert "shrinks log/000/000/000000000000.jsonl from" in shrunk.message
    assert "a rollback of the log" in shrunk.message
    missing = [f.message for f in result.findings if f.rule_id == "audit/checkpoint-missing"]
    assert len(missing) == 2 and any(digests[3] in m for m in missing)
    # the tip alone is a valid, smaller log: only the history shows the rollback
    assert not {"audit/modified", "audit/truncated"} & set(kinds)


def test_published_digest_catches_a_rollback_on_a_rewritten_branch(work: Path) -> None:
    digests = [record(work, str(v)) for v in range(3)]
    # the whole branch is replaced by an older, shorter log (history included)
    old = git("rev-list", "-n", "1", "genai-audit~1", cwd=work / "remote.git")
    git("update-ref", "refs/heads/genai-audit", old, cwd=work / "remote.git")
    assert audit(work, "verify")[0] == 0, "the rewritten branch is self-consistent"
    code, result = audit(work, "verify", "--checkpoint", digests[2])
    assert code == 1
    assert result.findings[0].rule_id == "audit/checkpoint-missing"
    assert f"checkpoint {digests[2]} (published outside the log) is not in the log" in (
        result.findings[0].message
    )
    assert audit(work, "verify", "--checkpoint", digests[1])[0] == 0


def test_a_deleted_branch_or_folder_is_a_failure_not_an_empty_log(work: Path) -> None:
    digest = record(work, "1")
    git("update-ref", "-d", "refs/heads/genai-audit", cwd=work / "remote.git")
    code, result = audit(work, "verify")
    assert code == 1 and result.findings[0].rule_id == "audit/missing-log"
    assert "no audit log at" in result.title and "(no such branch)" in result.title
    assert audit(work, "verify", "--allow-empty")[0] == 0  # before the first deploy
    assert audit(work, "verify", "--allow-empty", "--checkpoint", digest)[0] == 1
    for action in (["check", "--environment", "prod", "--sha", "f" * 40], ["dora"]):
        code, result = audit(work, *action)
        assert code == 1 and "no audit log at" in result.title, action
    local = ["audit-log", "verify", "--log-dir", "nowhere", "--format", "json"]
    assert main([*local, "--results-dir", "out"]) == 1
    assert "no audit log at" in GateResult.read(Path("out") / "audit-log.json").title
