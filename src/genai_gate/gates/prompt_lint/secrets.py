"""Credentials in prompt files: the known key formats (`genai_gate.secret_patterns`) plus the
generic `secret = value` rule, which needs high entropy so prose and template placeholders do
not match. Evidence is masked: reports never carry the secret.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from genai_gate.secret_patterns import (
    FORMATS,
    GENERIC_MIN_ENTROPY,
    URL_CREDENTIALS,
    KeyFormat,
    find_generic,
)

_FORMATS: tuple[KeyFormat, ...] = (*FORMATS, URL_CREDENTIALS)
_HINTS = tuple(dict.fromkeys(hint for key_format in _FORMATS for hint in key_format.hints))


@dataclass(frozen=True)
class SecretMatch:
    """A credential found in a text."""

    kind: str
    """Pattern name (`github-token`, `private-key`, `generic-credential`, ...)."""
    start: int
    end: int
    masked: str
    """The first four characters, then the length: never the secret itself."""


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _mask(value: str) -> str:
    return f"{value[:4]}… ({len(value)} chars)"


def find_secrets(text: str) -> list[SecretMatch]:
    """Credentials in `text`, ordered by position; at most one match per span."""
    found: list[SecretMatch] = []
    present = {hint for hint in _HINTS if hint in text}  # most texts hold none: no pattern runs
    for key_format in _FORMATS if present else ():
        if present.isdisjoint(key_format.hints):
            continue
        for match in key_format.pattern.finditer(text):
            found.append(
                SecretMatch(key_format.name, match.start(), match.end(), _mask(match.group()))
            )
    for match in find_generic(text):
        value = match.group(1)
        mixed = any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
        if mixed and entropy(value) >= GENERIC_MIN_ENTROPY:
            found.append(
                SecretMatch("generic-credential", match.start(1), match.end(1), _mask(value))
            )
    found.sort(key=lambda m: (m.start, -m.end))
    kept: list[SecretMatch] = []
    for item in found:
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept
