"""Reading, verifying and appending the log: hash chain, Merkle roots and signed checkpoints.

Pure functions over the bytes of `audit.jsonl` and `checkpoints.jsonl`; stores move the bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from pydantic import ValidationError

from genai_gate.gates.audit import merkle
from genai_gate.gates.audit.canonical import parse_self_hashed, self_hashed
from genai_gate.gates.audit.checkpoint import Checkpoint
from genai_gate.gates.audit.keys import Keyring, SigningKey
from genai_gate.gates.audit.record import GENESIS, AuditRecord

LOG_FILE = "audit.jsonl"
CHECKPOINTS_FILE = "checkpoints.jsonl"


@dataclass(frozen=True)
class Problem:
    """One integrity problem, pointing at a line of the log or of the checkpoints."""

    kind: str
    """Stable id: corrupt, unknown-field, invalid-field, not-canonical, modified, forged-prev,
    deleted, reordered, uncovered, truncated, checkpoint-*."""
    message: str
    file: str = LOG_FILE
    line: int | None = None
    seq: int | None = None


@dataclass
class Entry:
    """A parsed log line."""

    line: int
    raw: dict[str, Any]
    stored_hash: str
    computed_hash: str


@dataclass
class Scan:
    """Everything learnt from reading the log once."""

    entries: list[Entry] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    frontier: merkle.Frontier = field(default_factory=merkle.Frontier)

    @property
    def head_hash(self) -> str:
        """Hash of the last record, or the genesis value."""
        return self.entries[-1].stored_hash if self.entries else GENESIS

    def leaves(self) -> list[bytes]:
        """Merkle leaf hashes of all records, in order."""
        return [merkle.leaf_hash(bytes.fromhex(e.stored_hash)) for e in self.entries]


def utc_now() -> str:
    """Current time, ISO-8601 UTC with milliseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _lines(data: bytes, file: str, problems: list[Problem]) -> list[tuple[int, bytes]]:
    """Numbered non-final lines; a last line without newline is reported as half-written."""
    if not data:
        return []
    chunks = data.split(b"\n")
    if chunks[-1]:
        problems.append(
            Problem("corrupt", "last line has no newline: half-written", file, len(chunks))
        )
    return list(enumerate(chunks[:-1], start=1))


def _parse_json(chunk: bytes, line: int, file: str, problems: list[Problem]) -> Any:
    try:
        return json.loads(chunk)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        problems.append(Problem("corrupt", f"not a JSON record: {exc}", file, line))
        return None


def _schema_problems(raw: dict[str, Any], line: int) -> list[Problem]:
    try:
        AuditRecord.model_validate(raw)
    except ValidationError as exc:
        seq = raw.get("seq") if isinstance(raw.get("seq"), int) else None
        out = []
        for err in exc.errors(include_url=False):
            where = ".".join(str(p) for p in err["loc"])
            if err["type"] == "extra_forbidden":
                out.append(
                    Problem("unknown-field", f"unknown field {where!r}", LOG_FILE, line, seq)
                )
            else:
                out.append(Problem("invalid-field", f"{where}: {err['msg']}", LOG_FILE, line, seq))
        return out
    return []


def _parse_log(data: bytes, scan: Scan, *, check_schema: bool) -> None:
    for line, chunk in _lines(data, LOG_FILE, scan.problems):
        try:
            raw, canonical, digest = parse_self_hashed(chunk, "hash")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            scan.problems.append(Problem("corrupt", f"not a JSON record: {exc}", LOG_FILE, line))
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("hash"), str):
            scan.problems.append(Problem("corrupt", "not an audit record object", LOG_FILE, line))
            continue
        if check_schema:
            scan.problems.extend(_schema_problems(raw, line))
        if not canonical:
            scan.problems.append(
                Problem("not-canonical", "line is not RFC 8785 canonical JSON", LOG_FILE, line)
            )
        scan.entries.append(Entry(line, raw, raw["hash"], digest))


