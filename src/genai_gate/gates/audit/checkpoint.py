"""Signed checkpoints: size, head hash, Merkle root and the previous checkpoint's digest.

New checkpoints are signed with Ed25519 (`algorithm: ed25519`, `key_id` = sha256 of the raw
32-byte public key), so anyone holding the published public keys can verify them and nobody but
the holder of the private key can forge one. HMAC-SHA256 checkpoints of earlier versions are
still read, as legacy: only a holder of that shared secret can check them.

A checkpoint is a plain frozen dataclass (no pydantic: `record` reads and writes one on every
append); its JSON members are the fields, in this order, all required but `schema_version` and
`algorithm`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import Any, Final

from genai_gate.canonical import canonical_bytes, sha256_hex

ED25519: Final = "ed25519"
LEGACY_HMAC: Final = "hmac-sha256"
GENESIS: Final = "0" * 64
"""64 zeros: `prev` of the first record, `prev_checkpoint` of the first checkpoint."""
_SIGNATURE_HEX = {ED25519: 128, LEGACY_HMAC: 64}
_HEX64 = re.compile(r"[0-9a-f]{64}")
_KEY_ID = re.compile(r"[0-9a-f]{16,64}")
_HEX = re.compile(r"[0-9a-f]+")


@dataclass(frozen=True, kw_only=True)
class Checkpoint:
    """One line of checkpoints.jsonl, written after every append."""

    schema_version: int = 2
    """2 for Ed25519 checkpoints; 1 for legacy HMAC ones."""
    size: int
    """Number of records the checkpoint covers."""
    head_hash: str
    """`hash` of record `size - 1` (64 zeros for an empty log)."""
    root: str
    """RFC 6962 Merkle tree hash over the record hashes 0..size-1."""
    prev_checkpoint: str
    """digest of the previous checkpoint (64 zeros for the first)."""
    timestamp: str
    """When it was written, ISO-8601 UTC."""
    key_id: str
    """Ed25519: sha256 hex of the raw public key. Legacy HMAC: a 16-hex fingerprint."""
    algorithm: str = ED25519
    """ed25519, or hmac-sha256 (legacy)."""
    signature: str
    """Hex signature over the canonical JSON of the checkpoint without `signature`."""

    @classmethod
    def parse(cls, raw: Any) -> Checkpoint:
        """The checkpoint in a JSON object; ValueError `field: why` when it is not one."""
        if not isinstance(raw, dict):
            raise ValueError(f"checkpoint: expected a JSON object, got {type(raw).__name__}")
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - names)
        if unknown:
            raise ValueError(f"{unknown[0]}: unknown field")
        missing = [n for n in names - {"schema_version", "algorithm"} if n not in raw]
        if missing:
            raise ValueError(f"{sorted(missing)[0]}: field required")
        checkpoint = cls(**raw)
        checkpoint._check()
        return checkpoint

    def _check(self) -> None:
        if self.schema_version not in (1, 2) or type(self.schema_version) is not int:
            raise ValueError(f"schema_version: expected 1 or 2, got {self.schema_version!r}")
        if type(self.size) is not int or self.size < 0:
            raise ValueError(f"size: expected an integer >= 0, got {self.size!r}")
        for name, pattern, what in (
            ("head_hash", _HEX64, "64 lowercase hex digits"),
            ("root", _HEX64, "64 lowercase hex digits"),
            ("prev_checkpoint", _HEX64, "64 lowercase hex digits"),
            ("key_id", _KEY_ID, "16 to 64 lowercase hex digits"),
            ("signature", _HEX, "lowercase hex digits"),
        ):
            value = getattr(self, name)
            if not isinstance(value, str) or not pattern.fullmatch(value):
                raise ValueError(f"{name}: expected {what}, got {value!r}")
        if not isinstance(self.timestamp, str):
            raise ValueError(f"timestamp: expected a string, got {self.timestamp!r}")
        expected = _SIGNATURE_HEX.get(self.algorithm) if isinstance(self.algorithm, str) else None
        if expected is None:
            raise ValueError(f"algorithm: expected ed25519 or hmac-sha256, got {self.algorithm!r}")
        if len(self.signature) != expected:
            raise ValueError(
                f"signature: {self.algorithm} signatures are {expected} hex digits, "
                f"not {len(self.signature)}"
            )

    def as_json(self) -> dict[str, Any]:
        """The JSON object (what `parse` reads back)."""
        return asdict(self)

    def signed_bytes(self) -> bytes:
        """What the signature covers: the canonical JSON without `signature`."""
        data = self.as_json()
        del data["signature"]
        return canonical_bytes(data)

    def digest(self) -> str:
        """sha256 of the canonical JSON of the whole checkpoint (what the next one points to)."""
        return sha256_hex(self.line())

    def line(self) -> bytes:
        """The canonical JSON line (without newline)."""
        return canonical_bytes(self.as_json())


def unsigned_fields(
    *, size: int, head_hash: str, root: str, prev: Checkpoint | None, timestamp: str, key_id: str
) -> dict[str, Any]:
    """The fields of a new Ed25519 checkpoint following `prev`, before signing."""
    return {
        "schema_version": 2,
        "size": size,
        "head_hash": head_hash,
        "root": root,
        "prev_checkpoint": prev.digest() if prev else GENESIS,
        "timestamp": timestamp,
        "key_id": key_id,
        "algorithm": ED25519,
    }
