"""Local store: a folder with audit.jsonl and checkpoints.jsonl, appended in place.

An append is atomic as a unit through a journal: the new record lines, the checkpoint line and
the tip after them are first written to `.pending.json` (fsynced temp file + rename), then
appended to both files (fsynced), then the tip is saved to `.state.json` and the journal
removed. A crash before the rename leaves the old state; after it, the journal completes the
append: readers see it completed, the next writer (or `audit-log repair`) finishes it on disk.
Neither the state file nor the journal's removal is fsynced: after a power loss the journal may
come back (completing it again rewrites the same bytes) and the state may be an earlier one
(still a verified tip: the next append checks it and verifies the records after it).

`.state.json` caches the tip (size, head hash, Merkle frontier, latest checkpoint, byte
offsets), so an append checks the latest signed checkpoint, its line and the last record line
and continues without reading the log: O(1) in the size of the log. A missing or inconsistent
cache is rebuilt by one full, streaming verification. A lock file serialises writers (and lets
readers wait for a running append).
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from genai_gate.errors import InfraError
from genai_gate.gates.audit import chain
from genai_gate.gates.audit.chain import CHECKPOINTS_FILE, LOG_FILE, Problem, Tip
from genai_gate.gates.audit.keys import Keyring
from genai_gate.gates.audit.stores.interface import AuditStore, Extend, IntegrityFailure, Reading
from genai_gate.integrations.files import write_atomic

LOCK_TIMEOUT_S = 60.0
STATE_FILE = ".state.json"
JOURNAL_FILE = ".pending.json"
_TAIL_READ = 1 << 16


class LocalStore(AuditStore):
    """audit.jsonl and checkpoints.jsonl in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.log_path = self.folder / LOG_FILE
        self.checkpoints_path = self.folder / CHECKPOINTS_FILE
        self.state_path = self.folder / STATE_FILE
        self.journal_path = self.folder / JOURNAL_FILE
        self.location = str(self.log_path)
        self.full_scans = 0
        """Appends that had to verify the whole log (no usable cached tip)."""

    @contextmanager
    def reading(self) -> Iterator[Reading]:
        if not self.log_path.exists() and not self.journal_path.exists():
            yield Reading((), (), self.location, exists=False)
            return
        with self._locked(shared=True), ExitStack() as files:
            journal = self._journal()
            log = _open(files, self.log_path)
            checkpoints = _open(files, self.checkpoints_path)
            if journal is None:
                yield Reading(log, checkpoints, self.location)
                return
            yield Reading(
                _completed(log, journal["log_bytes"], journal["records"]),
                _completed(checkpoints, journal["checkpoints_bytes"], journal["checkpoint"]),
                self.location,
                notes=[
                    f"an interrupted append is completed from {self.journal_path.name} "
                    "(`genai-gate audit-log repair` writes it to the files)"
                ],
            )

    def append(self, keys: Keyring, extend: Extend) -> chain.Appended:
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._locked(shared=False):
            self._finish_journal(keys)
            tip = self._tip(keys)
            done = extend(tip)
            self._commit(tip, done)
        return done

    def repair(self, keys: Keyring) -> list[str]:
        """Bring the folder back to a verified state after a crash; what was done, in words.

        Completes an interrupted append, removes temp files, drops records that no signed
        checkpoint covers (never acknowledged: kept aside in a `.unsigned-*` file) and rebuilds
        the cached tip. Anything else that fails verification is tampering, not a crash: it is
        reported (IntegrityFailure) and left alone.
        """
        done: list[str] = []
        if not self.folder.is_dir():
            raise IntegrityFailure(self.location, [chain.missing_log(self.location)])
        with self._locked(shared=False):
            if self._finish_journal(keys):
                done.append(f"completed the interrupted append recorded in {JOURNAL_FILE}")
            for tmp in self.folder.glob(".*.tmp"):
                tmp.unlink()
                done.append(f"removed the temp file {tmp.name}")
            scan = self._full_scan(keys)
            if scan.problems and all(_left_by_a_crash(p) for p in scan.problems):
                done.append(self._drop_unsigned(scan))
                scan = self._full_scan(keys)
            if scan.problems:
                raise IntegrityFailure(self.location, scan.problems)
            write_atomic(self.state_path, json.dumps(scan.tip.to_json()))
        return done

    # -- internals -------------------------------------------------------------------------

    @contextmanager
    def _locked(self, *, shared: bool) -> Iterator[None]:
        try:
            lock = (self.folder / ".lock").open("a+b")
        except OSError:
            if shared:  # a read-only folder: nobody can be appending to it
                yield
                return
            raise
        with lock:
            mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
            deadline = time.monotonic() + LOCK_TIMEOUT_S
            while True:
                try:
                    fcntl.flock(lock.fileno(), mode | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise InfraError(
                            f"{self.folder}/.lock: another writer held the audit log lock for "
                            f"{LOCK_TIMEOUT_S:.0f} s"
                        ) from None
                    time.sleep(0.01)
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _journal(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.journal_path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise IntegrityFailure(
                self.location,
                [Problem("journal-corrupt", f"{JOURNAL_FILE} is unreadable: {exc}", JOURNAL_FILE)],
            ) from None
        if not isinstance(data, dict) or not {
            "log_bytes",
            "checkpoints_bytes",
            "records",
            "checkpoint",
            "tip",
        } <= set(data):
            raise IntegrityFailure(
                self.location,
                [Problem("journal-corrupt", f"{JOURNAL_FILE} is not a journal", JOURNAL_FILE)],
            )
        return data

    def _finish_journal(self, keys: Keyring) -> bool:
        """Complete an interrupted append (its checkpoint must verify); whether there was one."""
        journal = self._journal()
        if journal is None:
            return False
        try:
            tip = Tip.from_json(journal["tip"])
        except (KeyError, TypeError, ValueError) as exc:
            raise IntegrityFailure(
                self.location,
                [Problem("journal-corrupt", f"{JOURNAL_FILE}: bad tip: {exc}", JOURNAL_FILE)],
            ) from None
        bad = keys.problem(tip.checkpoint) if tip.checkpoint else ("journal-corrupt", "empty")
        if bad is not None:
            problem = Problem(bad[0], f"{JOURNAL_FILE}: {bad[1]}", JOURNAL_FILE)
            raise IntegrityFailure(self.location, [problem])
        self._apply(journal)
        return True

    def _commit(self, old: Tip, done: chain.Appended) -> None:
        journal = {
            "log_bytes": old.log_bytes,
            "checkpoints_bytes": old.checkpoints_bytes,
            "records": done.log_lines.decode("utf-8"),
            "checkpoint": done.checkpoint_line.decode("utf-8"),
            "tip": done.tip.to_json(),
        }
        write_atomic(self.journal_path, json.dumps(journal))
        self._apply(journal)

    def _apply(self, journal: dict[str, Any]) -> None:
        for path, offset, text in (
            (self.log_path, journal["log_bytes"], journal["records"]),
            (self.checkpoints_path, journal["checkpoints_bytes"], journal["checkpoint"]),
        ):
            _write_at(path, int(offset), text.encode("utf-8"), self.location)
        _replace(self.state_path, json.dumps(journal["tip"]))
        self.journal_path.unlink()

    def _tip(self, keys: Keyring) -> Tip:
        """The verified tip: the cached one when it holds against the files, else a full scan."""
        cached = self._cached_tip(keys)
        if cached is None:
            scan = self._full_scan(keys)
        else:
            with ExitStack() as files:
                log = _open(files, self.log_path, cached.log_bytes)
                checkpoints = _open(files, self.checkpoints_path, cached.checkpoints_bytes)
                scan = chain.scan(log, checkpoints, keys, start=cached)
        if scan.problems:
            raise IntegrityFailure(self.location, scan.problems)
        return scan.tip

    def _full_scan(self, keys: Keyring) -> chain.Scan:
        self.full_scans += 1
        with ExitStack() as files:
            return chain.scan(
                _open(files, self.log_path), _open(files, self.checkpoints_path), keys
            )

    def _cached_tip(self, keys: Keyring) -> Tip | None:
        """The cached tip when its checkpoint verifies and both files end as it says."""
        try:
            tip = Tip.from_json(json.loads(self.state_path.read_bytes()))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        last_record = _tail(self.log_path, tip.log_bytes)
        last_checkpoint = _tail(self.checkpoints_path, tip.checkpoints_bytes)
        return tip if chain.tip_holds(tip, keys, last_record, last_checkpoint) else None

    def _drop_unsigned(self, scan: chain.Scan) -> str:
        """Move the records after the latest checkpoint aside; a sentence saying so."""
        covered = scan.tip.checkpoint.size if scan.tip.checkpoint else 0
        offset = 0
        with open(self.log_path, "rb") as log:
            for _ in range(covered):
                offset += len(log.readline())
            rest = log.read()
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        aside = self.folder / f"{LOG_FILE}.unsigned-{stamp}"
        write_atomic(aside, rest)
        with open(self.log_path, "r+b") as log:
            log.truncate(offset)
            os.fsync(log.fileno())
        lines = rest.count(b"\n") + (0 if rest.endswith(b"\n") or not rest else 1)
        return (
            f"moved {lines} line(s) after the latest signed checkpoint (size {covered}), never "
            f"acknowledged, to {aside.name}"
        )


def _left_by_a_crash(problem: Problem) -> bool:
    """Records after the last checkpoint, or a half-written last record line."""
    half_written = problem.kind == "corrupt" and "half-written" in problem.message
    return problem.file == LOG_FILE and (problem.kind == "uncovered" or half_written)


def _open(files: ExitStack, path: Path, offset: int = 0) -> Iterable[bytes]:
    """Lines of `path` from byte `offset` (nothing when the file does not exist)."""
    try:
        handle: IO[bytes] = files.enter_context(path.open("rb"))
    except FileNotFoundError:
        return ()
    except OSError as exc:
        raise InfraError(f"{path}: cannot read the audit log: {exc.strerror}") from None
    handle.seek(offset)
    return handle


def _completed(lines: Iterable[bytes], limit: int, tail: str) -> Iterator[bytes]:
    """The first `limit` bytes of a file as lines, then the journal's lines."""
    read = 0
    for line in lines:
        if read >= limit:
            break
        if read + len(line) > limit:
            yield line[: limit - read]
            return
        read += len(line)
        yield line
    yield from tail.encode("utf-8").splitlines(keepends=True)


def _tail(path: Path, end: int) -> bytes | None:
    """The last line (without newline) of the first `end` bytes of `path`."""
    try:
        with open(path, "rb") as handle:
            if handle.seek(0, os.SEEK_END) < end or end == 0:
                return None
            start = max(0, end - _TAIL_READ)
            handle.seek(start)
            chunk = handle.read(end - start)
    except OSError:
        return None
    if not chunk.endswith(b"\n"):
        return None
    cut = chunk.rfind(b"\n", 0, len(chunk) - 1)
    if cut < 0 and start > 0:
        return None  # a line longer than the window: let a full scan decide
    return chunk[cut + 1 : -1]


def _write_at(path: Path, offset: int, data: bytes, location: str) -> None:
    """Replace everything after `offset` in `path` by `data`, durably."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size < offset:
            raise IntegrityFailure(
                location,
                [
                    Problem(
                        "truncated",
                        f"{path.name} is shorter ({size} bytes) than its last "
                        f"verified state ({offset} bytes): it was truncated",
                        path.name,
                    )
                ],
            )
        os.ftruncate(fd, offset)
        os.lseek(fd, offset, os.SEEK_SET)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace(path: Path, text: str) -> None:
    """Replace `path` by `text` atomically but not durably (the writer holds the lock)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
