"""Git store: the log on a branch of a remote, appended with compare-and-swap.

Each attempt fetches the branch, verifies it, builds the new files as blobs, a tree and a
commit whose parent is the fetched tip (plumbing only: the caller's working tree and index are
never touched), and pushes it without force. A push that is not a fast-forward means another
writer won the race: wait a random delay (full jitter, doubling) and start again from a fresh
fetch, until `max_attempts` or `deadline_s`. A dropped connection is retried too (up to
`network_attempts` in a row); when it hid a push that landed, the next fetch finds the commit
and the append is not repeated. A rejection that retrying cannot change (protected branch, hook,
permissions) ends at once with its own message. Nothing relies on workflow `concurrency:`
groups, which cancel pending runs.

Each commit says which checkpoint it added (`Audit-Checkpoint:` trailer), so `history()` can
check that the branch only ever grew.
"""

from __future__ import annotations

import base64
import os
import random
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TypeVar

from genai_gate.errors import InfraError, UsageError
from genai_gate.gates.audit import ledger
from genai_gate.gates.audit.keys import Keyring
from genai_gate.gates.audit.ledger import CHECKPOINTS_FILE, LOG_FILE, Problem
from genai_gate.gates.audit.settings import StoreSettings
from genai_gate.gates.audit.stores.interface import (
    AuditStore,
    Extend,
    History,
    IntegrityFailure,
    Reading,
)

_T = TypeVar("_T")

GIT_TIMEOUT_S = 120.0
TRAILER = "Audit-Checkpoint:"
_RACE_MARKERS = (
    "non-fast-forward",
    "fetch first",
    "cannot lock ref",
    "stale info",
    "failed to update ref",
    "incorrect old value",
)
_NETWORK_MARKERS = (
    "could not resolve host",
    "connection refused",
    "connection reset",
    "connection timed out",
    "timed out",
    "early eof",
    "the remote end hung up",
    "rpc failed",
    "failed to connect",
    "broken pipe",
    "unexpected disconnect",
    "temporary failure",
    "returned error: 5",
    "internal server error",
    "service unavailable",
    "bad gateway",
)
_IDENTITY = {
    "GIT_AUTHOR_NAME": "genai-gate audit-log",
    "GIT_AUTHOR_EMAIL": "audit-log@genai-gate.invalid",
    "GIT_COMMITTER_NAME": "genai-gate audit-log",
    "GIT_COMMITTER_EMAIL": "audit-log@genai-gate.invalid",
}


class _Race(Exception):
    """The remote branch moved since the fetch (lost the compare-and-swap)."""


class _Network(Exception):
    """The remote could not be reached, or the connection dropped."""


def classify(stderr: str) -> type[Exception] | None:
    """_Race, _Network, or None (a permanent failure) for a failed fetch or push."""
    text = stderr.lower()
    if any(marker in text for marker in _RACE_MARKERS):
        return _Race
    if any(marker in text for marker in _NETWORK_MARKERS):
        return _Network
    return None


