"""The store interface every place the log can live implements (local folder, git branch)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from genai_gate.gates.audit.chain import Appended, Problem, Tip
from genai_gate.gates.audit.keys import Keyring


@dataclass
class Reading:
    """Both files of one consistent state, as line streams (newline included)."""

    log: Iterable[bytes]
    checkpoints: Iterable[bytes]
    location: str
    """Where they were read (path, or remote branch and commit), for messages."""
    exists: bool = True
    """False when there is no log at all (no folder, file or branch)."""
    notes: list[str] = field(default_factory=list)
    """Things worth saying about the state (an interrupted append completed in memory)."""


Extend = Callable[[Tip], Appended]
"""Computes what to append after a verified tip; raising aborts the append."""


class IntegrityFailure(Exception):
    """The log failed verification, so nothing was appended."""

    def __init__(self, location: str, problems: list[Problem]) -> None:
        self.location = location
        self.problems = problems
        super().__init__(f"{location}: the audit log fails verification")


class AuditStore(ABC):
    """Append-only storage for audit.jsonl and checkpoints.jsonl."""

    @abstractmethod
    def reading(self) -> AbstractContextManager[Reading]:
        """The current contents as line streams, valid inside the `with` block."""

    location: str
    """Where the log is, for messages."""

    @abstractmethod
    def append(self, keys: Keyring, extend: Extend) -> Appended:
        """Append what `extend` computes from the verified tip (checkpoints checked with
        `keys`), atomically against crashes and concurrent writers; IntegrityFailure when
        the current log does not verify."""

    def history(self) -> History:
        """What the store's own history says (a store without one: nothing)."""
        return History()


@dataclass
class History:
    """Findings from the store's history, and the checkpoint digests it published."""

    problems: list[Problem] = field(default_factory=list)
    published: dict[str, str] = field(default_factory=dict)
    """checkpoint digest -> where it was published (e.g. a commit of the audit branch)."""
    most_records: tuple[int, str] | None = None
    """The most records the history says the log held, and where it says so."""
