"""Content-addressed response cache in append-only pack files, safe to merge across jobs.

Key = sha256 of the canonical JSON of (target identity, full request, sample index). A run that
stores answers appends them, one canonical-JSON line per entry, to a pack file of its own,
`<dir>/packs/<time>-<pid>-<random>.jsonl`. Parallel jobs and `actions/cache` restores merge by
file union without coordination: names never collide, and a key found in two packs holds the
same answer. A reader indexes every pack on its first lookup and parses an entry only when it is
hit; a last line cut short (a killed run) is skipped. Folders written by genai-gate 0.1.0 (one
file per entry, `<dir>/<key[:2]>/<key>.json`) are still read.

Why packs rather than a file per entry: creating a file costs 0.3-0.5 ms of system time on an
ext4 runner disk (10,000 answers: 3-4.6 s of CPU, more than the rest of the run), appending a
line a few microseconds. When a folder holds more than `COMPACT_AT` packs, the writer merges them
into one (written under a temporary name, then renamed; the merged packs are removed after).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from pathlib import Path
from typing import IO, Any, Literal

from genai_gate.canonical import canonical_bytes, sha256_hex
from genai_gate.errors import InfraError
from genai_gate.targets.interface import ChatResponse, TokenUsage, ToolCall

CacheMode = Literal["off", "read-write", "replay-only"]
FORMAT_VERSION = 1


def cache_key(identity: Any, payload: Any, sample: int) -> str:
    """Hex sha256 of the RFC 8785 canonical JSON of (identity, request payload, sample index)."""
    return key_of(canonical_text(identity), canonical_text(payload), sample)


def canonical_text(value: Any) -> str:
    """RFC 8785 canonical JSON of `value`, as text (a part of keys and entry lines)."""
    return canonical_bytes(value).decode("utf-8")


def key_of(identity_json: str, request_json: str, sample: int) -> str:
    """`cache_key` from the canonical JSON of its parts: canonical JSON nests (an object's form is
    its members' forms in key order: request, sample, target), so a run encodes its target's
    identity once, not once per request."""
    text = f'{{"request":{request_json},"sample":{int(sample)},"target":{identity_json}}}'
    return sha256_hex(text.encode("utf-8"))


def response_to_json(response: ChatResponse) -> dict[str, Any]:
    """Plain-data form of a response (what a cache entry stores)."""
    return {
        "content": response.content,
        "tool_calls": [
            {"name": c.name, "arguments": c.arguments, "raw_arguments": c.raw_arguments, "id": c.id}
            for c in response.tool_calls
        ],
        "usage": {
            "prompt_tokens": response.usage.prompt_tokens,
            "completion_tokens": response.usage.completion_tokens,
        },
        "model": response.model,
        "latency_ms": response.latency_ms,
    }


def response_from_json(data: dict[str, Any], cached: bool = True) -> ChatResponse:
    """Inverse of `response_to_json`."""
    usage = data.get("usage") or {}
    return ChatResponse(
        content=data.get("content") or "",
        tool_calls=tuple(
            ToolCall(
                name=c["name"],
                arguments=c.get("arguments") or {},
                raw_arguments=c.get("raw_arguments", ""),
                id=c.get("id", ""),
            )
            for c in data.get("tool_calls") or ()
        ),
        usage=TokenUsage(
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
        ),
        model=data.get("model"),
        latency_ms=float(data.get("latency_ms") or 0.0),
        cached=cached,
    )


PACKS = "packs"
"""Sub-folder of the pack files."""
COMPACT_AT = 64
"""Packs in a folder above which a writer merges them into one when it closes."""
SETTLED_S = 3600.0
"""Age after which a pack of another run is merged and removed (it is no longer written)."""
_KEY_PREFIX = '{"key":"'
"""Every entry line starts with its key (canonical JSON sorts `key` first)."""


class ResponseCache:
    """A folder of cache entries; `mode` says whether it is read and written."""

    def __init__(self, root: Path, mode: CacheMode = "read-write") -> None:
        self.root = Path(root)
        self.mode = mode
        self._index: dict[str, str] | None = None
        """Entry lines by key, from every pack (read on the first lookup)."""
        self._read_packs: list[Path] = []
        self._legacy = False
        """The folder also holds 0.1.0 entries (one file per key)."""
        self._pack: IO[str] | None = None
        self._pack_path: Path | None = None

    key = staticmethod(cache_key)

    def legacy_path(self, key: str) -> Path:
        """File of the entry `key` in the one-file-per-entry layout of genai-gate 0.1.0."""
        return self.root / key[:2] / f"{key}.json"

    def entry_keys(self) -> set[str]:
        """Keys of the entries found in packs and 0.1.0 files (a damaged one reads as a miss)."""
        found = set(self._load())
        if self._legacy:
            found |= {p.stem for p in self.root.glob("??/*.json")}
        return found

    def get(self, key: str) -> ChatResponse | None:
        """The cached response, or None on a miss (an unreadable entry counts as a miss)."""
        if self.mode == "off":
            return None
        line = self._load().get(key)
        if line is None and self._legacy:
            try:
                line = self.legacy_path(key).read_text(encoding="utf-8")
            except OSError:
                return None
        return None if line is None else _decode(line, key)

    def get_canonical(self, key: str, identity_json: str, request_json: str) -> ChatResponse | None:
        """`get` for the key `key_of(identity_json, request_json, sample)`: an entry line written
        for it is exactly `{"key":..,"request":REQUEST,"response":..,"target":IDENTITY,..}`, so
        only its response is parsed; any other line is decoded in full, as by `get`."""
        if self.mode == "off":
            return None
        line = self._load().get(key)
        if line is None:
            return self.get(key)  # a 0.1.0 entry file, or a miss
        head = f'{_KEY_PREFIX}{key}","request":{request_json},"response":'
        tail = f',"target":{identity_json},"version":{FORMAT_VERSION}}}'
        if line.startswith(head) and line.endswith(tail) and len(line) > len(head) + len(tail):
            with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):
                return response_from_json(json.loads(line[len(head) : -len(tail)]))
        return _decode(line, key)

    def put(
        self, key: str, response: ChatResponse, identity: Any = None, request: Any = None
    ) -> None:
        """Append an entry to this cache's own pack (created on the first put)."""
        self.put_canonical(key, response, canonical_text(identity), canonical_text(request))

    def put_canonical(
        self, key: str, response: ChatResponse, identity_json: str, request_json: str
    ) -> None:
        """`put` with the target identity and request already in canonical JSON (`key_of`)."""
        if self.mode != "read-write":
            return
        answer = canonical_text(response_to_json(response))
        line = (  # the canonical JSON of the entry: its members in key order, `key` first
            f'{{"key":{canonical_text(key)},"request":{request_json},"response":{answer},'
            f'"target":{identity_json},"version":{FORMAT_VERSION}}}'
        )
        pack = self._pack or self._open_pack()
        try:
            pack.write(line + "\n")
        except OSError as exc:
            raise InfraError(f"cannot write the response cache {self._pack_path}: {exc}") from None
        # Not kept in memory: a run asks for a key once (the miss that led to this put).

    def flush(self) -> None:
        """Write buffered entries to disk (a later run, or a parallel job, can read them)."""
        if self._pack is not None:
            try:
                self._pack.flush()
            except OSError as exc:
                raise InfraError(
                    f"cannot write the response cache {self._pack_path}: {exc}"
                ) from None

    def close(self) -> None:
        """Flush and close this cache's pack; merge the folder's packs when there are many."""
        if self._pack is None:
            return
        try:
            self.flush()
        finally:
            self._pack.close()
            self._pack = None
        if len(self._read_packs) >= COMPACT_AT:
            self._compact()

    def _open_pack(self) -> IO[str]:
        folder = self.root / PACKS
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(4)}.jsonl"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._pack = open(folder / name, "x", encoding="utf-8", buffering=1 << 16)  # noqa: SIM115
        except OSError as exc:
            raise InfraError(f"cannot write the response cache at {self.root}: {exc}") from None
        self._pack_path = folder / name
        return self._pack

    def _load(self) -> dict[str, str]:
        if self._index is not None:
            return self._index
        index: dict[str, str] = {}
        folder = self.root / PACKS
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith(".jsonl"))
        except OSError:
            names = []
        for name in names:
            try:
                text = (folder / name).read_text(encoding="utf-8")
            except OSError:  # merged and removed by another job meanwhile
                continue
            self._read_packs.append(folder / name)
            lines = text.split("\n")
            for line in lines[:-1]:  # the last piece is "" or a line cut short
                if line.startswith(_KEY_PREFIX):
                    index[line[len(_KEY_PREFIX) : len(_KEY_PREFIX) + 64]] = line
        try:
            self._legacy = any(
                len(n) == 2 and all(c in "0123456789abcdef" for c in n)
                for n in os.listdir(self.root)
            )
        except OSError:
            self._legacy = False
        self._index = index
        return index

    def _compact(self) -> None:
        """Merge every pack read (plus this run's) into one; a concurrent merge only duplicates."""
        index = dict(self._load())
        if self._pack_path is not None:  # this run's entries, read back from its closed pack
            own = self._pack_path.read_text(encoding="utf-8").split("\n")[:-1]
            index.update((line[len(_KEY_PREFIX) : len(_KEY_PREFIX) + 64], line) for line in own)
        stamp = time.strftime("%Y%m%dT%H%M%S")
        merged = self.root / PACKS / f"{stamp}-merged-{secrets.token_hex(4)}.jsonl"
        temporary = merged.with_name(f".{merged.name}.tmp")
        try:
            temporary.write_text("".join(line + "\n" for line in index.values()), encoding="utf-8")
            os.replace(temporary, merged)
        except OSError:  # merging is an optimisation: the packs stay as they are
            temporary.unlink(missing_ok=True)
            return
        settled = time.time() - SETTLED_S
        for pack in self._read_packs:  # a young pack may still be written by a parallel job
            with contextlib.suppress(OSError):
                if pack.stat().st_mtime < settled:
                    pack.unlink()
        if self._pack_path is not None:
            self._pack_path.unlink(missing_ok=True)
        self._read_packs = [merged]


def _decode(line: str, key: str) -> ChatResponse | None:
    """The response of one entry line, or None when it is unreadable or for another key."""
    try:
        data = json.loads(line)
        if data.get("version") != FORMAT_VERSION or data.get("key") != key:
            return None
        return response_from_json(data["response"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