class GitStore(AuditStore):
    """audit.jsonl and checkpoints.jsonl at the root of a branch on a git remote."""

    def __init__(self, settings: StoreSettings, root: Path) -> None:
        self.settings = settings
        self.repo = (root / settings.repo).resolve()
        self.branch = settings.branch
        self.remote = settings.remote
        self.tracking = f"refs/genai-gate/audit/{settings.branch}"
        self.location = f"{self.remote} {self.branch}"
        self.attempts = 0
        """Attempts used by the last append (1 = no race, no network error)."""
        if not (self.repo / ".git").exists() and not (self.repo / "HEAD").exists():
            raise UsageError(f"{self.repo}: audit.store.repo is not a git repository")

    @contextmanager
    def reading(self) -> Iterator[Reading]:
        tip = self._retrying(self._fetch)
        if tip is None:
            yield Reading((), (), f"{self.location} (no such branch)", exists=False)
            return
        with ExitStack() as streams:
            yield Reading(
                streams.enter_context(self._stream(tip, LOG_FILE)),
                streams.enter_context(self._stream(tip, CHECKPOINTS_FILE)),
                f"{self.location}@{tip[:12]}",
                exists=self._has(tip, LOG_FILE),
            )

    def append(self, keys: Keyring, extend: Extend) -> ledger.Appended:
        s = self.settings
        deadline = time.monotonic() + s.deadline_s
        races = drops = 0
        unsure: tuple[str, ledger.Appended] | None = None
        """A pushed commit whose acknowledgement was lost."""
        attempt = 0
        while True:
            attempt += 1
            self.attempts = attempt
            try:
                tip = self._fetch()
                if unsure is not None and tip is not None and self._contains(tip, unsure[0]):
                    return unsure[1]
                unsure = None
                log, checkpoints = self._blob(tip, LOG_FILE), self._blob(tip, CHECKPOINTS_FILE)
                scan = ledger.scan_bytes(log, checkpoints, keys)
                if scan.problems:
                    where = f"{self.location}@{tip[:12]}" if tip else self.location
                    raise IntegrityFailure(where, scan.problems)
                done = extend(scan.tip)
                commit = self._commit(
                    tip, log + done.log_lines, checkpoints + done.checkpoint_line, done
                )
                try:
                    self._push(commit)
                except _Network:
                    unsure = (commit, done)
                    raise
                return done
            except _Race:
                races += 1
                drops = 0  # the remote answered: only consecutive drops count
                if races >= s.max_attempts or time.monotonic() > deadline:
                    raise InfraError(
                        f"audit log: {races} attempts to push {self.branch} to {self.remote} "
                        f"lost the race to other writers in {attempt} attempts; raise "
                        "audit.store.max_attempts or deadline_s, or retry"
                    ) from None
            except _Network as exc:
                drops += 1
                if drops > s.network_attempts or time.monotonic() > deadline:
                    raise InfraError(
                        f"audit log: {self.remote} unreachable after {drops} attempts: {exc}"
                    ) from None
            delay = min(s.backoff_max_s, s.backoff_base_s * 2 ** min(attempt - 1, 20))
            time.sleep(random.uniform(0, delay))

    def history(self) -> History:
        """Sizes of both files along the branch's first-parent history must never shrink;
        each commit's checkpoint trailer is a digest the tip must still contain."""
        tip = self._retrying(self._fetch)
        if tip is None:
            return History()
        commits = self._git("rev-list", "--first-parent", "--reverse", tip).decode().split()
        query = "".join(f"{c}:{name}\n" for c in commits for name in (LOG_FILE, CHECKPOINTS_FILE))
        out = self._git("cat-file", "--batch-check", data=query.encode()).decode().splitlines()
        found = History()
        previous = {LOG_FILE: 0, CHECKPOINTS_FILE: 0}
        for index, commit in enumerate(commits):
            for offset, name in enumerate((LOG_FILE, CHECKPOINTS_FILE)):
                parts = out[2 * index + offset].split()
                size = int(parts[2]) if len(parts) == 3 and parts[1] == "blob" else 0
                if size < previous[name]:
                    found.problems.append(
                        Problem(
                            "history-shrunk",
                            f"commit {commit[:12]} of {self.branch} shrinks {name} from "
                            f"{previous[name]} to {size} bytes: records or checkpoints were "
                            "removed (a rollback of the log)",
                            name,
                        )
                    )
                previous[name] = size
        messages = self._git("log", "--first-parent", "--format=%H %B%x1e", tip).decode()
        for entry in messages.split("\x1e"):
            sha, _, body = entry.strip().partition(" ")
            held = _records_in(body)
            if held is not None and (found.most_records is None or held > found.most_records[0]):
                found.most_records = (held, f"commit {sha[:12]}")
            for line in body.splitlines():
                if line.startswith(TRAILER):
                    found.published[line[len(TRAILER) :].strip()] = f"commit {sha[:12]}"
        return found

    # -- git plumbing --------------------------------------------------------------------

    def _retrying(self, call: Callable[[], _T]) -> _T:
        """`call()` with network errors retried (reads)."""
        for attempt in range(1, self.settings.network_attempts + 2):
            try:
                return call()
            except _Network as exc:
                if attempt > self.settings.network_attempts:
                    raise InfraError(
                        f"audit log: {self.remote} unreachable after {attempt} attempts: {exc}"
                    ) from None
                time.sleep(random.uniform(0, min(2.0, 0.1 * 2**attempt)))
        raise AssertionError("unreachable")

    def _git(self, *args: str, data: bytes | None = None, check: bool = True) -> bytes:
        try:
            proc = subprocess.run(
                ["git", "-C", str(self.repo), *args],
                input=data,
                capture_output=True,
                env=self._env(),
                timeout=GIT_TIMEOUT_S,
                check=False,
            )
        except FileNotFoundError:
            raise InfraError("git is not installed (needed by audit.store.kind: git)") from None
        except subprocess.TimeoutExpired:
            raise _Network(f"git {args[0]} timed out after {GIT_TIMEOUT_S:.0f} s") from None
        if proc.returncode != 0:
            message = proc.stderr.decode(errors="replace") + proc.stdout.decode(errors="replace")
            if check:
                raise InfraError(f"git {args[0]} failed: {message}")
            raise _GitFailed(message)
        return proc.stdout

    def _env(self) -> dict[str, str]:
        return {**os.environ, **_IDENTITY, "GIT_TERMINAL_PROMPT": "0", **_token_config()}

    def _fetch(self) -> str | None:
        """Fetch the branch into a private ref; its commit, or None when it does not exist."""
        spec = f"+refs/heads/{self.branch}:{self.tracking}"
        try:
            self._git("fetch", "--quiet", "--no-tags", self.remote, spec, check=False)
        except _GitFailed as exc:
            text = str(exc)
            if "couldn't find remote ref" in text:
                return None
            kind = classify(text)
            if kind is not None:
                raise kind(text.strip()) from None
            raise InfraError(f"git fetch {self.remote} {self.branch} failed: {text}") from None
        return self._git("rev-parse", "--verify", self.tracking).decode().strip()

    def _has(self, tip: str, name: str) -> bool:
        try:
            self._git("cat-file", "-e", f"{tip}:{name}", check=False)
        except _GitFailed:
            return False
        return True

    def _blob(self, tip: str | None, name: str) -> bytes:
        if tip is None:
            return b""
        try:
            return self._git("cat-file", "blob", f"{tip}:{name}", check=False)
        except _GitFailed:
            return b""

    @contextmanager
    def _stream(self, tip: str, name: str) -> Iterator[Iterator[bytes]]:
        """The lines of a file at `tip`, read from git as they come (constant memory)."""
        if not self._has(tip, name):
            yield iter(())
            return
        proc = subprocess.Popen(
            ["git", "-C", str(self.repo), "cat-file", "blob", f"{tip}:{name}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=self._env(),
        )
        assert proc.stdout is not None
        try:
            yield iter(proc.stdout)
        finally:
            proc.stdout.close()
            proc.kill()
            proc.wait()

    def _contains(self, tip: str, commit: str) -> bool:
        try:
            self._git("merge-base", "--is-ancestor", commit, tip, check=False)
        except _GitFailed:
            return False
        return True

    def _commit(
        self, tip: str | None, log: bytes, checkpoints: bytes, done: ledger.Appended
    ) -> str:
        blobs = {
            name: self._git("hash-object", "-w", "--stdin", data=data).decode().strip()
            for name, data in ((LOG_FILE, log), (CHECKPOINTS_FILE, checkpoints))
        }
        listing = "".join(f"100644 blob {oid}\t{name}\n" for name, oid in sorted(blobs.items()))
        tree = self._git("mktree", data=listing.encode()).decode().strip()
        parents = ["-p", tip] if tip else []
        message = (
            f"audit-log: {done.tip.size} records\n\n{TRAILER} {done.checkpoint.digest()}\n"
        ).encode()
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
            text = str(exc)
            kind = classify(text)
            if kind is not None:
                raise kind(text.strip()) from None
            raise InfraError(
                f"git push {self.remote} {self.branch} was rejected, and retrying cannot change "
                f"that (protected branch, hook or permissions?): {text.strip()}"
            ) from None


def _records_in(message: str) -> int | None:
    """N of an `audit-log: N records` subject (what this store writes), else None."""
    words = message.split("\n", 1)[0].split()
    if len(words) == 3 and words[0] == "audit-log:" and words[2] == "records":
        return int(words[1]) if words[1].isdigit() else None
    return None


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
