"""Operations on a store: verified read, append, inclusion proof."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from genai_gate.gates.audit import ledger, merkle
from genai_gate.gates.audit.keys import Keyring, SigningKey
from genai_gate.gates.audit.stores import AuditStore, Snapshot

PROOF_FORMAT = "genai-gate-audit-inclusion-proof/1"


class IntegrityFailure(Exception):
    """The log failed verification, so nothing was appended."""

    def __init__(self, snapshot: Snapshot, problems: list[ledger.Problem]) -> None:
        self.snapshot = snapshot
        self.problems = problems
        super().__init__(f"{snapshot.location}: the audit log fails verification")


@dataclass
class Verified:
    """A snapshot and what verifying it found."""

    snapshot: Snapshot
    scan: ledger.Scan


def verify(store: AuditStore, keys: Keyring | None) -> Verified:
    """Read and verify the log (chain only when `keys` is None)."""
    snapshot = store.read()
    return Verified(snapshot, ledger.scan(snapshot.log, snapshot.checkpoints, keys))


Drafts = Sequence[dict[str, Any]] | Callable[[ledger.Scan], Sequence[dict[str, Any]]]


def append(
    store: AuditStore, drafts: Drafts, key: SigningKey, keys: Keyring | None = None
) -> ledger.Appended:
    """Verify the current log, then append `drafts` and a signed checkpoint, atomically.

    `drafts` may be a function of the verified log (called again on each compare-and-swap
    attempt, so fields derived from the log, like the rollback plan, follow the latest state).
    Existing checkpoints are checked with `keys` (default: the signing key's own public key).
    """
    if keys is None:
        keys = Keyring.of(key)
    outcome: list[ledger.Appended] = []

    def change(snapshot: Snapshot) -> tuple[bytes, bytes]:
        current = ledger.scan(snapshot.log, snapshot.checkpoints, keys)
        if current.problems:
            raise IntegrityFailure(snapshot, current.problems)
        batch = drafts(current) if callable(drafts) else drafts
        done = ledger.append(current, snapshot.log, snapshot.checkpoints, batch, key)
        outcome[:] = [done]
        return done.log, done.checkpoints

    store.update(change)
    return outcome[0]


def inclusion_proof(verified: Verified, seq: int) -> dict[str, Any]:
    """A self-contained proof that record `seq` is in the tree of the latest checkpoint."""
    scan = verified.scan
    entry = scan.entries[seq]
    leaves = scan.leaves()
    checkpoint = scan.checkpoints[-1]
    return {
        "format": PROOF_FORMAT,
        "log": verified.snapshot.location,
        "leaf_index": seq,
        "tree_size": len(leaves),
        "record": entry.raw,
        "leaf_hash": leaves[seq].hex(),
        "audit_path": [h.hex() for h in merkle.inclusion_path(leaves, seq)],
        "checkpoint": checkpoint.model_dump(mode="json"),
    }