def _check_chain(scan: Scan) -> None:
    """seq without gaps, prev = hash of the previous record, hash = hash of the content."""
    seqs = [e.raw.get("seq") for e in scan.entries]
    present = {s for s in seqs if isinstance(s, int)}
    last_offset = 0
    for index, entry in enumerate(scan.entries):
        seq = entry.raw.get("seq")
        name = f"record seq {seq}"
        if entry.computed_hash != entry.stored_hash:
            scan.problems.append(
                Problem(
                    "modified",
                    f"{name}: content modified: it hashes to {entry.computed_hash[:16]}..., "
                    f"the stored hash is {entry.stored_hash[:16]}...",
                    LOG_FILE,
                    entry.line,
                    seq,
                )
            )
        if isinstance(seq, int) and seq - index != last_offset and seq != index:
            missing = [s for s in range(index, seq) if s not in present]
            if missing:
                kind, why = "deleted", f"record(s) seq {_span(missing)} deleted"
            else:
                kind, why = "reordered", "records reordered, inserted or duplicated"
            scan.problems.append(
                Problem(
                    kind,
                    f"{name} found at position {index} where seq {index} belongs: {why}",
                    LOG_FILE,
                    entry.line,
                    seq,
                )
            )
        if isinstance(seq, int):
            last_offset = seq - index
        expected_prev = scan.entries[index - 1].stored_hash if index else GENESIS
        if entry.raw.get("prev") != expected_prev:
            before = (
                f"the record before it (seq {scan.entries[index - 1].raw.get('seq')}, "
                f"line {scan.entries[index - 1].line})"
                if index
                else "the genesis value"
            )
            scan.problems.append(
                Problem(
                    "forged-prev",
                    f"{name}: prev does not match the hash of {before}: forged prev, or a record "
                    "before it was deleted, inserted, reordered or rewritten",
                    LOG_FILE,
                    entry.line,
                    seq,
                )
            )


def _span(values: Sequence[int]) -> str:
    return str(values[0]) if len(values) == 1 else f"{values[0]}..{values[-1]}"


def _parse_checkpoints(data: bytes, scan: Scan) -> list[int]:
    lines = []
    for line, chunk in _lines(data, CHECKPOINTS_FILE, scan.problems):
        raw = _parse_json(chunk, line, CHECKPOINTS_FILE, scan.problems)
        if raw is None:
            continue
        try:
            scan.checkpoints.append(Checkpoint.model_validate(raw))
            lines.append(line)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            scan.problems.append(
                Problem("checkpoint-corrupt", f"{where}: {first['msg']}", CHECKPOINTS_FILE, line)
            )
    return lines


def _check_checkpoints(scan: Scan, lines: list[int], keys: Keyring) -> None:
    """Signatures, the checkpoint chain, roots and head hashes at each size, truncation."""
    by_size: dict[int, list[int]] = {}
    prev: Checkpoint | None = None
    for i, (cp, line) in enumerate(zip(scan.checkpoints, lines, strict=True)):
        bad = keys.problem(cp)
        if bad is not None:
            scan.problems.append(
                Problem(bad[0], f"checkpoint size {cp.size}: {bad[1]}", CHECKPOINTS_FILE, line)
            )
        expected = prev.digest() if prev else GENESIS
        if cp.prev_checkpoint != expected or (prev is not None and cp.size <= prev.size):
            scan.problems.append(
                Problem(
                    "checkpoint-chain",
                    f"checkpoint size {cp.size}: does not follow checkpoint {i - 1}: "
                    "a checkpoint was deleted, reordered or modified",
                    CHECKPOINTS_FILE,
                    line,
                )
            )
        by_size.setdefault(cp.size, []).append(i)
        prev = cp
    good = 0
    for index, entry in enumerate(scan.entries):
        scan.frontier.append(merkle.leaf_hash(_hash_bytes(entry.stored_hash)))
        for i in by_size.get(index + 1, []):
            good = _compare(scan, scan.checkpoints[i], lines[i], entry.stored_hash, good)
    count = len(scan.entries)
    latest = scan.checkpoints[-1] if scan.checkpoints else None
    if latest is not None and latest.size > count:
        scan.problems.append(
            Problem(
                "truncated",
                f"log truncated: the latest signed checkpoint ({latest.timestamp}) covers "
                f"{latest.size} records but the log holds {count}; records seq "
                f"{_span(range(count, latest.size))} are missing",
                LOG_FILE,
                None,
                count,
            )
        )
    elif count > (latest.size if latest else 0):
        start = latest.size if latest else 0
        scan.problems.append(
            Problem(
                "uncovered",
                f"records seq {_span(range(start, count))} are not covered by a signed "
                "checkpoint: appended without the signing key",
                LOG_FILE,
                scan.entries[start].line,
                start,
            )
        )


