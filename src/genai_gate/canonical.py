"""RFC 8785 canonical JSON and the sha256 digests built on it: the one canonical form of the
project (audit records and checkpoints, config and prompt digests, response-cache keys).

The `rfc8785` package is the reference implementation, but it is pure Python (about 1 ms for a
3 KB record). For the values these hold (strings, integers, booleans, null, integral or plainly
written floats) RFC 8785 output equals `json.dumps` with sorted keys, no whitespace, no ASCII
escaping and integral floats up to 2**53 written as integers; that fast path runs in C. Any
value where the two could differ (a float written with an exponent, an integral float beyond
2**53, which ECMAScript writes with its shortest digits padded by zeros, an integer beyond 2**53,
a key outside ASCII, a lone surrogate) goes to `rfc8785`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from typing import Any

import rfc8785

from genai_gate.errors import UsageError

_MAX_SAFE = 2**53 - 1
_encode = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
).encode


class _Fallback(Exception):
    """The fast path cannot guarantee RFC 8785 output for this value."""


def _plain_str(text: str) -> bool:
    """No lone surrogates (which RFC 8785 escapes and Python would not)."""
    return text.isascii() or not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def _float(value: float) -> float | int:
    if not math.isfinite(value):
        raise _Fallback
    if value.is_integer():
        if abs(value) <= _MAX_SAFE:
            return int(value)
        raise _Fallback  # 2.0**60 is 1152921504606847000 in RFC 8785, not Python's int()
    if "e" in repr(value):
        raise _Fallback
    return value


def _normalise(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        if not _plain_str(value):
            raise _Fallback
        return value
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str or not key.isascii():
                raise _Fallback
            out[key] = _normalise(item)
        return out
    if kind is list or kind is tuple:
        return [_normalise(item) for item in value]
    if kind is int:
        if abs(value) > _MAX_SAFE:
            raise _Fallback
        return value
    if kind is float:
        return _float(value)
    if value is None or kind is bool:
        return value
    raise _Fallback


_NON_BMP = re.compile(rb"[\xf0-\xf4]")
_SURROGATE = re.compile(rb"\\u[dD][89abAB]")


def _halves(value: dict[str, Any], field: str) -> tuple[str, str]:
    """Canonical text of the members before and after `field` (same-key order as RFC 8785 for
    the ASCII keys of the fast path), without the outer braces."""
    before = _encode({k: v for k, v in value.items() if k < field})[1:-1]
    after = _encode({k: v for k, v in value.items() if k > field})[1:-1]
    return before, after


def _join(*parts: str) -> bytes:
    return ("{" + ",".join(p for p in parts if p) + "}").encode("utf-8")


def parse_self_hashed(line: bytes, field: str) -> tuple[Any, bool, str]:
    """Parse one JSON line holding a self-hash in `field`.

    Returns (value, whether the line is exactly its RFC 8785 form, sha256 of the canonical JSON
    of the value without `field`). Integral numbers come back as int.
    """
    unusual = [
        _NON_BMP.search(line) is not None
        or (b"\\u" in line and _SURROGATE.search(line) is not None)
    ]

    def number(text: str) -> float | int:
        try:
            return _float(float(text))
        except _Fallback:
            unusual[0] = True
            return float(text)

    def integer(text: str) -> int | float:
        value = int(text)
        if abs(value) <= _MAX_SAFE:
            return value
        unusual[0] = True  # JSON numbers are doubles (RFC 8785 section 3.2.2.3)
        return float(text)

    value = json.loads(line, parse_float=number, parse_int=integer)
    if not isinstance(value, dict):
        return value, False, ""
    if unusual[0] or any(not key.isascii() for key in value):
        try:
            return value, canonical_bytes(value) == line, digest_without(value, field)
        except UsageError:  # e.g. a number outside the double range
            return value, False, ""
    before, after = _halves(value, field)
    member = _encode({field: value[field]})[1:-1] if field in value else ""
    return value, _join(before, member, after) == line, sha256_hex(_join(before, after))


def canonical_bytes(value: Any) -> bytes:
    """The RFC 8785 (JSON Canonicalization Scheme) serialisation of `value`."""
    try:
        return _encode(_normalise(value)).encode("utf-8")
    except _Fallback:
        pass
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as exc:
        raise UsageError(f"value cannot be written as canonical JSON: {exc}") from None


def self_hashed(mapping: Mapping[str, Any], field: str) -> tuple[str, bytes]:
    """(sha256 of the canonical JSON without `field`, canonical JSON with `field` = that hash)."""
    rest = {k: v for k, v in mapping.items() if k != field}
    try:
        value = _normalise(rest)
    except _Fallback:
        digest = sha256_hex(canonical_bytes(rest))
        return digest, canonical_bytes({**rest, field: digest})
    before, after = _halves(value, field)
    digest = sha256_hex(_join(before, after))
    return digest, _join(before, _encode({field: digest})[1:-1], after)


def sha256_hex(data: bytes) -> str:
    """Lowercase hex sha256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def digest_without(mapping: Mapping[str, Any], field: str) -> str:
    """sha256 of the canonical JSON of `mapping` with `field` left out (a self-hash)."""
    return sha256_hex(canonical_bytes({k: v for k, v in mapping.items() if k != field}))


def digest(value: Any) -> str:
    """`sha256:<hex>` of the canonical JSON of `value` (config, prompt and cache identities)."""
    return "sha256:" + sha256_hex(canonical_bytes(value))
