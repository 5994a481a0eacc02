"""What the actions do to a store: verified read, append, inclusion proof (over `chain`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from genai_gate.gates.audit import chain, merkle
from genai_gate.gates.audit.keys import Keyring, SigningKey
from genai_gate.gates.audit.stores import AuditStore, IntegrityFailure

PROOF_FORMAT = "genai-gate-audit-inclusion-proof/1"

__all__ = ["IntegrityFailure", "Verified", "append", "inclusion_proof", "verify", "verify_trail"]


@dataclass
class Verified:
    """What verifying a store found."""

    location: str
    scan: chain.Scan
    exists: bool = True
    """False when there was no log at all."""
    notes: list[str] = field(default_factory=list)


def verify(
    store: AuditStore,
    keys: Keyring | None,
    *,
    expect: Iterable[str] = (),
    visit: Callable[[dict[str, Any]], None] | None = None,
) -> Verified:
    """Stream and verify the log (chain only when `keys` is None)."""
    try:
        with store.reading() as reading:
            scan = chain.scan(reading.log, reading.checkpoints, keys, expect=expect, visit=visit)
            return Verified(reading.location, scan, reading.exists, reading.notes)
    except IntegrityFailure as exc:  # the store itself is unreadable (e.g. a forged journal)
        return Verified(exc.location, chain.Scan(problems=list(exc.problems)))


def verify_trail(
    store: AuditStore,
    keys: Keyring | None,
    *,
    published: Iterable[str] = (),
    allow_empty: bool = False,
    visit: Callable[[dict[str, Any]], None] | None = None,
) -> Verified:
    """The whole trail: records, checkpoints, the store's history, and the checkpoint digests
    published outside it (each must still be in the log). No log is a problem unless
    `allow_empty` and nothing was published."""
    wanted = list(published)
    history = store.history()
    claims = {digest: f"published ({where})" for digest, where in history.published.items()}
    claims.update({digest: "published outside the log" for digest in wanted})
    verified = verify(store, keys, expect=claims if keys is not None else (), visit=visit)
    scan = verified.scan
    for problem in history.problems:
        scan.add(problem)
    if history.most_records and history.most_records[0] > scan.size:
        held, where = history.most_records
        scan.add(
            chain.Problem(
                "history-truncated",
                f"records seq {scan.size}..{held - 1} were removed: the branch held {held} "
                f"records at {where}, the log now holds {scan.size}",
                chain.LOG_FILE,
                None,
                scan.size,
            )
        )
    if keys is not None:
        for digest, where in claims.items():
            if digest not in scan.found:
                scan.add(
                    chain.Problem(
                        "checkpoint-missing",
                        f"checkpoint {digest} ({where}) is not in the log: the log and its "
                        "checkpoints were rolled back or replaced",
                        chain.CHECKPOINTS_FILE,
                    )
                )
    if scan.size == 0 and not scan.problems and not (allow_empty and not wanted):
        scan.add(chain.missing_log(verified.location))
    return verified


Drafts = Sequence[dict[str, Any]] | Callable[[chain.Tip], Sequence[dict[str, Any]]]


def append(
    store: AuditStore, drafts: Drafts, key: SigningKey, keys: Keyring | None = None
) -> chain.Appended:
    """Append `drafts` and a signed checkpoint after the verified tip, atomically.

    `drafts` may be a function of the tip (called again on each compare-and-swap attempt, so
    fields derived from the log, like the rollback plan, follow the latest state).
    Existing checkpoints are checked with `keys` (default: the signing key's own public key).
    """
    ring = keys if keys is not None else Keyring.of(key)

    def extend(tip: chain.Tip) -> chain.Appended:
        batch = drafts(tip) if callable(drafts) else drafts
        return chain.extend(tip, batch, key)

    return store.append(ring, extend)


def inclusion_proof(store: AuditStore, keys: Keyring, seq: int) -> dict[str, Any]:
    """A self-contained proof that record `seq` is in the tree of the latest checkpoint.

    Reads the log once (32 bytes per record kept); IntegrityFailure when it does not verify,
    IndexError when there is no such record.
    """
    leaves: list[bytes] = []
    found: list[dict[str, Any]] = []

    def collect(raw: dict[str, Any]) -> None:
        if raw.get("seq") == seq:
            found.append(raw)
        leaves.append(merkle.leaf_hash(bytes.fromhex(raw["hash"])))

    verified = verify(store, keys, visit=collect)
    scan = verified.scan
    if scan.problems or scan.tip.checkpoint is None:
        problems = scan.problems or [chain.missing_log(verified.location)]
        raise IntegrityFailure(verified.location, problems)
    if not found:
        raise IndexError(f"no record seq {seq}: the log holds {scan.size} records")
    return {
        "format": PROOF_FORMAT,
        "log": verified.location,
        "leaf_index": seq,
        "tree_size": len(leaves),
        "record": found[0],
        "leaf_hash": leaves[seq].hex(),
        "audit_path": [h.hex() for h in merkle.inclusion_path(leaves, seq)],
        "checkpoint": scan.tip.checkpoint.as_json(),
    }