def _hash_bytes(value: str) -> bytes:
    try:
        return bytes.fromhex(value)
    except ValueError:
        return value.encode("utf-8")


def _compare(scan: Scan, cp: Checkpoint, line: int, head: str, good: int) -> int:
    """Compare one checkpoint with the records; returns the size of the last matching one."""
    root = scan.frontier.root().hex()
    if root == cp.root and head == cp.head_hash:
        return cp.size
    what = "Merkle root" if root != cp.root else "head hash"
    scan.problems.append(
        Problem(
            "checkpoint-mismatch",
            f"checkpoint size {cp.size}: {what} does not match records 0..{cp.size - 1}: "
            f"records seq {good}..{cp.size - 1} were changed after it was signed",
            CHECKPOINTS_FILE,
            line,
            good,
        )
    )
    return good


def scan(
    log: bytes, checkpoints: bytes, keys: Keyring | None, *, check_schema: bool = True
) -> Scan:
    """Verify the chain, and with the keys the checkpoints (without keys: chain only)."""
    result = Scan()
    _parse_log(log, result, check_schema=check_schema)
    _check_chain(result)
    if keys is None:
        for entry in result.entries:
            result.frontier.append(merkle.leaf_hash(_hash_bytes(entry.stored_hash)))
        return result
    lines = _parse_checkpoints(checkpoints, result)
    _check_checkpoints(result, lines, keys)
    return result


@dataclass
class Appended:
    """The new contents after an append."""

    log: bytes
    checkpoints: bytes
    records: list[AuditRecord]
    checkpoint: Checkpoint


def seal(draft: dict[str, Any], seq: int, prev: str) -> tuple[AuditRecord, bytes]:
    """Validate a draft (record fields without seq/prev/hash); return the record and its line."""
    record = AuditRecord.model_validate({**draft, "seq": seq, "prev": prev, "hash": GENESIS})
    digest, line = self_hashed(record.model_dump(mode="json", exclude_none=True), "hash")
    return record.model_copy(update={"hash": digest}), line


def append(
    current: Scan,
    log: bytes,
    checkpoints: bytes,
    drafts: Sequence[dict[str, Any]],
    key: SigningKey,
    now: Callable[[], str] = utc_now,
) -> Appended:
    """Append drafts to a verified log and write one signed checkpoint after them."""
    records, lines = [], []
    prev = current.head_hash
    for offset, draft in enumerate(drafts):
        record, line = seal(draft, len(current.entries) + offset, prev)
        records.append(record)
        lines.append(line)
        current.frontier.append(merkle.leaf_hash(bytes.fromhex(record.hash)))
        prev = record.hash
    checkpoint = key.make(
        size=len(current.entries) + len(records),
        head_hash=prev,
        root=current.frontier.root().hex(),
        prev=current.checkpoints[-1] if current.checkpoints else None,
        timestamp=now(),
    )
    new_log = log + b"".join(line + b"\n" for line in lines)
    return Appended(new_log, checkpoints + checkpoint.line() + b"\n", records, checkpoint)
