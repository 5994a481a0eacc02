"""Where the log lives: the store interface and `open_store` from the settings."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from genai_gate.gates.audit.settings import StoreSettings


@dataclass(frozen=True)
class Snapshot:
    """The bytes of both files at one moment."""

    log: bytes
    checkpoints: bytes
    location: str
    """Where they were read (path, or remote branch and commit), for messages."""


Change = Callable[[Snapshot], tuple[bytes, bytes]]
"""Computes the new (log, checkpoints) from the current snapshot; raising aborts the update."""


class AuditStore(ABC):
    """Append-only storage for audit.jsonl and checkpoints.jsonl."""

    @abstractmethod
    def read(self) -> Snapshot:
        """The current contents (empty bytes when the log does not exist yet)."""

    @abstractmethod
    def update(self, change: Change) -> Snapshot:
        """Apply `change` atomically against concurrent writers; return what was written."""


def open_store(settings: StoreSettings, root: Path) -> AuditStore:
    """The store described by `settings`, with relative paths resolved against `root`."""
    if settings.kind == "git":
        from genai_gate.gates.audit.stores.git import GitStore

        return GitStore(settings, root)
    from genai_gate.gates.audit.stores.local import LocalStore

    return LocalStore(root / settings.path)
