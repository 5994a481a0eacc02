"""PL304: text a reviewer cannot see but a model reads.

- bidirectional controls (embeddings, overrides, isolates, marks): "Trojan Source" reordering;
- zero-width and other invisible characters (ZWSP, word joiner, soft hyphen, fillers...);
- Unicode tag characters (U+E0000-E007F), which spell out hidden ASCII ("ASCII smuggling");
- runs of variation selectors, which can carry hidden bytes;
- words that mix look-alike scripts (Latin `a` and Cyrillic `а` in one word), a homoglyph.

Each finding gives the line and column of the first character of the run. Characters that a
script needs (ZWJ/ZWNJ between Arabic or Indic letters, ZWJ in emoji sequences, one variation
selector after an emoji or ideograph) are not reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from genai_gate.gates.prompt_lint.findings import Hit, LintInputs
from genai_gate.pii import LineIndex

BIDI = {
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",  # embeddings, pop, overrides
    "\u2066", "\u2067", "\u2068", "\u2069",  # isolates
    "\u200e", "\u200f", "\u061c",  # LRM, RLM, ALM
}  # fmt: skip
ZERO_WIDTH = {
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e", "\u00ad", "\u034f",
    "\u2061", "\u2062", "\u2063", "\u2064", "\u115f", "\u1160", "\u3164", "\uffa0",
}  # fmt: skip
JOINERS = {"\u200c", "\u200d"}
_HIDDEN = re.compile(
    "[" + "".join(sorted(BIDI | ZERO_WIDTH)) + "\U000e0000-\U000e007f"
    "\ufe00-\ufe0f\U000e0100-\U000e01ef]+"
)
_WORD = re.compile(r"[^\W\d_]+")
CONFUSABLE_SCRIPTS = {
    "LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC", "FULLWIDTH", "MATHEMATICAL",
}  # fmt: skip
"""Scripts (first word of the character name) whose letters look like Latin ones."""
MAX_PER_FILE = 50
"""Findings of this rule per file; a file past this is reported once more, as truncated."""


@dataclass(frozen=True)
class Hidden:
    """One run of hidden text, or one mixed-script word."""

    start: int
    """Offset in the text of its first character."""
    kind: str
    """`bidi-control`, `zero-width`, `tag-characters`, `variation-selectors`, `mixed-script`."""
    description: str
    """What it is, with code points (and the hidden ASCII of tag characters)."""


def _code_points(text: str) -> str:
    names = [f"U+{ord(c):04X} {unicodedata.name(c, 'UNNAMED')}" for c in dict.fromkeys(text)]
    return ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")


def _needed(text: str, start: int, end: int) -> bool:
    """One joiner or variation selector that the neighbouring characters use legitimately."""
    run = text[start:end]
    if len(run) != 1 or start == 0:
        return False
    before = text[start - 1]
    after = text[end] if end < len(text) else ""
    if run in JOINERS:
        if run == "\u200d" and unicodedata.category(before) == "So":  # emoji ZWJ sequence
            return True
        letter_or_mark = before.isalpha() or unicodedata.category(before).startswith("M")
        return letter_or_mark and _script(before) not in CONFUSABLE_SCRIPTS and after.isalpha()
    if "\ufe00" <= run <= "\ufe0f" or "\U000e0100" <= run <= "\U000e01ef":
        return unicodedata.category(before) in {"So", "Sk", "Lo", "Nd"} or before in "#*"
    return False


def _classify(run: str) -> tuple[str, str]:
    if all("\U000e0000" <= c <= "\U000e007f" for c in run):
        ascii_text = "".join(chr(ord(c) - 0xE0000) for c in run if 0x20 <= ord(c) - 0xE0000 < 0x7F)
        return "tag-characters", f"{len(run)} Unicode tag characters spelling {ascii_text!r}"
    if any(c in BIDI for c in run):
        return "bidi-control", f"bidirectional control characters ({_code_points(run)})"
    if all("\ufe00" <= c <= "\ufe0f" or "\U000e0100" <= c <= "\U000e01ef" for c in run):
        return "variation-selectors", f"{len(run)} variation selectors ({_code_points(run)})"
    return "zero-width", f"invisible characters ({_code_points(run)})"


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else ""


def _mixed_script(word: str) -> str | None:
    """`Latin and Cyrillic (U+0430 CYRILLIC SMALL LETTER A)` when `word` mixes look-alikes."""
    if word.isascii():
        return None
    scripts: dict[str, list[str]] = {}
    for char in word:
        script = _script(char)
        if script in CONFUSABLE_SCRIPTS:
            scripts.setdefault(script, []).append(char)
    if len(scripts) < 2:
        return None
    main = max(scripts, key=lambda s: len(scripts[s]))
    odd = "".join(c for s, chars in scripts.items() if s != main for c in chars)
    others = " and ".join(s.title() for s in scripts if s != main)
    return f"{main.title()} and {others} letters ({_code_points(odd)})"


def find_hidden(text: str) -> Iterator[Hidden]:
    """Every run of hidden characters and every mixed-script word of `text`, in order."""
    found: list[Hidden] = []
    if not text.isascii():
        for match in _HIDDEN.finditer(text):
            if not _needed(text, match.start(), match.end()):
                kind, description = _classify(match.group())
                found.append(Hidden(match.start(), kind, description))
        for match in _WORD.finditer(text):
            mixed = _mixed_script(match.group())
            if mixed is not None:
                word = match.group()
                found.append(Hidden(match.start(), "mixed-script", f"word {word!r} mixes {mixed}"))
    yield from sorted(found, key=lambda hidden: hidden.start)


def check_hidden_text(inputs: LintInputs) -> Iterator[Hit]:
    """PL304 over the whole text of every prompt file."""
    for item in inputs.items:
        text, rel = item.source.text, item.source.rel
        if text.isascii():
            continue
        index = LineIndex(text)
        for count, hidden in enumerate(find_hidden(text)):
            line, column = index.position(hidden.start)
            if count == MAX_PER_FILE:
                yield Hit("PL304", rel, line, f"more hidden text after {MAX_PER_FILE} findings")
                break
            yield Hit(
                "PL304",
                rel,
                line,
                f"hidden text at column {column}: {hidden.description}; a reviewer does not see "
                "it but the model reads it: remove it (or suppress with the reason)",
                {"kind": hidden.kind, "column": column},
                column=column,
            )
