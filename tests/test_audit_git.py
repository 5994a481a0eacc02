"""Stores under concurrent writers: git compare-and-swap against a real bare repository, and
the local store's lock file."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from genai_gate.gates.audit import store_ops
from genai_gate.gates.audit.keys import Keyring, SigningKey, public_pem
from genai_gate.gates.audit.settings import StoreSettings
from genai_gate.gates.audit.stores.git import GitStore

KEY = "9a881b9b9f23849475296a8cd768ea1965bc3152df7118e60c145975af6aa58a"

WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from genai_gate.gates.audit import store_ops
    from genai_gate.gates.audit.keys import SigningKey
    from genai_gate.gates.audit.settings import StoreSettings
    from genai_gate.gates.audit.stores.git import GitStore

    repo, remote, name, count, start_at = sys.argv[1:6]
    if remote == "local":
        from genai_gate.gates.audit.stores.local import LocalStore
        store = LocalStore(Path(repo))
        store.attempts = 1
    else:
        settings = StoreSettings(kind="git", remote=remote, repo=repo, max_attempts=200,
                                 backoff_base_s=0.01, backoff_max_s=0.2)
        store = GitStore(settings, Path("/"))
    key = SigningKey.from_env("AUDIT_TEST_KEY")
    while time.time() < float(start_at):  # both workers start at the same moment
        time.sleep(0.001)
    retries = 0
    for i in range(int(count)):
        store_ops.append(store, [{
            "timestamp": "2026-11-27T00:00:00Z", "event": "deploy",
            "deployment_id": f"{name}-{i}", "environment": "production",
            "version": f"{name}.{i}", "git_sha": "c" * 40, "deployer": name,
            "manifest": {"code_sha": "c" * 40}, "success": True,
        }], key)
        retries += store.attempts - 1
    print(retries)
    """
)


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    bare = tmp_path / "remote.git"
    git("init", "--bare", "-q", str(bare), cwd=tmp_path)
    return bare


def clone_dir(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    git("init", "-q", cwd=folder)
    return folder


def verified_records(store, key: SigningKey) -> tuple[list, list[dict]]:  # type: ignore[no-untyped-def]
    """(problems, records) of a full verification."""
    records: list[dict] = []
    verified = store_ops.verify(store, Keyring.of(key), visit=records.append)
    return verified.scan.problems, records


def store_for(repo: Path, remote: Path) -> GitStore:
    settings = StoreSettings(kind="git", remote=str(remote), repo=str(repo))
    return GitStore(settings, Path("/"))


def test_append_read_and_working_tree_untouched(
    tmp_path: Path, remote: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDIT_TEST_KEY", KEY)
    key = SigningKey.from_env("AUDIT_TEST_KEY")
    repo = clone_dir(tmp_path, "a")
    (repo / "app.py").write_text("print('hi')\n")
    store = store_for(repo, remote)
    with store.reading() as reading:
        assert not reading.exists and list(reading.log) == []
    record = {
        "timestamp": "2026-11-27T00:00:00Z",
        "event": "deploy",
        "deployment_id": "d1",
        "environment": "staging",
        "version": "1.0.0",
        "git_sha": "d" * 40,
        "deployer": "alice",
        "manifest": {"code_sha": "d" * 40},
        "success": True,
    }
    store_ops.append(store, [record], key)
    store_ops.append(store, [record | {"deployment_id": "d2"}], key)
    other = store_for(clone_dir(tmp_path, "b"), remote)
    problems, records = verified_records(other, key)
    assert problems == [] and len(records) == 2
    files = git("ls-tree", "-r", "--name-only", "genai-audit", cwd=remote).split()
    assert files == [
        "checkpoints/000/000/000000000000.jsonl",
        "log/000/000/000000000000.jsonl",
        "state.json",
    ]
    assert int(git("rev-list", "--count", "genai-audit", cwd=remote)) == 2
    assert git("status", "--porcelain", cwd=repo).strip() == "?? app.py"


def test_two_processes_append_50_each_at_the_same_moment(
    tmp_path: Path, remote: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setenv("AUDIT_TEST_KEY", KEY)
    start_at = str(time.time() + 2.0)
    env = {**os.environ, "AUDIT_TEST_KEY": KEY}
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                str(clone_dir(tmp_path, n)),
                str(remote),
                n,
                "50",
                start_at,
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in ("w1", "w2")
    ]
    outputs = [w.communicate(timeout=280) for w in workers]
    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
    retries = sum(int(out.strip()) for out, _ in outputs)
    key = SigningKey.from_env("AUDIT_TEST_KEY")
    check = store_for(clone_dir(tmp_path, "check"), remote)
    problems, records = verified_records(check, key)
    assert problems == []
    assert [r["seq"] for r in records] == list(range(100))
    by_writer = {w: [r["version"] for r in records if r["deployer"] == w] for w in ("w1", "w2")}
    assert by_writer == {w: [f"{w}.{i}" for i in range(50)] for w in ("w1", "w2")}
    assert store_ops.verify(check, Keyring.of(key)).scan.tip.checkpoints == 100
    assert retries > 0  # the writers really raced: some pushes lost and were retried


def test_two_processes_append_to_one_local_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from genai_gate.gates.audit.stores.local import LocalStore

    monkeypatch.setenv("AUDIT_TEST_KEY", KEY)
    folder = tmp_path / "audit"
    start_at = str(time.time() + 1.0)
    env = {**os.environ, "AUDIT_TEST_KEY": KEY}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(folder), "local", n, "50", start_at],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in ("w1", "w2")
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=280)
        assert worker.returncode == 0, err
    problems, records = verified_records(LocalStore(folder), SigningKey.from_env("AUDIT_TEST_KEY"))
    assert problems == []
    assert [r["seq"] for r in records] == list(range(100))
    assert sorted(p.name for p in folder.iterdir()) == [
        ".lock",
        ".state.json",
        "audit.jsonl",
        "checkpoints.jsonl",
    ]


def test_cli_records_and_verifies_on_the_git_branch(
    tmp_path: Path, remote: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from genai_gate.cli import main
    from genai_gate.results import GateResult

    repo = clone_dir(tmp_path, "work")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GENAI_GATE_AUDIT_KEY", KEY)
    public = public_pem(SigningKey.parse(KEY, "test").public).decode()
    monkeypatch.setenv("GENAI_GATE_AUDIT_PUBLIC_KEYS", public)
    monkeypatch.delenv("GENAI_GATE_CONFIG", raising=False)
    store = ["--store", "git", "--remote", str(remote), "--repo-dir", str(repo)]
    common = ["--format", "json", "--results-dir", str(tmp_path / "out")]
    for version in ("1", "2"):
        args = [
            "--event",
            "deploy",
            "--environment",
            "prod",
            "--version",
            version,
            "--sha",
            "f" * 40,
        ]
        assert main(["audit-log", "record", *args, *store, *common]) == 0
    assert main(["audit-log", "verify", *store, *common]) == 0
    result = GateResult.read(tmp_path / "out" / "audit-log.json")
    assert result.summary["records"] == 2 and "genai-audit@" in result.title
    assert int(git("rev-list", "--count", "genai-audit", cwd=remote)) == 2
