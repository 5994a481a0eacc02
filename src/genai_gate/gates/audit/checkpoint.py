"""Signed checkpoints: size, head hash, Merkle root and the previous checkpoint's digest.

New checkpoints are signed with Ed25519 (`algorithm: ed25519`, `key_id` = sha256 of the raw
32-byte public key), so anyone holding the published public keys can verify them and nobody but
the holder of the private key can forge one. HMAC-SHA256 checkpoints of earlier versions are
still read, as legacy: only a holder of that shared secret can check them.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from pydantic import Field, model_validator

from genai_gate.canonical import canonical_bytes, sha256_hex
from genai_gate.gates.audit.record import GENESIS, HEX64
from genai_gate.schema import StrictModel

ED25519: Final = "ed25519"
LEGACY_HMAC: Final = "hmac-sha256"
_SIGNATURE_HEX = {ED25519: 128, LEGACY_HMAC: 64}


class Checkpoint(StrictModel):
    """One line of checkpoints.jsonl, written after every append."""

    schema_version: Literal[1, 2] = 2
    """2 for Ed25519 checkpoints; 1 for legacy HMAC ones."""
    size: int = Field(ge=0)
    """Number of records the checkpoint covers."""
    head_hash: str = Field(pattern=HEX64)
    """`hash` of record `size - 1` (64 zeros for an empty log)."""
    root: str = Field(pattern=HEX64)
    """RFC 6962 Merkle tree hash over the record hashes 0..size-1."""
    prev_checkpoint: str = Field(pattern=HEX64)
    """digest of the previous checkpoint (64 zeros for the first)."""
    timestamp: str
    """When it was written, ISO-8601 UTC."""
    key_id: str = Field(pattern=r"^[0-9a-f]{16,64}$")
    """Ed25519: sha256 hex of the raw public key. Legacy HMAC: a 16-hex fingerprint."""
    algorithm: Literal["ed25519", "hmac-sha256"] = ED25519
    signature: str = Field(pattern=r"^[0-9a-f]+$")
    """Hex signature over the canonical JSON of the checkpoint without `signature`."""

    @model_validator(mode="after")
    def _signature_length(self) -> Checkpoint:
        expected = _SIGNATURE_HEX[self.algorithm]
        if len(self.signature) != expected:
            raise ValueError(
                f"signature: {self.algorithm} signatures are {expected} hex digits, "
                f"not {len(self.signature)}"
            )
        return self

    def signed_bytes(self) -> bytes:
        """What the signature covers: the canonical JSON without `signature`."""
        return canonical_bytes(self.model_dump(mode="json", exclude={"signature"}))

    def digest(self) -> str:
        """sha256 of the canonical JSON of the whole checkpoint (what the next one points to)."""
        return sha256_hex(self.line())

    def line(self) -> bytes:
        """The canonical JSON line (without newline)."""
        return canonical_bytes(self.model_dump(mode="json"))


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
