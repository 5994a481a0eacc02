"""RFC 8785 canonical JSON and the sha256 digests built on it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import rfc8785

from genai_gate.errors import UsageError


def canonical_bytes(value: Any) -> bytes:
    """The RFC 8785 (JSON Canonicalization Scheme) serialisation of `value`."""
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as exc:
        raise UsageError(f"value cannot be written as canonical JSON: {exc}") from None


def sha256_hex(data: bytes) -> str:
    """Lowercase hex sha256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def digest_without(mapping: Mapping[str, Any], field: str) -> str:
    """sha256 of the canonical JSON of `mapping` with `field` left out (a self-hash)."""
    return sha256_hex(canonical_bytes({k: v for k, v in mapping.items() if k != field}))
