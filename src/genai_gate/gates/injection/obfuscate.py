"""Obfuscations an attacker wraps an instruction in, to slip past filters and guardrails."""

from __future__ import annotations

import base64
import codecs
from collections.abc import Callable

_LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"})
# Latin letters -> look-alike Cyrillic / Greek letters.
_HOMOGLYPHS = str.maketrans(
    {"a": "а", "c": "с", "e": "е", "i": "і", "o": "о", "p": "р", "x": "х", "y": "у", "s": "ѕ"}
)
ZERO_WIDTH = "\u200b"


def to_base64(text: str) -> str:
    """Standard base64 of the UTF-8 text."""
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def to_hex(text: str) -> str:
    """Hex bytes separated by spaces."""
    return " ".join(f"{byte:02x}" for byte in text.encode("utf-8"))


def to_rot13(text: str) -> str:
    """ROT13 (letters only)."""
    return codecs.encode(text, "rot13")


def to_leet(text: str) -> str:
    """Leetspeak: a->4, e->3, i->1, o->0, s->5, t->7."""
    return text.lower().translate(_LEET)


def to_homoglyphs(text: str) -> str:
    """Latin letters swapped for Cyrillic look-alikes."""
    return text.translate(_HOMOGLYPHS)


def to_zero_width(text: str) -> str:
    """A zero-width space after every letter of every word."""
    return " ".join(ZERO_WIDTH.join(word) for word in text.split(" "))


def to_tags(text: str) -> str:
    """The text in invisible Unicode tag characters (U+E0020..U+E007E)."""
    return "".join(chr(0xE0000 + ord(ch)) if 0x20 <= ord(ch) <= 0x7E else ch for ch in text)


def split_payload(text: str) -> tuple[str, str]:
    """The text cut in two halves at a space, for `a + b` payload splitting."""
    middle = len(text) // 2
    cut = text.rfind(" ", 0, middle)
    cut = cut if cut > 0 else middle
    return text[:cut], text[cut:]


ENCODERS: dict[str, Callable[[str], str]] = {
    "base64": to_base64,
    "hex": to_hex,
    "rot13": to_rot13,
    "leetspeak": to_leet,
    "homoglyphs": to_homoglyphs,
    "zero_width": to_zero_width,
    "unicode_tags": to_tags,
}
