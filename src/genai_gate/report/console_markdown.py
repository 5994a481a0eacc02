"""The Markdown of the gate sections as rich renderables, without markdown-it.

The gate sections (`genai_gate.report.sections`) write a small subset of Markdown: headings,
paragraphs, pipe tables, one-line bullet items, `**strong**`, `*emphasis*`, code spans,
backslash escapes and the `&amp;` / `&lt;` / `&gt;` entities of `md_inline`. `renderable` turns
that subset into the Text and Table objects rich's own Markdown renderer builds for it, with the
same styles, so the console shows the same characters and colours; rich.markdown (markdown-it
and pygments, most of the console report's import time) is needed only for other Markdown.
`renderable` returns None for any text outside the subset, or that it cannot be sure to read
as CommonMark does; the caller then uses rich.markdown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style, StyleStack
from rich.table import Table
from rich.text import Text

_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"'}
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot);")
_HEADING = re.compile(r"(#{1,6}) (\S.*)")
_DELIMITER_CELL = re.compile(r"-+")
_NOT_A_LINE_START = re.compile(
    r"[\s#>=|<\[]|```|~~~|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|(?:[-*_]\s*){3,}$"
)
"""What may open another kind of block (or a link definition) at the start of a line."""
_DELIMITER_LIKE = re.compile(r"[ :|-]*-[ :|-]*")
"""A line that may be a table's delimiter row (its pipes are optional) or a setext underline."""
_UNSUPPORTED = frozenset("<\t\r\x00")
_LINK = re.compile(r"(?:^|[^\\])(?:\\\\)*\][(\[]")
"""An unescaped `]` followed by `(` or `[`: the end of a link's text."""

Piece = tuple[str, tuple[str, ...]]
"""A run of text and the Markdown styles around it (`strong`, `em`, `code`); "\n" alone is a
soft line break."""


@dataclass(frozen=True)
class _Block:
    kind: str
    """heading, paragraph, table or list."""
    rows: tuple[tuple[tuple[Piece, ...], ...], ...]
    """The inline content: one row of one cell for a heading or paragraph, one row per item of a
    list, the header row then the body rows of a table."""
    level: int = 0
    """1-6 for a heading."""


def renderable(markdown: str) -> _Section | None:
    """The renderable of `markdown`, or None when it is outside the subset."""
    if any(ch in markdown for ch in _UNSUPPORTED) or _LINK.search(markdown):
        return None
    blocks: list[_Block] = []
    for chunk in re.split(r"\n\s*\n", markdown.strip("\n")):
        block = _block(chunk.split("\n"))
        if block is None or (block.kind == "list" and blocks and blocks[-1].kind == "list"):
            return None  # lists one blank line apart are one loose list
        blocks.append(block)
    return _Section(tuple(blocks))


def _block(lines: list[str]) -> _Block | None:
    if any(line != line.strip() or not line for line in lines):
        return None
    first = lines[0]
    if first.startswith("#"):
        match = _HEADING.fullmatch(first)
        if match is None or len(lines) > 1 or first.endswith("#"):
            return None
        text = _inline(match.group(2))
        return None if text is None else _Block("heading", ((text,),), len(match.group(1)))
    if first.startswith("|"):
        return _table(lines)
    if first.startswith("- "):
        items = []
        for line in lines:
            item = _inline(line[2:]) if line.startswith("- ") else None
            if item is None or _NOT_A_LINE_START.match(line[2:]):
                return None  # a continuation line, or an item opening a nested block
            items.append((item,))
        return _Block("list", tuple(items))
    if any(_NOT_A_LINE_START.match(line) or _DELIMITER_LIKE.fullmatch(line) for line in lines):
        return None
    text = _inline("\n".join(lines))
    return None if text is None else _Block("paragraph", ((text,),))


