"""Content-addressed response cache: one JSON file per entry, safe to merge across jobs.

Key = sha256 of the canonical JSON of (target identity, full request, sample index). Entries
live at `<dir>/<key[:2]>/<key>.json` and are written atomically (temp file + rename), so
parallel runs and `actions/cache` restores merge without coordination.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

from genai_gate.canonical import canonical_bytes, sha256_hex
from genai_gate.errors import InfraError
from genai_gate.targets.interface import ChatResponse, TokenUsage, ToolCall

CacheMode = Literal["off", "read-write", "replay-only"]
FORMAT_VERSION = 1


def cache_key(identity: Any, payload: Any, sample: int) -> str:
    """Hex sha256 of the RFC 8785 canonical JSON of (identity, request payload, sample index)."""
    return sha256_hex(canonical_bytes({"target": identity, "request": payload, "sample": sample}))


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


class ResponseCache:
    """A folder of cache entries; `mode` says whether it is read and written."""

    def __init__(self, root: Path, mode: CacheMode = "read-write") -> None:
        self.root = Path(root)
        self.mode = mode

    key = staticmethod(cache_key)

    def path_of(self, key: str) -> Path:
        """File of the entry `key` (sharded by its first two hex digits)."""
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> ChatResponse | None:
        """The cached response, or None on a miss (an unreadable entry counts as a miss)."""
        if self.mode == "off":
            return None
        try:
            data = json.loads(self.path_of(key).read_text(encoding="utf-8"))
            if data.get("version") != FORMAT_VERSION or data.get("key") != key:
                return None
            return response_from_json(data["response"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(
        self, key: str, response: ChatResponse, identity: Any = None, request: Any = None
    ) -> None:
        """Store an entry atomically (temp file in the same folder, then rename)."""
        if self.mode != "read-write":
            return
        path = self.path_of(key)
        entry = {
            "version": FORMAT_VERSION,
            "key": key,
            "target": identity,
            "request": request,
            "response": response_to_json(response),
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key[:8]}.", suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise InfraError(f"cannot write the response cache at {self.root}: {exc}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(canonical_bytes(entry).decode("utf-8"))
            os.replace(tmp, path)
        except BaseException as exc:
            Path(tmp).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise InfraError(f"cannot write the response cache entry {path}: {exc}") from None
            raise
