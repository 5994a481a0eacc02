"""The git store's segmented layout: an append rewrites only the last segment of each file and
the state file and lists only the folders on their path, branches of the two earlier layouts
(two files; flat segment folders) verify and continue in sub-folders, and the independent
verifier (written from docs/audit-log-format.md) agrees on a checkout."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from independent_audit_verifier import verify as independent_verify

from genai_gate.gates.audit import store_ops
from genai_gate.gates.audit.keys import Keyring, SigningKey
from genai_gate.gates.audit.settings import StoreSettings
from genai_gate.gates.audit.stores import segments
from genai_gate.gates.audit.stores.git import GitStore
from genai_gate.gates.audit.stores.local import LocalStore

KEY = SigningKey.parse("9a881b9b9f23849475296a8cd768ea1965bc3152df7118e60c145975af6aa58a", "test")
THEIRS = [Ed25519PublicKey.from_public_bytes(KEY.public.raw)]
"""KEY's public half for the independent verifier (cryptography, not ours)."""


def git(*args: str, cwd: Path, data: bytes | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, input=data, check=True, capture_output=True)
    return done.stdout.decode()


def draft(i: int) -> dict:
    return {
        "timestamp": "2026-11-27T00:00:00Z", "event": "deploy", "deployment_id": f"d{i}",
        "environment": "production", "version": f"1.{i}", "git_sha": "c" * 40,
        "deployer": "alice", "manifest": {"code_sha": "c" * 40}, "success": True,
    }  # fmt: skip


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitStore:
    monkeypatch.setattr(segments, "SEGMENT_LINES", 3)
    git("init", "--bare", "-q", str(tmp_path / "remote.git"), cwd=tmp_path)
    (tmp_path / "work").mkdir()
    git("init", "-q", cwd=tmp_path / "work")
    settings = StoreSettings(kind="git", remote=str(tmp_path / "remote.git"), repo="work")
    return GitStore(settings, tmp_path)


