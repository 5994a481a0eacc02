"""Git store: the log on a branch of a remote, appended with compare-and-swap.

The branch holds the segmented layout of `segments` (records and checkpoints in segment files
of at most 1,000 lines in sub-folders of at most 1,000 entries, and `state.json`, the tip). Each
attempt fetches the branch, lists only the folders on the path to the last segments, checks the
stored tip against the last signed checkpoint and the last record (a full, streaming
verification only when the state file is missing or does not hold), builds the last segments,
the state file, a tree and a commit whose parent is the fetched tip (plumbing only: the
caller's working tree and index are never touched), and pushes it without force: reads and
writes do not grow with the log. A push that is not a fast-forward means another
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
import json
import os
import random
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

import genai_gate.gates.audit.stores.segments as segments
from genai_gate.errors import InfraError, UsageError
from genai_gate.gates.audit import chain
from genai_gate.gates.audit.chain import CHECKPOINTS_FILE, LOG_FILE, Problem
from genai_gate.gates.audit.keys import Keyring
from genai_gate.gates.audit.stores.interface import (
    AuditStore,
    Extend,
    History,
    IntegrityFailure,
    Reading,
)
from genai_gate.integrations import git

if TYPE_CHECKING:
    from genai_gate.gates.audit.settings import StoreSettings

_T = TypeVar("_T")

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
    """The log on a branch of a git remote, in the segment layout of `segments`."""

    def __init__(self, settings: StoreSettings, root: Path) -> None:
        self.settings = settings
        self.repo = (root / settings.repo).resolve()
        self.branch = settings.branch
        self.remote = settings.remote
        self.tracking = f"refs/genai-gate/audit/{settings.branch}"
        self.location = f"{self.remote} {self.branch}"
        self.attempts = 0
        """Attempts used by the last append (1 = no race, no network error)."""
        self.full_scans = 0
        """Append attempts that had to verify the whole log (no stored tip that holds)."""
        if not (self.repo / ".git").exists() and not (self.repo / "HEAD").exists():
            raise UsageError(f"{self.repo}: audit.store.repo is not a git repository")

    @contextmanager
    def reading(self) -> Iterator[Reading]:
        tip = self._retrying(self._fetch)
        if tip is None:
            yield Reading((), (), f"{self.location} (no such branch)", exists=False)
            return
        files = self._files(tip)
        log = [files[p] for p in segments.in_order(files, LOG_FILE)]
        checkpoints = [files[p] for p in segments.in_order(files, CHECKPOINTS_FILE)]
        with ExitStack() as streams:
            yield Reading(
                streams.enter_context(self._stream(log)),
                streams.enter_context(self._stream(checkpoints)),
                f"{self.location}@{tip[:12]}",
                exists=bool(log),
            )

    def append(self, keys: Keyring, extend: Extend) -> chain.Appended:
        s = self.settings
        deadline = time.monotonic() + s.deadline_s
        races = drops = 0
        unsure: tuple[str, chain.Appended] | None = None
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
                files = self._tail_listing(tip) if tip else {}
                state, tails = self._tail_files(files)
                old = self._verified_tip(tip, state, tails, keys) if tip else chain.Tip()
                done = extend(old)
                commit = self._commit(tip, tails, old, done)
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
        """Along the branch's first-parent history no file of the log may shrink or disappear
        (the state file excepted); each commit's checkpoint trailer is a digest the tip must
        still contain."""
        tip = self._retrying(self._fetch)
        if tip is None:
            return History()
        found = History()
        for commit, name, old, new in self._shrinking_changes(tip):
            found.problems.append(
                Problem(
                    "history-shrunk",
                    f"commit {commit[:12]} of {self.branch} shrinks {name} from {old} to {new} "
                    "bytes: records or checkpoints were removed (a rollback of the log)",
                    name,
                )
            )
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

    def _shrinking_changes(self, tip: str) -> Iterator[tuple[str, str, int, int]]:
        """(commit, path, old size, new size) of each change that made a log file smaller."""
        raw = self._git(
            "log", "--first-parent", "--reverse", "--root", "--raw", "-r", "--no-renames",
            "--no-abbrev", "--format=%x1e%H", tip,
        ).decode()  # fmt: skip
        changes: list[tuple[str, str, str, str]] = []
        for entry in raw.split("\x1e")[1:]:
            commit, *lines = entry.strip().splitlines()
            for line in sorted(lines, key=_records_first):
                meta, _, path = line.partition("\t")
                parts = meta.split()
                if len(parts) == 5 and path != segments.STATE_FILE:
                    changes.append((commit, path, parts[2], parts[3]))
        wanted = sorted({oid for _, _, old, new in changes for oid in (old, new)})
        sizes = {}
        if wanted:
            query = "".join(f"{oid}\n" for oid in wanted).encode()
            for line in self._git("cat-file", "--batch-check", data=query).decode().splitlines():
                oid, kind, *size = line.split()
                sizes[oid] = int(size[0]) if kind == "blob" and size else 0
        for commit, path, old, new in changes:
            before, after = sizes.get(old, 0), sizes.get(new, 0)
            if after < before:
                yield commit, path, before, after

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
        """`git ARGS` in the store's repository through the one runner; a timeout is a network
        error (retried); a refusal is InfraError, or `_GitFailed` for the caller to classify
        when `check` is False."""
        try:
            return git.run(self.repo, *args, input_bytes=data, env=self._env())
        except git.GitTimedOut as exc:
            raise _Network(str(exc)) from None
        except git.GitRefused as exc:
            message = exc.stderr + exc.stdout
            if check:
                raise InfraError(f"git {args[0]} failed: {message}") from None
            raise _GitFailed(message) from None

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

    def _files(self, tip: str) -> dict[str, str]:
        """path -> blob id of every file at `tip`."""
        out = self._git("ls-tree", "-r", "-z", "--full-tree", tip).decode()
        files = {}
        for entry in out.split("\0"):
            meta, _, path = entry.partition("\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == "blob":
                files[path] = parts[2]
        return files

    def _tail_listing(self, tip: str) -> dict[str, str]:
        """path -> blob id of the root files, of the files directly in each segment folder
        (earlier layout) and of the last sub-folder at each depth: every path the last segments
        can be at, listed one depth at a time (a few `ls-tree` of bounded folders, whatever the
        size of the log)."""
        files: dict[str, str] = {}
        roots = [segments.STATE_FILE, *segments.FOLDERS]
        folders = [f"{folder}/" for folder in segments.FOLDERS.values()]
        while folders:
            out = self._git("ls-tree", "-z", "--full-tree", tip, "--", *roots, *folders)
            roots = []
            deepest: dict[str, str] = {}  # folder -> its last sub-folder
            for entry in out.decode().split("\0"):
                meta, _, path = entry.partition("\t")
                parts = meta.split()
                if len(parts) != 3:
                    continue
                if parts[1] == "blob":
                    files[path] = parts[2]
                elif parts[1] == "tree":
                    parent = path.rsplit("/", 1)[0]
                    deepest[parent] = max(deepest.get(parent, path), path)
            folders = [f"{path}/" for path in deepest.values()]
        return files

    def _tail_files(
        self, files: dict[str, str]
    ) -> tuple[bytes | None, dict[str, tuple[str, int, bytes] | None]]:
        """The state file and the last segment of each file (path, index of its first line and
        content), read in one `git cat-file --batch`."""
        last = {name: segments.last_segment(files, name) for name in segments.FOLDERS}
        paths = [
            p for p in [segments.STATE_FILE] + [t[0] for t in last.values() if t] if p in files
        ]
        blobs = dict(zip(paths, self._read_blobs([files[p] for p in paths]), strict=True))
        tails = {name: None if t is None else (*t, blobs[t[0]]) for name, t in last.items()}
        return blobs.get(segments.STATE_FILE), tails

    def _read_blobs(self, oids: list[str]) -> list[bytes]:
        if not oids:
            return []
        out = self._git("cat-file", "--batch", data="".join(f"{o}\n" for o in oids).encode())
        blobs, at = [], 0
        for oid in oids:
            end = out.index(b"\n", at)
            header = out[at:end].split()
            if len(header) != 3 or header[1] != b"blob":
                raise InfraError(f"git cat-file: cannot read blob {oid} of the audit branch")
            size = int(header[2])
            blobs.append(out[end + 1 : end + 1 + size])
            at = end + 2 + size
        return blobs

    def _verified_tip(
        self,
        tip: str,
        state: bytes | None,
        tails: dict[str, tuple[str, int, bytes] | None],
        keys: Keyring,
    ) -> chain.Tip:
        """The stored tip when it holds against the last checkpoint and the last record, else
        the tip of a full, streaming verification (IntegrityFailure when the log fails it)."""
        if state is not None and all(tails.values()):
            try:
                stored = chain.Tip.from_json(json.loads(state))
            except (ValueError, KeyError, TypeError):
                stored = None
            last_record, last_checkpoint = (_last_line(t[2]) for t in tails.values() if t)
            if stored is not None and chain.tip_holds(stored, keys, last_record, last_checkpoint):
                return stored
        self.full_scans += 1
        files = self._files(tip)
        log = [files[p] for p in segments.in_order(files, LOG_FILE)]
        checkpoints = [files[p] for p in segments.in_order(files, CHECKPOINTS_FILE)]
        with self._stream(log) as records, self._stream(checkpoints) as signed:
            scan = chain.scan(records, signed, keys)
        if scan.problems:
            raise IntegrityFailure(f"{self.location}@{tip[:12]}", scan.problems)
        return scan.tip

    @contextmanager
    def _stream(self, blobs: list[str]) -> Iterator[Iterator[bytes]]:
        """The lines of these blobs one after the other, read from one `git cat-file --batch`
        as they come (constant memory)."""
        if not blobs:
            yield iter(())
            return
        proc = subprocess.Popen(
            ["git", "-C", str(self.repo), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=self._env(),
        )
        assert proc.stdin is not None and proc.stdout is not None
        try:
            yield _batch_lines(proc.stdin, proc.stdout, blobs)
        finally:
            proc.stdin.close()
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
        self,
        tip: str | None,
        tails: dict[str, tuple[str, int, bytes] | None],
        old: chain.Tip,
        done: chain.Appended,
    ) -> str:
        """A commit on `tip` replacing the last segments and the state file, written by one
        `git fast-import` (blobs, trees and commit; the rest of the tree is taken as it is)."""
        written = {segments.STATE_FILE: json.dumps(done.tip.to_json(), sort_keys=True).encode()}
        for legacy, lines, total in (
            (LOG_FILE, done.log_lines, old.size),
            (CHECKPOINTS_FILE, done.checkpoint_line, old.checkpoints),
        ):
            folder = segments.FOLDERS[legacy]
            new = lines.splitlines(keepends=True)
            written.update(segments.place(folder, tails[legacy], total, new))
        message = (
            f"audit-log: {done.tip.size} records\n\n{TRAILER} {done.checkpoint.digest()}\n"
        ).encode()
        stream = [
            b"blob\nmark :%d\ndata %d\n%s\n" % (mark, len(data), data)
            for mark, data in enumerate(written.values(), 1)
        ]
        who = f"{_IDENTITY['GIT_COMMITTER_NAME']} <{_IDENTITY['GIT_COMMITTER_EMAIL']}>"
        commit = len(written) + 1  # the mark of the commit, after those of the blobs
        head = f"commit {self.tracking}-new\nmark :{commit}\ncommitter {who} now\n"
        stream.append(head.encode() + b"data %d\n%s\n" % (len(message), message))
        if tip:
            stream.append(f"from {tip}\n".encode())
        stream += [f"M 100644 :{m} {path}\n".encode() for m, path in enumerate(written, 1)]
        stream.append(b"\nget-mark :%d\n" % commit)
        out = self._git(
            "fast-import", "--quiet", "--force", "--date-format=now", data=b"".join(stream)
        )
        return out.decode().strip()

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


def _records_first(raw_line: str) -> bool:
    """Sort key of a `--raw` line: record files before checkpoint files."""
    path = raw_line.partition("\t")[2]
    return path == CHECKPOINTS_FILE or path.startswith(segments.CHECKPOINTS_DIR + "/")


def _last_line(data: bytes) -> bytes | None:
    """The last line of a segment without its newline (None when it does not end in one)."""
    if not data.endswith(b"\n"):
        return None
    return data[data.rfind(b"\n", 0, len(data) - 1) + 1 : -1]


def _batch_lines(stdin: IO[bytes], stdout: IO[bytes], blobs: list[str]) -> Iterator[bytes]:
    """Lines of each blob, asked of `git cat-file --batch` one at a time."""
    for oid in blobs:
        stdin.write(f"{oid}\n".encode())
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise InfraError(f"git cat-file: cannot read blob {oid} of the audit branch")
        left = int(header[2])
        while left:
            line = stdout.readline(left)
            if not line:
                raise InfraError(f"git cat-file: blob {oid} ended early")
            left -= len(line)
            yield line
        stdout.read(1)  # the newline after each object


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
