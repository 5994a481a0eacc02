"""Git writers under contention and faults: 100 concurrent appends against a real bare
repository, through a git that injects push rejections and dropped connections; a permanent
rejection ends at once with its own message."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from genai_gate.errors import InfraError
from genai_gate.gates.audit import store_ops
from genai_gate.gates.audit.keys import Keyring, SigningKey
from genai_gate.gates.audit.settings import StoreSettings
from genai_gate.gates.audit.stores.git import GitStore

KEY = SigningKey.parse(hashlib.sha256(b"writers").hexdigest(), "test")
FAULTY_GIT = """#!/bin/bash
# Real git, except that a fetch or push fails now and then the way a network or a race does:
# 5% of fetches and 10% of pushes lose the connection (half of those after the push landed), 20%
# of pushes lose the race. A network error on ~15% of attempts makes the 9 in a row that exhaust
# the store's network budget (8 retries) a 1-in-10^7 event per attempt: rare enough across the
# ~5,000 attempts of 100 contending writers that the test fails only for a real loss.
op=""
for arg in "$@"; do case "$arg" in push|fetch) op=$arg; break;; esac; done
r=$((RANDOM % 100))
reset="fatal: unable to access 'https://example.invalid/': Connection reset by peer"
if [ "$op" = fetch ] && [ $r -lt 5 ]; then
  echo "$reset" >&2; exit 128
fi
if [ "$op" = push ]; then
  if [ $r -lt 20 ]; then
    echo " ! [rejected]        HEAD -> genai-audit (fetch first)" >&2
    echo "error: failed to push some refs" >&2; exit 1
  fi
  if [ $r -lt 25 ]; then  # the push lands, the acknowledgement is lost
    "$REAL_GIT" "$@" >/dev/null 2>&1
    echo "fatal: the remote end hung up unexpectedly" >&2; exit 128
  fi
  if [ $r -lt 30 ]; then
    echo "$reset" >&2; exit 128
  fi
fi
exec "$REAL_GIT" "$@"
"""


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def draft(name: str) -> dict:
    return {
        "timestamp": "2026-11-27T00:00:00Z",
        "event": "deploy",
        "deployment_id": name,
        "environment": "production",
        "version": name,
        "git_sha": "c" * 40,
        "deployer": name,
        "manifest": {"code_sha": "c" * 40},
        "success": True,
    }


def store_at(tmp_path: Path, name: str, remote: Path) -> GitStore:
    repo = tmp_path / name
    repo.mkdir()
    git("init", "-q", cwd=repo)
    return GitStore(StoreSettings(kind="git", remote=str(remote), repo=str(repo)), Path("/"))


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    bare = tmp_path / "remote.git"
    git("init", "--bare", "-q", str(bare), cwd=tmp_path)
    return bare


@pytest.mark.slow  # 200-330 s on 2 shared cores: its time follows the machine's load
@pytest.mark.timeout(900)
def test_100_concurrent_writers_all_land_through_rejections_and_drops(
    tmp_path: Path, remote: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = shutil.which("git")
    assert real
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "git").write_text(FAULTY_GIT)
    (bin_dir / "git").chmod(0o755)
    stores = [store_at(tmp_path, f"w{i}", remote) for i in range(100)]
    monkeypatch.setenv("REAL_GIT", real)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    errors: list[BaseException] = []
    start = threading.Barrier(100)

    def write(i: int) -> None:
        start.wait()
        try:
            store_ops.append(stores[i], [draft(f"w{i}")], KEY)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    monkeypatch.setenv("PATH", os.environ["PATH"].split(os.pathsep, 1)[1])
    assert errors == []
    records: list[dict] = []
    check = store_at(tmp_path, "check", remote)
    verified = store_ops.verify(check, Keyring.of(KEY), visit=records.append)
    assert verified.scan.problems == []
    assert sorted(r["version"] for r in records) == sorted(f"w{i}" for i in range(100))
    assert [r["seq"] for r in records] == list(range(100))  # each exactly once
    assert sum(s.attempts - 1 for s in stores) > 100  # they did race and fail, and retried
    assert check.history().problems == []


def test_a_permanent_rejection_is_reported_at_once(tmp_path: Path, remote: Path) -> None:
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'GH006: Protected branch update failed' >&2\nexit 1\n")
    hook.chmod(0o755)
    store = store_at(tmp_path, "w", remote)
    with pytest.raises(InfraError) as info:
        store_ops.append(store, [draft("w")], KEY)
    assert store.attempts == 1
    message = str(info.value)
    assert "was rejected, and retrying cannot change that" in message
    assert "GH006: Protected branch update failed" in message


def test_an_unreachable_remote_is_reported_after_the_network_budget(tmp_path: Path) -> None:
    repo = tmp_path / "w"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    settings = StoreSettings(
        kind="git", remote="http://127.0.0.1:9/none.git", repo=str(repo), network_attempts=2,
        backoff_base_s=0.0,
    )  # fmt: skip
    store = GitStore(settings, Path("/"))
    with pytest.raises(InfraError, match="unreachable after 3 attempts"):
        store_ops.append(store, [draft("w")], KEY)