def checkout(store: GitStore, into: Path) -> Path:
    """The files of the audit branch's tip, as a third party would check them out."""
    data = subprocess.run(
        ["git", "archive", "--format=tar", store.branch], cwd=store.settings.remote,
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def problems(store: GitStore) -> list[str]:
    return [p.message for p in store_ops.verify(store, Keyring.of(KEY)).scan.problems]


def test_each_append_rewrites_only_the_last_segments_and_the_state(
    store: GitStore, tmp_path: Path
) -> None:
    for i in range(7):
        store_ops.append(store, [draft(i)], KEY)
    store_ops.append(store, [draft(i) for i in range(7, 12)], KEY)  # one append, two segments
    remote = Path(store.settings.remote)
    commits = git("rev-list", "--reverse", store.branch, cwd=remote).split()
    changed = [
        git("diff-tree", "--no-commit-id", "--name-only", "-r", "--root", c, cwd=remote).split()
        for c in commits
    ]
    assert changed[3] == [
        "checkpoints/000/000/000000000003.jsonl",
        "log/000/000/000000000003.jsonl",
        "state.json",
    ]  # the 4th record starts segment 3 of each file; earlier segments are left alone
    assert changed[4] == [
        "checkpoints/000/000/000000000003.jsonl", "log/000/000/000000000003.jsonl", "state.json",
    ]  # fmt: skip
    assert changed[7] == [
        "checkpoints/000/000/000000000006.jsonl", "log/000/000/000000000006.jsonl",
        "log/000/000/000000000009.jsonl", "state.json",
    ]  # fmt: skip
    assert store.full_scans == 0, "every append continued from the stored tip"
    assert problems(store) == []
    assert independent_verify(checkout(store, tmp_path / "tip"), THEIRS) == []


def test_a_modified_earlier_segment_is_found_by_both_verifiers(
    store: GitStore, tmp_path: Path
) -> None:
    for i in range(7):
        store_ops.append(store, [draft(i)], KEY)
    clone = tmp_path / "mallory"
    git("clone", "-q", "-b", store.branch, store.settings.remote, str(clone), cwd=tmp_path)
    path = clone / "log" / "000" / "000" / "000000000003.jsonl"
    path.write_bytes(path.read_bytes().replace(b'"version":"1.4"', b'"version":"6.6"'))
    git("commit", "-qam", "fix", cwd=clone)
    git("push", "-q", "origin", store.branch, cwd=clone)
    assert any(m.startswith("record seq 4: content modified") for m in problems(store))
    theirs = independent_verify(checkout(store, tmp_path / "tip"), THEIRS)
    assert "record seq 4: hash does not match content" in theirs


def test_a_branch_of_the_two_file_layout_verifies_and_continues_in_segments(
    store: GitStore, tmp_path: Path
) -> None:
    old = LocalStore(tmp_path / "old")
    for i in range(4):
        store_ops.append(old, [draft(i)], KEY)
    clone = tmp_path / "writer-0.1"
    git("init", "-q", "-b", store.branch, str(clone), cwd=tmp_path)
    for name in ("audit.jsonl", "checkpoints.jsonl"):
        (clone / name).write_bytes((old.folder / name).read_bytes())
    git("add", ".", cwd=clone)
    git("-c", "user.name=w", "-c", "user.email=w@x", "commit", "-qm", "audit-log: 4 records",
        cwd=clone)  # fmt: skip
    git("push", "-q", store.settings.remote, store.branch, cwd=clone)
    assert problems(store) == []
    store_ops.append(store, [draft(4)], KEY)
    assert store.full_scans == 1, "no state file yet: one full verification"
    store_ops.append(store, [draft(5)], KEY)
    assert store.full_scans == 1
    remote = Path(store.settings.remote)
    files = git("ls-tree", "-r", "--name-only", store.branch, cwd=remote).split()
    assert files == [
        "audit.jsonl", "checkpoints.jsonl", "checkpoints/000/000/000000000004.jsonl",
        "log/000/000/000000000004.jsonl", "state.json",
    ]  # fmt: skip
    verified = store_ops.verify_trail(store, Keyring.of(KEY))
    assert verified.scan.problems == [] and verified.scan.size == 6
    assert independent_verify(checkout(store, tmp_path / "tip"), THEIRS) == []


def test_a_state_file_that_does_not_hold_costs_one_full_verification(
    store: GitStore, tmp_path: Path
) -> None:
    for i in range(4):
        store_ops.append(store, [draft(i)], KEY)
    clone = tmp_path / "other"
    git("clone", "-q", "-b", store.branch, store.settings.remote, str(clone), cwd=tmp_path)
    (clone / "state.json").write_text('{"size": 1000000}')
    git("-c", "user.name=w", "-c", "user.email=w@x", "commit", "-qam", "state", cwd=clone)
    git("push", "-q", "origin", store.branch, cwd=clone)
    done = store_ops.append(store, [draft(4)], KEY)
    assert store.full_scans == 1 and done.records[0]["seq"] == 4
    assert problems(store) == []


def flatten(store: GitStore, tmp_path: Path) -> None:
    """Rewrite the branch as the flat-folder layout wrote it (`log/N.jsonl`), in one commit."""
    tip = checkout(store, tmp_path / "nested")
    flat = tmp_path / "writer-flat"
    git("init", "-q", "-b", store.branch, str(flat), cwd=tmp_path)
    for folder in ("log", "checkpoints"):
        (flat / folder).mkdir()
        for path in (tip / folder).rglob("*.jsonl"):
            (flat / folder / path.name).write_bytes(path.read_bytes())
    (flat / "state.json").write_bytes((tip / "state.json").read_bytes())
    git("add", ".", cwd=flat)
    git("-c", "user.name=w", "-c", "user.email=w@x", "commit", "-qm", "audit-log: 7 records",
        cwd=flat)  # fmt: skip
    git("push", "-qf", store.settings.remote, store.branch, cwd=flat)


def test_a_branch_of_flat_segment_folders_fills_its_last_segment_then_uses_sub_folders(
    store: GitStore, tmp_path: Path
) -> None:
    for i in range(7):
        store_ops.append(store, [draft(i)], KEY)
    flatten(store, tmp_path)
    remote = Path(store.settings.remote)
    before = {
        f: git("show", f"{store.branch}:{f}", cwd=remote)
        for f in git("ls-tree", "-r", "--name-only", store.branch, cwd=remote).split()
        if f != "state.json"
    }
    assert problems(store) == []
    for i in range(7, 10):
        store_ops.append(store, [draft(i)], KEY)
    assert store.full_scans == 0, "the flat branch's state file holds: no full verification"
    files = git("ls-tree", "-r", "--name-only", store.branch, cwd=remote).split()
    assert files == [
        "checkpoints/000/000/000000000009.jsonl", "checkpoints/000000000000.jsonl",
        "checkpoints/000000000003.jsonl", "checkpoints/000000000006.jsonl",
        "log/000/000/000000000009.jsonl", "log/000000000000.jsonl", "log/000000000003.jsonl",
        "log/000000000006.jsonl", "state.json",
    ]  # fmt: skip
    for name, old in before.items():  # nothing moved; the last flat segments were filled up
        now = git("show", f"{store.branch}:{name}", cwd=remote)
        assert now.startswith(old) and (now == old) == ("000000000006" not in name), name
    assert git("show", f"{store.branch}:log/000000000006.jsonl", cwd=remote).count("\n") == 3
    verified = store_ops.verify_trail(store, Keyring.of(KEY))
    assert verified.scan.problems == [] and verified.scan.size == 10  # history included
    assert independent_verify(checkout(store, tmp_path / "tip"), THEIRS) == []


def test_an_append_lists_only_the_folders_on_the_path_to_the_last_segments(
    store: GitStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_ops.append(store, [draft(i) for i in range(7)], KEY)
    calls: list[tuple[str, ...]] = []
    real = store._git

    def spy(*args: str, **kw: object) -> bytes:
        calls.append(args)
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "_git", spy)
    store_ops.append(store, [draft(9)], KEY)
    listings = [c for c in calls if c[0] == "ls-tree"]
    assert all("-r" not in c for c in listings), listings
    listed = [sorted(c[c.index("--") + 1 :]) for c in listings]
    assert listed == [
        ["audit.jsonl", "checkpoints.jsonl", "checkpoints/", "log/", "state.json"],
        ["checkpoints/000/", "log/000/"],
        ["checkpoints/000/000/", "log/000/000/"],
    ]  # one depth at a time, never a recursive listing of the whole branch
    assert store.full_scans == 0 and problems(store) == []


def test_the_last_segment_is_found_past_flat_files_and_earlier_sub_folders(
    store: GitStore,
) -> None:
    paths = [
        "log/000000000000.jsonl", "log/000000001000.jsonl",  # the flat layout, frozen
        "log/000/000/000000002000.jsonl", "log/000/999/000999999000.jsonl",
        "log/001/000/001000000000.jsonl", "log/001/000/001000001000.jsonl",
        "checkpoints/000000000000.jsonl", "state.json",
    ]  # fmt: skip
    stream = b"blob\nmark :1\ndata 3\n{}\n\ncommit refs/heads/padded\n"
    stream += b"committer a <a@b> 0 +0000\ndata 1\nx\n"
    stream += b"".join(f"M 100644 :1 {p}\n".encode() for p in paths)
    git("fast-import", "--quiet", cwd=store.repo, data=stream)
    files = store._tail_listing(git("rev-parse", "padded", cwd=store.repo).strip())
    assert sorted(files) == sorted(
        [*paths[:2], "log/001/000/001000000000.jsonl", "log/001/000/001000001000.jsonl", *paths[6:]]
    )  # fmt: skip  (earlier sub-folders are not listed)
    assert segments.last_segment(files, "audit.jsonl") == (
        "log/001/000/001000001000.jsonl",
        1_000_001_000,
    )
    assert segments.last_segment(files, "checkpoints.jsonl") == (
        "checkpoints/000000000000.jsonl",
        0,
    )
    assert segments.segment_name("log", 1_000_002_000) == "log/001/000/001000002000.jsonl"
