"""Signed checkpoints: size, head hash, Merkle root and the previous checkpoint's digest."""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Any

from pydantic import Field

from genai_gate.canonical import canonical_bytes, sha256_hex
from genai_gate.errors import UsageError
from genai_gate.gates.audit.record import GENESIS, HEX64
from genai_gate.schema import StrictModel

MIN_KEY_BYTES = 16


class Checkpoint(StrictModel):
    """One line of checkpoints.jsonl, written after every append."""

    schema_version: int = 1
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
    key_id: str
    """Fingerprint of the signing key (not the key)."""
    algorithm: str = "hmac-sha256"
    signature: str = Field(pattern=HEX64)
    """HMAC-SHA256 over the canonical checkpoint without `signature`."""

    def digest(self) -> str:
        """sha256 of the canonical JSON of the whole checkpoint (what the next one points to)."""
        return sha256_hex(self.line())

    def line(self) -> bytes:
        """The canonical JSON line (without newline)."""
        return canonical_bytes(self.model_dump(mode="json"))


class SigningKey:
    """An HMAC key read from an environment variable."""

    def __init__(self, secret: bytes, env_name: str) -> None:
        self.secret = secret
        self.env_name = env_name
        self.key_id = hashlib.sha256(b"genai-gate audit key id\x00" + secret).hexdigest()[:16]

    @classmethod
    def from_env(cls, env_name: str) -> SigningKey:
        """The key in `$env_name`; a missing or short key is a usage error (exit 2)."""
        value = os.environ.get(env_name, "")
        if not value:
            raise UsageError(
                f"audit signing key missing: set the environment variable {env_name} "
                "(a secret of at least 16 bytes; audit.signing_key_env names the variable)"
            )
        secret = value.encode("utf-8")
        if len(secret) < MIN_KEY_BYTES:
            raise UsageError(
                f"audit signing key in {env_name} is too short: "
                f"{len(secret)} bytes, at least {MIN_KEY_BYTES} needed"
            )
        return cls(secret, env_name)

    def sign(self, fields: dict[str, Any]) -> str:
        """HMAC-SHA256 over the canonical JSON of `fields` (which must not hold `signature`)."""
        return hmac.new(self.secret, canonical_bytes(fields), hashlib.sha256).hexdigest()

    def make(
        self, *, size: int, head_hash: str, root: str, prev: Checkpoint | None, timestamp: str
    ) -> Checkpoint:
        """A new signed checkpoint following `prev`."""
        fields: dict[str, Any] = {
            "schema_version": 1,
            "size": size,
            "head_hash": head_hash,
            "root": root,
            "prev_checkpoint": prev.digest() if prev else GENESIS,
            "timestamp": timestamp,
            "key_id": self.key_id,
            "algorithm": "hmac-sha256",
        }
        return Checkpoint(**fields, signature=self.sign(fields))

    def signature_ok(self, checkpoint: Checkpoint) -> bool:
        """Whether the checkpoint was signed with this key."""
        fields = checkpoint.model_dump(mode="json", exclude={"signature"})
        return hmac.compare_digest(self.sign(fields), checkpoint.signature)