def _table(lines: list[str]) -> _Block | None:
    if len(lines) < 2 or not _is_delimiter_row(lines[1]):
        return None
    rows = [_cells(line) for i, line in enumerate(lines) if i != 1]
    width = len(_cells(lines[1]) or [])
    parsed: list[tuple[tuple[Piece, ...], ...]] = []
    for cells in rows:
        if cells is None or len(cells) != width:
            return None
        inline = [_inline(cell) for cell in cells]
        if any(cell is None for cell in inline):
            return None
        parsed.append(tuple(cell for cell in inline if cell is not None))
    return _Block("table", tuple(parsed))


def _is_delimiter_row(line: str) -> bool:
    cells = _cells(line) if line.startswith("|") else None
    return bool(cells) and all(_DELIMITER_CELL.fullmatch(cell) for cell in cells or [])


def _cells(line: str) -> list[str] | None:
    """The cells of `| a | b |` (an escaped pipe stays in its cell); None for another shape."""
    if not (line.startswith("|") and line.endswith("|")) or line.endswith("\\|") or len(line) < 2:
        return None
    cells, start, i = [], 1, 1
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == "|":
            cells.append(line[start:i].strip())
            start = i + 1
        i += 1
    if any("`" in cell and "\\|" in cell for cell in cells):
        return None  # whether a code span keeps the backslash of `\|` differs between readers
    return cells


def _inline(text: str) -> tuple[Piece, ...] | None:
    """Text runs with their styles, or None for inline Markdown outside the subset."""
    tokens = _tokens(text)
    if tokens is None:
        return None
    pieces: list[Piece] = []
    open_runs: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            pieces.append(("".join(buffer), tuple(open_runs)))
            buffer.clear()

    for kind, value, opens, closes in tokens:
        if kind == "text":
            buffer.append(value)
        elif kind == "break":
            flush()
            pieces.append(("\n", tuple(open_runs)))
        elif kind == "code":
            flush()
            pieces.append((value, (*open_runs, "code")))
        else:  # a run of asterisks: its length says strong (2) or em (1)
            style = "strong" if value == "**" else "em"
            if opens == closes or len(value) > 2:
                return None  # both or neither: CommonMark's rules get subtle; rich.markdown decides
            flush()
            if closes:
                if not open_runs or open_runs[-1] != style:
                    return None
                open_runs.pop()
            else:
                open_runs.append(style)
    flush()
    return None if open_runs else tuple(pieces)


