"""Escaping and shortening of text that may be untrusted (model output, prompt text, case reasons).

Every renderer goes through these helpers, so text from the agent under test can never break a
Markdown table, open an HTML tag, mention a GitHub user or carry characters XML cannot hold.
"""

from __future__ import annotations

import re

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + "…"


def md_inline(text: object, limit: int = 300) -> str:
    """One line of untrusted text made safe inside a Markdown table cell or paragraph.

    HTML is neutralised, pipes and Markdown punctuation escaped, newlines folded, `@mentions`
    defused (a zero-width space after the `@`) and the result shortened to `limit` characters.
    """
    value = " ".join(str(text).split())
    value = shorten(value, limit)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = re.sub(r"([\\`*_{}\[\]|#~])", r"\\\1", value)
    return _MENTION.sub("@\u200b", value)


def md_table(columns: list[str], rows: list[str], total: int, rest: str) -> str:
    """A Markdown table of rendered `rows`, the first of `total`; then "…and N more `rest`."."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns), *rows]
    if total > len(rows):
        lines += ["", f"…and {total - len(rows)} more {rest}."]
    return "\n".join(lines)


def xml_safe(text: object) -> str:
    """Text with the characters XML 1.0 cannot contain removed."""
    return _XML_INVALID.sub("", str(text))


def format_value(value: object) -> str:
    """A summary figure as plain text: floats rounded, booleans lower-case, None as '-'."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(v) for v in value)
    return str(value)
