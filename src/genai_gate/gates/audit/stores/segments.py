"""The git store's layout: records and checkpoints in segment files of bounded size.

Records are in `log/<seq of its first record>.jsonl`, checkpoints in
`checkpoints/<index of its first checkpoint>.jsonl` (12-digit zero-padded, so name order is log
order), each segment holding at most SEGMENT_LINES lines; `state.json` is the tip after the last
record. An append rewrites only the last segment of each folder (or starts the next one) and the
state file, so what it reads and writes does not grow with the log. A log written before this
layout keeps `audit.jsonl` and `checkpoints.jsonl` at the root, frozen: the segments continue it.
"""

from __future__ import annotations

from genai_gate.gates.audit.chain import CHECKPOINTS_FILE, LOG_FILE

SEGMENT_LINES = 1000
"""Lines per segment file (the last one may hold fewer)."""
LOG_DIR = "log"
CHECKPOINTS_DIR = "checkpoints"
STATE_FILE = "state.json"
FOLDERS = {LOG_FILE: LOG_DIR, CHECKPOINTS_FILE: CHECKPOINTS_DIR}
"""The folder of segments that continues each file of the earlier layout."""


def segment_name(folder: str, first: int) -> str:
    """Path of the segment whose first line is line `first` (from 0) of the whole file."""
    return f"{folder}/{first:012d}.jsonl"


def in_order(files: dict[str, str], legacy: str) -> list[str]:
    """Paths that make up one logical file: the earlier layout's file, then the segments."""
    folder = FOLDERS[legacy] + "/"
    segments = sorted(path for path in files if path.startswith(folder))
    return ([legacy] if legacy in files else []) + segments


def last_segment(files: dict[str, str], legacy: str) -> tuple[str, int] | None:
    """The last segment of a logical file and the index of its first line, if there is one."""
    paths = in_order(files, legacy)
    if not paths or paths[-1] == legacy:
        return None
    return paths[-1], int(paths[-1].rsplit("/", 1)[1].removesuffix(".jsonl"))


def place(
    folder: str, last: tuple[int, bytes] | None, total: int, lines: list[bytes]
) -> dict[str, bytes]:
    """The segments an append writes, path -> full content.

    `last` is the last segment (index of its first line, content), `total` the number of lines
    before the append; the last segment is filled up to SEGMENT_LINES, then new ones start.
    """
    first, content = last if last is not None else (total, b"")
    if total - first >= SEGMENT_LINES:
        first, content = total, b""
    parts, count = [content], total - first
    out: dict[str, bytes] = {}
    for line in lines:
        if count == SEGMENT_LINES:
            out[segment_name(folder, first)] = b"".join(parts)
            first, parts, count = first + count, [], 0
        parts.append(line)
        count += 1
    out[segment_name(folder, first)] = b"".join(parts)
    return out
