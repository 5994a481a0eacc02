"""Rewrites of an audit journal that a forger would make (record lines as canonical JSON bytes)."""

from __future__ import annotations

import json

from genai_gate.canonical import canonical_bytes, digest_without


def rechain(lines: list[bytes], start: int) -> list[bytes]:
    """Recompute `seq`, `prev` and `hash` from line `start` on, as a forger would after an edit."""
    out = list(lines[:start])
    for line in lines[start:]:
        raw = json.loads(line)
        raw["seq"] = len(out)
        raw["prev"] = json.loads(out[-1])["hash"] if out else "0" * 64
        raw["hash"] = digest_without(raw, "hash")
        out.append(canonical_bytes(raw))
    return out


def modify(lines: list[bytes]) -> list[bytes]:
    """Change the deployer of the third record without fixing its hash."""
    raw = json.loads(lines[2])
    raw["deployer"] = "mallory"
    return [*lines[:2], canonical_bytes(raw), *lines[3:]]
