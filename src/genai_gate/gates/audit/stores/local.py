"""Local store: a folder with audit.jsonl and checkpoints.jsonl, written by temp file + rename.

A lock file serialises writers on this machine; every write goes to a temp file in the same
folder, is fsynced and renamed over the old file, so a reader never sees a half-written log.
"""

from __future__ import annotations

import fcntl
import time
from pathlib import Path

from genai_gate.errors import InfraError
from genai_gate.gates.audit.ledger import CHECKPOINTS_FILE, LOG_FILE
from genai_gate.gates.audit.stores import AuditStore, Change, Snapshot
from genai_gate.results import write_atomic

LOCK_TIMEOUT_S = 60.0


class LocalStore(AuditStore):
    """audit.jsonl and checkpoints.jsonl in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.log_path = self.folder / LOG_FILE
        self.checkpoints_path = self.folder / CHECKPOINTS_FILE

    def read(self) -> Snapshot:
        return Snapshot(
            _read(self.log_path), _read(self.checkpoints_path), str(self.folder / LOG_FILE)
        )

    def update(self, change: Change) -> Snapshot:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".lock", "a+b") as lock:
            _lock(lock.fileno(), self.folder)
            try:
                log, checkpoints = change(self.read())
                # Log first: a crash in between leaves records without a checkpoint, which
                # `verify` reports as uncovered rather than as a truncation.
                write_atomic(self.log_path, log)
                write_atomic(self.checkpoints_path, checkpoints)
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
        return Snapshot(log, checkpoints, str(self.log_path))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""
    except OSError as exc:
        raise InfraError(f"{path}: cannot read the audit log: {exc.strerror}") from None


def _lock(fd: int, folder: Path) -> None:
    deadline = time.monotonic() + LOCK_TIMEOUT_S
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise InfraError(
                    f"{folder}/.lock: another writer held the audit log lock for "
                    f"{LOCK_TIMEOUT_S:.0f} s"
                ) from None
            time.sleep(0.01)
