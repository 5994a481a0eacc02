"""Checking an inclusion proof alone: record hash, leaf, audit path, root, checkpoint signature."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from genai_gate.canonical import digest_without
from genai_gate.gates.audit import merkle
from genai_gate.gates.audit.checkpoint import Checkpoint
from genai_gate.gates.audit.keys import Keyring
from genai_gate.gates.audit.store_ops import PROOF_FORMAT


@dataclass(frozen=True)
class Check:
    """One step of the proof check."""

    name: str
    ok: bool | None
    """True passed, False failed, None not checked."""
    detail: str


def check_proof(doc: Any, keys: Keyring | None) -> list[Check]:
    """Every check of a proof document; signature not checked (and said so) without keys."""
    if not isinstance(doc, dict) or doc.get("format") != PROOF_FORMAT:
        return [Check("format", False, f"not a proof document (expected {PROOF_FORMAT})")]
    try:
        record = doc["record"]
        index, size = int(doc["leaf_index"]), int(doc["tree_size"])
        path = [bytes.fromhex(h) for h in doc["audit_path"]]
        checkpoint = Checkpoint.parse(doc["checkpoint"])
        stored = bytes.fromhex(record["hash"])
    except (KeyError, TypeError, ValueError) as exc:
        return [Check("format", False, f"malformed proof: {exc}")]
    computed = digest_without(record, "hash")
    checks = [
        Check(
            "record hash",
            computed == record["hash"],
            f"canonical record hashes to {computed}",
        ),
        Check("record position", record.get("seq") == index, f"seq {record.get('seq')}"),
    ]
    root = merkle.root_from_path(merkle.leaf_hash(stored), index, size, path)
    checks.append(
        Check(
            "audit path",
            root is not None and root.hex() == checkpoint.root,
            f"{len(path)} hashes lead to root {root.hex() if root else 'none (malformed path)'}",
        )
    )
    checks.append(
        Check(
            "tree size",
            checkpoint.size == size,
            f"checkpoint covers {checkpoint.size} records",
        )
    )
    if keys is None:
        checks.append(Check("checkpoint signature", None, "not checked (--skip-signature)"))
    else:
        bad = keys.problem(checkpoint)
        checks.append(
            Check(
                "checkpoint signature",
                bad is None,
                bad[1]
                if bad
                else f"{checkpoint.algorithm} signature of published key "
                f"{checkpoint.key_id[:16]}... holds",
            )
        )
    return checks
