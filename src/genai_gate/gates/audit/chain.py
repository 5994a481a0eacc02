"""The hash chain over lines of the log: verifying records, Merkle roots and signed checkpoints
as they stream by, and extending the chain with new records and a checkpoint.

Verification streams: records and checkpoints are read line by line, the Merkle tree is kept as
its frontier (O(log n) hashes) and only a bounded window of records is held, so a log of any
size verifies in constant memory. The state after the last record (`Tip`) is all an append
needs: stores that keep it (the local store) append without reading the log again.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from genai_gate.canonical import parse_self_hashed, self_hashed
from genai_gate.gates.audit import merkle, record_check
from genai_gate.gates.audit.checkpoint import GENESIS, LEGACY_HMAC, Checkpoint
from genai_gate.gates.audit.keys import Keyring, SigningKey

LOG_FILE = "audit.jsonl"
CHECKPOINTS_FILE = "checkpoints.jsonl"
MAX_PROBLEMS = 500
"""Problems kept in full; more are counted (a rewritten log can have one per record)."""
LOOKAHEAD = 64
"""Records read ahead to tell a deleted record from a reordered one."""


@dataclass(frozen=True)
class Problem:
    """One integrity problem, pointing at a line of the log or of the checkpoints."""

    kind: str
    """Stable id: corrupt, unknown-field, invalid-field, not-canonical, modified, forged-prev,
    deleted, reordered, uncovered, truncated, missing-log, history-*, checkpoint-*."""
    message: str
    file: str = LOG_FILE
    line: int | None = None
    seq: int | None = None


@dataclass
class Tip:
    """The verified state after the last record: what an append continues from."""

    size: int = 0
    head_hash: str = GENESIS
    frontier: merkle.Frontier = field(default_factory=merkle.Frontier)
    checkpoint: Checkpoint | None = None
    """The latest checkpoint."""
    checkpoints: int = 0
    """Number of checkpoint lines."""
    log_bytes: int = 0
    """Bytes of audit.jsonl read."""
    checkpoints_bytes: int = 0
    """Bytes of checkpoints.jsonl read."""
    last_deploys: dict[str, dict[str, Any]] = field(default_factory=dict)
    """environment -> the last successful deploy record (the release a rollback returns to)."""

    def copy(self) -> Tip:
        """An independent copy (the frontier is mutable)."""
        return replace(self, frontier=self.frontier.copy(), last_deploys=dict(self.last_deploys))

    def to_json(self) -> dict[str, Any]:
        """The tip as a JSON object (the local store's state file)."""
        return {
            "size": self.size,
            "head_hash": self.head_hash,
            "frontier": self.frontier.to_list(),
            "checkpoint": self.checkpoint.as_json() if self.checkpoint else None,
            "checkpoints": self.checkpoints,
            "log_bytes": self.log_bytes,
            "checkpoints_bytes": self.checkpoints_bytes,
            "last_deploys": self.last_deploys,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tip:
        """The inverse of `to_json`; ValueError/KeyError/TypeError when malformed."""
        checkpoint = data["checkpoint"]
        return cls(
            size=int(data["size"]),
            head_hash=str(data["head_hash"]),
            frontier=merkle.Frontier.from_list(data["frontier"]),
            checkpoint=Checkpoint.parse(checkpoint) if checkpoint else None,
            checkpoints=int(data["checkpoints"]),
            log_bytes=int(data["log_bytes"]),
            checkpoints_bytes=int(data["checkpoints_bytes"]),
            last_deploys=dict(data["last_deploys"]),
        )


def tip_holds(
    tip: Tip, keys: Keyring, last_record: bytes | None, last_checkpoint: bytes | None
) -> bool:
    """Whether a stored tip is the state after the last record: its checkpoint verifies and
    matches its size, head hash and Merkle frontier, the last checkpoint line is that
    checkpoint, and the last record line (without newline) hashes to the head with the last seq.
    What an append checks instead of reading the log."""
    cp = tip.checkpoint
    if cp is None or keys.problem(cp) is not None:
        return False
    if (cp.size, cp.head_hash, cp.root) != (tip.size, tip.head_hash, tip.frontier.root().hex()):
        return False
    if last_checkpoint != cp.line() or last_record is None:
        return False
    try:
        raw, _, digest = parse_self_hashed(last_record, "hash")
    except ValueError:
        return False
    return (
        isinstance(raw, dict)
        and raw.get("hash") == digest == tip.head_hash
        and raw.get("seq") == tip.size - 1
    )


@dataclass
class Scan:
    """What verifying the log found, and the state after its last record."""

    tip: Tip = field(default_factory=Tip)
    problems: list[Problem] = field(default_factory=list)
    omitted: int = 0
    """Problems beyond MAX_PROBLEMS, counted only."""
    legacy: int = 0
    """Legacy HMAC checkpoints accepted with their secret."""
    found: set[str] = field(default_factory=set)
    """Digests of `expect` that are in the checkpoints."""

    def add(self, problem: Problem) -> None:
        """Record a problem (counted only past MAX_PROBLEMS)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.omitted += 1

    @property
    def head_hash(self) -> str:
        """Hash of the last record, or the genesis value."""
        return self.tip.head_hash

    @property
    def size(self) -> int:
        """Number of records read."""
        return self.tip.size


@dataclass
class Entry:
    """A parsed log line."""

    line: int
    raw: dict[str, Any]
    stored_hash: str
    computed_hash: str


def missing_log(location: str) -> Problem:
    """The problem of a log that is not there at all."""
    return Problem(
        "missing-log",
        f"no audit log at {location}: the folder, file or branch is missing or empty (a log "
        "that was never written passes only with --allow-empty, before the first deploy)",
    )


def utc_now() -> str:
    """Current time, ISO-8601 UTC with milliseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def numbered(
    chunks: Iterable[bytes], file: str, first: int, scan: Scan
) -> Iterator[tuple[int, bytes]]:
    """(line number, line without newline); a last line without newline is half-written."""
    line = first
    for chunk in chunks:
        if not chunk.endswith(b"\n"):
            scan.add(Problem("corrupt", "last line has no newline: half-written", file, line))
            return
        yield line, chunk[:-1]
        line += 1


def _schema_problems(raw: dict[str, Any], line: int) -> list[Problem]:
    # pydantic-core checks a record faster than record_check; verify alone imports it
    from pydantic import ValidationError

    from genai_gate.gates.audit.record import AuditRecord

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


def _entries(
    lines: Iterable[tuple[int, bytes]], scan: Scan, *, check_schema: bool
) -> Iterator[tuple[Entry, int]]:
    """Parsed records with their byte length (newline included)."""
    for line, chunk in lines:
        try:
            raw, canonical, digest = parse_self_hashed(chunk, "hash")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            scan.add(Problem("corrupt", f"not a JSON record: {exc}", LOG_FILE, line))
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("hash"), str):
            scan.add(Problem("corrupt", "not an audit record object", LOG_FILE, line))
            continue
        if check_schema:
            for problem in _schema_problems(raw, line):
                scan.add(problem)
        if not canonical:
            scan.add(
                Problem("not-canonical", "line is not RFC 8785 canonical JSON", LOG_FILE, line)
            )
        yield Entry(line, raw, raw["hash"], digest), len(chunk) + 1


def _span(values: Sequence[int]) -> str:
    return str(values[0]) if len(values) == 1 else f"{values[0]}..{values[-1]}"


def _hash_bytes(value: str) -> bytes:
    try:
        return bytes.fromhex(value)
    except ValueError:
        return value.encode("utf-8")


class _Verifier:
    """Checks one record or checkpoint at a time, continuing from a tip."""

    def __init__(self, scan: Scan, keys: Keyring | None, expect: frozenset[str]) -> None:
        self.scan = scan
        self.tip = scan.tip
        self.keys = keys
        self.expect = expect
        self.offset = 0
        """seq - position of the previous record (0 while nothing is out of place)."""
        self.seen_max = self.tip.size - 1
        self.good = self.tip.checkpoint.size if self.tip.checkpoint else 0
        self.previous_line: int | None = None

    def record(self, entry: Entry, nbytes: int, ahead: Counter[object]) -> None:
        index, tip = self.tip.size, self.tip
        seq = entry.raw.get("seq")
        name = f"record seq {seq}"
        if entry.computed_hash != entry.stored_hash:
            self.scan.add(
                Problem(
                    "modified",
                    f"{name}: content modified: it hashes to {entry.computed_hash[:16]}..., "
                    f"the stored hash is {entry.stored_hash[:16]}...",
                    LOG_FILE,
                    entry.line,
                    seq,
                )
            )
        if isinstance(seq, int) and seq - index != self.offset and seq != index:
            missing = [s for s in range(index, seq) if s > self.seen_max and s not in ahead]
            if missing:
                kind, why = "deleted", f"record(s) seq {_span(missing)} deleted"
            else:
                kind, why = "reordered", "records reordered, inserted or duplicated"
            self.scan.add(
                Problem(
                    kind,
                    f"{name} found at position {index} where seq {index} belongs: {why}",
                    LOG_FILE,
                    entry.line,
                    seq,
                )
            )
        if isinstance(seq, int):
            self.offset = seq - index
            self.seen_max = max(self.seen_max, seq)
        if entry.raw.get("prev") != tip.head_hash:
            before = (
                f"the record before it (line {self.previous_line or index})"
                if index
                else "the genesis value"
            )
            self.scan.add(
                Problem(
                    "forged-prev",
                    f"{name}: prev does not match the hash of {before}: forged prev, or a record "
                    "before it was deleted, inserted, reordered or rewritten",
                    LOG_FILE,
                    entry.line,
                    seq,
                )
            )
        tip.frontier.append(merkle.leaf_hash(_hash_bytes(entry.stored_hash)))
        tip.size += 1
        tip.head_hash = entry.stored_hash
        tip.log_bytes += nbytes
        raw = entry.raw
        if raw.get("event") == "deploy" and raw.get("success") and raw.get("environment"):
            tip.last_deploys[str(raw["environment"])] = raw
        self.previous_line = entry.line

    def checkpoint(self, cp: Checkpoint, line: int, nbytes: int) -> None:
        """Signature, the checkpoint chain, and the records when it covers exactly the log."""
        tip, prev = self.tip, self.tip.checkpoint
        where = f"checkpoint size {cp.size}"
        assert self.keys is not None
        bad = self.keys.problem(cp)
        if bad is not None:
            covers = f" (it covers records seq 0..{cp.size - 1})" if cp.size else ""
            self.scan.add(Problem(bad[0], f"{where}: {bad[1]}{covers}", CHECKPOINTS_FILE, line))
        elif cp.algorithm == LEGACY_HMAC:
            self.scan.legacy += 1
        expected = prev.digest() if prev else GENESIS
        if cp.prev_checkpoint != expected or (prev is not None and cp.size <= prev.size):
            self.scan.add(
                Problem(
                    "checkpoint-chain",
                    f"{where}: does not follow checkpoint {tip.checkpoints}: "
                    "a checkpoint was deleted, reordered or modified",
                    CHECKPOINTS_FILE,
                    line,
                )
            )
        if cp.size == tip.size:
            self._compare(cp, line)
        digest = cp.digest()
        if digest in self.expect:
            self.scan.found.add(digest)
        tip.checkpoint = cp
        tip.checkpoints += 1
        tip.checkpoints_bytes += nbytes

    def _compare(self, cp: Checkpoint, line: int) -> None:
        root = self.tip.frontier.root().hex()
        if root == cp.root and self.tip.head_hash == cp.head_hash:
            self.good = cp.size
            return
        what = "Merkle root" if root != cp.root else "head hash"
        self.scan.add(
            Problem(
                "checkpoint-mismatch",
                f"checkpoint size {cp.size}: {what} does not match records 0..{cp.size - 1}: "
                f"records seq {self.good}..{cp.size - 1} were changed after it was signed",
                CHECKPOINTS_FILE,
                line,
                self.good,
            )
        )

    def finish(self) -> None:
        """Truncation (a checkpoint beyond the log) or records no checkpoint covers."""
        tip = self.tip
        latest = tip.checkpoint
        count = tip.size
        if latest is not None and latest.size > count:
            self.scan.add(
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
            self.scan.add(
                Problem(
                    "uncovered",
                    f"records seq {_span(range(start, count))} are not covered by a signed "
                    "checkpoint: appended without the signing key",
                    LOG_FILE,
                    start + 1,
                    start,
                )
            )


def _checkpoints(
    lines: Iterable[tuple[int, bytes]], scan: Scan
) -> Iterator[tuple[Checkpoint, int, int]]:
    for line, chunk in lines:
        try:
            raw = json.loads(chunk)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            scan.add(
                Problem(
                    "checkpoint-corrupt", f"not a JSON checkpoint: {exc}", CHECKPOINTS_FILE, line
                )
            )
            continue
        try:
            checkpoint = Checkpoint.parse(raw)
        except ValueError as exc:
            scan.add(Problem("checkpoint-corrupt", str(exc), CHECKPOINTS_FILE, line))
            continue
        yield checkpoint, line, len(chunk) + 1


def _with_lookahead(
    entries: Iterator[tuple[Entry, int]],
) -> Iterator[tuple[Entry, int, Counter[object]]]:
    """Each entry with the seqs of the next LOOKAHEAD entries (counted, kept up to date)."""
    window: deque[tuple[Entry, int]] = deque()
    ahead: Counter[object] = Counter()  # raw `seq` values, malformed ones too

    def pop() -> tuple[Entry, int]:
        entry, nbytes = window.popleft()
        seq = entry.raw.get("seq")
        ahead[seq] -= 1
        if not ahead[seq]:
            del ahead[seq]
        return entry, nbytes

    for item in entries:
        window.append(item)
        ahead[item[0].raw.get("seq")] += 1
        if len(window) > LOOKAHEAD:
            yield (*pop(), ahead)
    while window:
        yield (*pop(), ahead)


def scan(
    log: Iterable[bytes],
    checkpoints: Iterable[bytes],
    keys: Keyring | None,
    *,
    start: Tip | None = None,
    visit: Callable[[dict[str, Any]], None] | None = None,
    expect: Iterable[str] = (),
    check_schema: bool = True,
) -> Scan:
    """Verify the chain, and with keys the checkpoints (without keys: the chain only).

    `log` and `checkpoints` yield lines with their newline; with `start`, they are what follows
    that tip. `visit` sees every record; `expect` lists checkpoint digests to look for.
    """
    result = Scan(tip=start.copy() if start else Tip())
    verifier = _Verifier(result, keys, frozenset(expect))
    log_lines = numbered(log, LOG_FILE, result.tip.size + 1, result)
    cps: Iterator[tuple[Checkpoint, int, int]] = iter(())
    if keys is not None:
        cps = _checkpoints(
            numbered(checkpoints, CHECKPOINTS_FILE, result.tip.checkpoints + 1, result), result
        )
    pending = next(cps, None)
    for entry, nbytes, ahead in _with_lookahead(
        _entries(log_lines, result, check_schema=check_schema)
    ):
        verifier.record(entry, nbytes, ahead)
        if visit is not None:
            visit(entry.raw)
        while pending is not None and pending[0].size <= result.tip.size:
            verifier.checkpoint(*pending)
            pending = next(cps, None)
    while pending is not None:
        verifier.checkpoint(*pending)
        pending = next(cps, None)
    if keys is not None:
        verifier.finish()
    return result


def scan_bytes(log: bytes, checkpoints: bytes, keys: Keyring | None, **options: Any) -> Scan:
    """`scan` over whole files held in memory."""
    return scan(
        log.splitlines(keepends=True), checkpoints.splitlines(keepends=True), keys, **options
    )


@dataclass
class Appended:
    """What an append adds: record lines, one checkpoint line, and the tip after them."""

    records: list[dict[str, Any]]
    """The records added, as written (JSON objects)."""
    log_lines: bytes
    checkpoint: Checkpoint
    checkpoint_line: bytes
    tip: Tip


def seal(draft: dict[str, Any], seq: int, prev: str) -> tuple[dict[str, Any], bytes]:
    """Check and complete a draft (record fields without seq/prev/hash); return the record and
    its line. A draft that is not a record is a ConfigError naming each field."""
    record = record_check.complete({**draft, "seq": seq, "prev": prev, "hash": GENESIS})
    digest, line = self_hashed(record, "hash")
    record["hash"] = digest
    return record, line


Sealer = Callable[[dict[str, Any], int, str], tuple[dict[str, Any], bytes]]
"""Turns a draft into the record at (seq, prev) and its line, as `seal` does."""


def extend(
    tip: Tip,
    drafts: Sequence[dict[str, Any]],
    key: SigningKey,
    now: Callable[[], str] = utc_now,
    sealer: Sealer = seal,
) -> Appended:
    """Seal drafts after `tip` and sign one checkpoint over the result (`tip` is unchanged).

    `sealer` replaces `seal` where the lines are known to be the same (a benchmark filling a
    template); whatever it returns is verified like any other line when the log is read."""
    new = tip.copy()
    records, lines = [], []
    deploys: dict[str, bytes] = {}
    for draft in drafts:
        record, line = sealer(draft, new.size, new.head_hash)
        records.append(record)
        lines.append(line + b"\n")
        new.frontier.append(merkle.leaf_hash(bytes.fromhex(record["hash"])))
        new.size += 1
        new.head_hash = record["hash"]
        new.log_bytes += len(lines[-1])
        if record["event"] == "deploy" and record["success"]:
            deploys[record["environment"]] = line
    new.last_deploys.update({env: json.loads(line) for env, line in deploys.items()})
    checkpoint = key.make(
        size=new.size,
        head_hash=new.head_hash,
        root=new.frontier.root().hex(),
        prev=tip.checkpoint,
        timestamp=now(),
    )
    cp_line = checkpoint.line() + b"\n"
    new.checkpoint = checkpoint
    new.checkpoints += 1
    new.checkpoints_bytes += len(cp_line)
    return Appended(records, b"".join(lines), checkpoint, cp_line, new)
