"""Git store: the log on a branch of a remote, appended with compare-and-swap.

Each attempt fetches the branch, builds the new files as blobs, a tree and a commit whose parent
is the fetched tip (plumbing only: the caller's working tree and index are never touched), and
pushes it without force. A push that is not a fast-forward means another writer won the race:
wait a random delay (full jitter, doubling) and start again from a fresh fetch. Nothing relies
on workflow `concurrency:` groups, which cancel pending runs.
"""

from __future__ import annotations

import base64
import os
import random
import subprocess
import time
from pathlib import Path

from genai_gate.errors import InfraError, UsageError
from genai_gate.gates.audit.ledger import CHECKPOINTS_FILE, LOG_FILE
from genai_gate.gates.audit.settings import StoreSettings
from genai_gate.gates.audit.stores import AuditStore, Change, Snapshot

GIT_TIMEOUT_S = 120.0
_RACE_MARKERS = ("non-fast-forward", "fetch first", "rejected", "cannot lock ref", "stale info")
_IDENTITY = {
    "GIT_AUTHOR_NAME": "genai-gate audit-log",
    "GIT_AUTHOR_EMAIL": "audit-log@genai-gate.invalid",
    "GIT_COMMITTER_NAME": "genai-gate audit-log",
    "GIT_COMMITTER_EMAIL": "audit-log@genai-gate.invalid",
}


class PushRejected(Exception):
    """The remote branch moved since the fetch (lost the compare-and-swap)."""


class GitStore(AuditStore):
    """audit.jsonl and checkpoints.jsonl at the root of a branch on a git remote."""

    def __init__(self, settings: StoreSettings, root: Path) -> None:
        self.settings = settings
        self.repo = (root / settings.repo).resolve()
        self.branch = settings.branch
        self.remote = settings.remote
        self.tracking = f"refs/genai-gate/audit/{settings.branch}"
        self.attempts = 0
        """Attempts used by the last update (1 = no race)."""
        if not (self.repo / ".git").exists() and not (self.repo / "HEAD").exists():
            raise UsageError(f"{self.repo}: audit.store.repo is not a git repository")

    def read(self) -> Snapshot:
        return self._snapshot(self._fetch())

    def update(self, change: Change) -> Snapshot:
        s = self.settings
        for attempt in range(1, s.max_attempts + 1):
            self.attempts = attempt
            tip = self._fetch()
            current = self._snapshot(tip)
            log, checkpoints = change(current)
            commit = self._commit(tip, log, checkpoints)
            try:
                self._push(commit)
            except PushRejected:
                delay = min(s.backoff_max_s, s.backoff_base_s * 2 ** (attempt - 1))
                time.sleep(random.uniform(0, delay))
                continue
            return Snapshot(log, checkpoints, f"{self.remote} {self.branch}@{commit[:12]}")
        raise InfraError(
            f"audit log: {s.max_attempts} attempts to push {self.branch} to {self.remote} lost "
            "the race to other writers; raise audit.store.max_attempts or retry"
        )

    def _git(self, *args: str, data: bytes | None = None, check: bool = True) -> bytes:
        env = {**os.environ, **_IDENTITY, "GIT_TERMINAL_PROMPT": "0", **_token_config()}
        try:
            proc = subprocess.run(
                ["git", "-C", str(self.repo), *args],
                input=data,
                capture_output=True,
                env=env,
                timeout=GIT_TIMEOUT_S,
                check=False,
            )
        except FileNotFoundError:
            raise InfraError("git is not installed (needed by audit.store.kind: git)") from None
        except subprocess.TimeoutExpired:
            raise InfraError(f"git {args[0]} timed out after {GIT_TIMEOUT_S:.0f} s") from None
        if check and proc.returncode != 0:
            raise InfraError(f"git {args[0]} failed: {proc.stderr.decode(errors='replace')}")
        if not check and proc.returncode != 0:
            raise _GitFailed(proc.stderr.decode(errors="replace") + proc.stdout.decode())
        return proc.stdout

    def _fetch(self) -> str | None:
        """Fetch the branch into a private ref; its commit, or None when it does not exist."""
        spec = f"+refs/heads/{self.branch}:{self.tracking}"
        try:
            self._git("fetch", "--quiet", "--no-tags", self.remote, spec, check=False)
        except _GitFailed as exc:
            if "couldn't find remote ref" not in str(exc):
                raise InfraError(f"git fetch {self.remote} {self.branch} failed: {exc}") from None
            return None
        return self._git("rev-parse", "--verify", self.tracking).decode().strip()

    def _snapshot(self, tip: str | None) -> Snapshot:
        if tip is None:
            return Snapshot(b"", b"", f"{self.remote} {self.branch} (new)")
        return Snapshot(
            self._blob(tip, LOG_FILE),
            self._blob(tip, CHECKPOINTS_FILE),
            f"{self.remote} {self.branch}@{tip[:12]}",
        )

    def _blob(self, tip: str, name: str) -> bytes:
        try:
            return self._git("cat-file", "blob", f"{tip}:{name}", check=False)
        except _GitFailed:
            return b""

    def _commit(self, tip: str | None, log: bytes, checkpoints: bytes) -> str:
        blobs = {
            name: self._git("hash-object", "-w", "--stdin", data=data).decode().strip()
            for name, data in ((LOG_FILE, log), (CHECKPOINTS_FILE, checkpoints))
        }
        listing = "".join(f"100644 blob {oid}\t{name}\n" for name, oid in sorted(blobs.items()))
        tree = self._git("mktree", data=listing.encode()).decode().strip()
        size = log.count(b"\n")
        parents = ["-p", tip] if tip else []
        message = f"audit-log: {size} records".encode()
        return self._git("commit-tree", tree, *parents, data=message).decode().strip()

    def _push(self, commit: str) -> None:
        try:
            self._git(
                "push",
                "--porcelain",
                self.remote,
                f"{commit}:refs/heads/{self.branch}",
                check=False,
            )
        except _GitFailed as exc:
            if any(marker in str(exc) for marker in _RACE_MARKERS):
                raise PushRejected(str(exc)) from None
            raise InfraError(f"git push {self.remote} {self.branch} failed: {exc}") from None


class _GitFailed(Exception):
    """A git command exited non-zero (its stderr and stdout as the message)."""


def _token_config() -> dict[str, str]:
    """Basic auth for https remotes from $GITHUB_TOKEN, passed via env (never in argv)."""
    token = os.environ.get("GENAI_GATE_GIT_TOKEN") or os.environ.get("GITHUB_TOKEN")
    if not token:
        return {}
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "http.https://github.com/.extraheader",
        "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}",
    }
