"""The git store's layout: records and checkpoints in segment files of bounded size, in
sub-folders of bounded size.

Records are in `log/AAA/BBB/AAABBBCCCDDD.jsonl`, checkpoints in
`checkpoints/AAA/BBB/AAABBBCCCDDD.jsonl`: the file name is the 12-digit, zero-padded index (from
0) of its first line, the two sub-folders are its first three and next three digits. A segment
holds at most SEGMENT_LINES lines and a new one starts only when the last is full, so segments
start at least SEGMENT_LINES (1,000) lines apart: a `BBB` folder (a range of 10^6 indexes) holds
at most 1,000 segments, and every folder at most 1,000 entries for any log the names can
express. An append rewrites the last segment of each file, the folders on its path (three
trees of at most 1,000 entries) and `state.json`, the tip: nothing it reads or writes grows with
the log.

Earlier layouts stay where they are, frozen, and the log continues after them: `audit.jsonl`
and `checkpoints.jsonl` at the root (first layout), then segments directly in `log/` and
`checkpoints/` (second layout; the last one is filled up before new segments go into
sub-folders). Nothing is moved, so every file of the branch only ever grows.
"""

from __future__ import annotations

from genai_gate.gates.audit.chain import CHECKPOINTS_FILE, LOG_FILE

SEGMENT_LINES = 1000
"""Lines per segment file (the last one may hold fewer)."""
LOG_DIR = "log"
CHECKPOINTS_DIR = "checkpoints"
STATE_FILE = "state.json"
FOLDERS = {LOG_FILE: LOG_DIR, CHECKPOINTS_FILE: CHECKPOINTS_DIR}
"""The folder of segments that continues each file of the first layout."""
SUFFIX = ".jsonl"


def segment_name(folder: str, first: int) -> str:
    """Path of the segment whose first line is line `first` (from 0) of the whole file."""
    digits = f"{first:012d}"
    return f"{folder}/{digits[:3]}/{digits[3:6]}/{digits}{SUFFIX}"


def first_line(path: str) -> int | None:
    """The index of the first line of the segment at `path` (its file name), or None when the
    path is not a segment."""
    name = path.rsplit("/", 1)[-1]
    digits = name.removesuffix(SUFFIX)
    return int(digits) if name.endswith(SUFFIX) and digits.isdigit() else None


def in_order(files: dict[str, str], legacy: str) -> list[str]:
    """Paths that make up one logical file: the first layout's file, then the segments under
    its folder (at any depth) in order of their first line."""
    folder = FOLDERS[legacy] + "/"
    found = [(first_line(p), p) for p in files if p.startswith(folder)]
    segments = [p for _, p in sorted((i, p) for i, p in found if i is not None)]
    return ([legacy] if legacy in files else []) + segments


def last_segment(files: dict[str, str], legacy: str) -> tuple[str, int] | None:
    """The last segment of a logical file and the index of its first line, if there is one."""
    paths = in_order(files, legacy)
    if not paths or paths[-1] == legacy:
        return None
    first = first_line(paths[-1])
    assert first is not None
    return paths[-1], first


def place(
    folder: str, last: tuple[str, int, bytes] | None, total: int, lines: list[bytes]
) -> dict[str, bytes]:
    """The segments an append writes, path -> full content.

    `last` is the last segment (path, index of its first line, content), `total` the number of
    lines before the append; the last segment is filled up to SEGMENT_LINES where it is, then
    new ones start at their sub-folder path.
    """
    path, first, content = last if last is not None else ("", total, b"")
    if total - first >= SEGMENT_LINES:
        path, first, content = "", total, b""
    parts, count = [content], total - first
    out: dict[str, bytes] = {}
    for line in lines:
        if count == SEGMENT_LINES:
            out[path or segment_name(folder, first)] = b"".join(parts)
            path, first, parts, count = "", first + count, [], 0
        parts.append(line)
        count += 1
    out[path or segment_name(folder, first)] = b"".join(parts)
    return out
