"""A report as named blocks, and `fit`: cut it to a size limit with a note saying what was cut.

GitHub caps a step summary at 1 MiB (bytes) and a PR comment at 65,536 characters. Rather than
fail or silently lose the end, `fit` keeps whole blocks in order, cuts the first block that does
not fit at a line boundary, drops the rest, and appends a note naming what was cut or omitted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Block:
    """One named part of a report."""

    title: str
    """Human name used in the truncation note (`eval-gate: failing cases`)."""
    text: str
    """Markdown of the block, without trailing blank lines."""


def utf8_size(text: str) -> int:
    """Size in bytes once encoded as UTF-8 (how GitHub counts the step summary)."""
    return len(text.encode("utf-8"))


def _note(limit_desc: str, cut: str | None, omitted: Sequence[str], hint: str) -> str:
    parts = []
    if cut:
        parts.append(f"cut short: {cut}")
    if omitted:
        parts.append("omitted: " + ", ".join(omitted))
    text = f"> **Truncated** to stay under {limit_desc}; " + "; ".join(parts) + "."
    return text + (f" {hint}" if hint else "")


def _close_details(text: str) -> str:
    """Close `<details>` elements left open by a cut, so the note stays visible."""
    missing = text.count("<details") - text.count("</details>")
    return text + "\n\n</details>" * missing


def fit(
    blocks: Sequence[Block],
    limit: int,
    *,
    measure: Callable[[str], int] = len,
    limit_desc: str = "the size limit",
    hint: str = "",
    footer: str = "",
) -> str:
    """The blocks joined, cut to `limit` (as counted by `measure`) with a truncation note.

    `footer` is always kept at the very end (e.g. the link to the run).
    """
    tail = (SEPARATOR + footer) if footer else ""
    whole = SEPARATOR.join(b.text for b in blocks if b.text) + tail + "\n"
    if measure(whole) <= limit:
        return whole
    titles = [b.title for b in blocks]
    reserve = measure(_note(limit_desc, max(titles, key=len), titles, hint)) + measure(tail) + 64
    budget = limit - reserve
    if budget <= 0:
        raise ValueError(f"limit {limit} too small for the truncation note")
    kept: list[str] = []
    used = 0
    cut: str | None = None
    for index, block in enumerate(blocks):
        if not block.text:
            continue
        cost = measure(block.text) + (measure(SEPARATOR) if kept else 0)
        if used + cost <= budget:
            kept.append(block.text)
            used += cost
            continue
        lines = block.text.split("\n")
        room = budget - used - (measure(SEPARATOR) if kept else 0)
        taken: list[str] = []
        for line in lines:
            size = measure(line) + 1
            if size > room:
                break
            taken.append(line)
            room -= size
        if taken:
            kept.append(_close_details("\n".join(taken)))
            cut = f"{block.title} ({len(taken)} of {len(lines)} lines shown)"
        omitted = [b.title for b in blocks[index + (1 if taken else 0) :] if b.text]
        note = _note(limit_desc, cut, omitted, hint)
        return SEPARATOR.join([*kept, note]) + tail + "\n"
    raise AssertionError("unreachable: the whole text did not fit but every block did")