def _tokens(text: str) -> list[tuple[str, str, bool, bool]] | None:
    """(kind, value, can open, can close): text, break, code and `*` runs; None when unsure."""
    tokens: list[tuple[str, str, bool, bool]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            following = text[i + 1 : i + 2]
            if following == "\n":
                return None  # a hard line break
            if following in _ASCII_PUNCTUATION and following:
                tokens.append(("text", following, False, False))
                i += 2
            else:
                tokens.append(("text", "\\", False, False))
                i += 1
        elif ch == "`":
            run = _run_length(text, i)
            close = _closing_backticks(text, i + run, run)
            if close is None:
                tokens.append(("text", "`" * run, False, False))
                i += run
                continue
            tokens.append(("code", _code_content(text[i + run : close]), False, False))
            i = close + run
        elif ch == "&":
            match = _ENTITY.match(text, i)
            if match is None:
                return None
            tokens.append(("text", _ENTITIES[match.group()], False, False))
            i = match.end()
        elif ch == "*":
            run = _run_length(text, i)
            before = text[i - 1] if i else " "
            after = text[i + run] if i + run < n else " "
            if not (_plain_neighbour(before) and _plain_neighbour(after)):
                return None
            space_before, space_after = before.isspace(), after.isspace()
            left = not space_after and (not _punct(after) or space_before or _punct(before))
            right = not space_before and (not _punct(before) or space_after or _punct(after))
            tokens.append(("delimiter", "*" * run, left, right))
            i += run
        elif ch == "_" or ch == "~":
            run = _run_length(text, i)
            before = text[i - 1] if i else " "
            after = text[i + run] if i + run < n else " "
            if ch == "~" or not (before.isalnum() and after.isalnum()):
                return None  # `_` between letters or digits is literal; elsewhere it may emphasise
            tokens.append(("text", "_" * run, False, False))
            i += run
        elif ch == "\n":
            tokens.append(("break", "", False, False))
            i += 1
        elif ch == "!" and text[i + 1 : i + 2] == "[":
            return None
        else:
            tokens.append(("text", ch, False, False))
            i += 1
    return tokens


def _run_length(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end] == text[start]:
        end += 1
    return end - start


def _closing_backticks(text: str, start: int, run: int) -> int | None:
    i = start
    while i < len(text):
        if text[i] == "`":
            length = _run_length(text, i)
            if length == run:
                return i
            i += length
        else:
            i += 1
    return None


def _code_content(raw: str) -> str:
    content = raw.replace("\n", " ")
    if len(content) > 1 and content[0] == content[-1] == " " and content.strip(" "):
        return content[1:-1]
    return content


def _punct(ch: str) -> bool:
    return ch in _ASCII_PUNCTUATION or unicodedata.category(ch)[0] in "PS"


def _plain_neighbour(ch: str) -> bool:
    """ASCII, a letter or digit, or white space: characters every CommonMark reader classes
    alike when deciding whether a `*` run opens or closes emphasis."""
    return ch.isascii() or ch.isalnum() or ch.isspace()


class _Section:
    """The blocks of one Markdown section, rendered as rich.markdown renders them."""

    def __init__(self, blocks: tuple[_Block, ...]) -> None:
        self.blocks = blocks

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        options = options.update(height=None)
        styles = StyleStack(console.get_style("none", default="none"))
        for index, block in enumerate(self.blocks):
            if index or block.kind in ("table", "list"):  # as rich.markdown separates blocks
                yield Segment.line()
            yield from console.render(_build(block, console, styles), options)


def _build(block: _Block, console: Console, styles: StyleStack) -> _Bullets | Table | Text:
    def enter(name: str) -> None:
        styles.push(console.get_style(f"markdown.{name}", default="none"))

    def text(pieces: tuple[Piece, ...], justify: str) -> Text:
        out = Text(justify=justify)  # type: ignore[arg-type]
        for value, around in pieces:
            for name in around:
                enter(name)
            out.append(" " if value == "\n" else value, styles.current)
            for _ in around:
                styles.pop()
        return out

    if block.kind == "heading":
        enter(f"h{block.level}")
        heading = text(block.rows[0][0], "center" if block.level == 1 else "left")
        styles.pop()
        return heading
    if block.kind == "paragraph":
        enter("paragraph")
        paragraph = text(block.rows[0][0], "left")
        styles.pop()
        return paragraph
    if block.kind == "list":
        enter("item")
        item_style = styles.current
        enter("paragraph")
        items = [text(row[0], "left") for row in block.rows]
        styles.pop()
        styles.pop()
        return _Bullets(items, item_style)
    table = Table(
        box=box.SIMPLE,
        pad_edge=False,
        style="markdown.table.border",
        show_edge=True,
        collapse_padding=True,
    )
    for cell in block.rows[0]:
        heading = text(cell, "default")
        heading.stylize("markdown.table.header")
        table.add_column(heading)
    for row in block.rows[1:]:
        table.add_row(*(text(cell, "default") for cell in row))
    return table


class _Bullets:
    """A bullet list: ` • ` before each item's first line, three spaces before the others."""

    def __init__(self, items: list[Text], style: Style) -> None:
        self.items = items
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        inner = options.update(width=options.max_width - 3)
        bullet_style = console.get_style("markdown.item.bullet", default="none")
        for item in self.items:
            lines = console.render_lines(item, inner, style=self.style)
            yield from _bullet_lines(lines, bullet_style)


def _bullet_lines(lines: list[list[Segment]], style: Style) -> Iterator[Segment]:
    for number, line in enumerate(lines):
        yield Segment(" • " if number == 0 else "   ", style)
        yield from line
        yield Segment("\n")
