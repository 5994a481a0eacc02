"""Response-cache keys that change when the prompt registry changes.

An agent target's identity covers its code, but its prompts may live beside the code (the
registry folder). A cached answer given under an old prompt must never be replayed for a new
one, or a prompt regression would be hidden: the eval gate therefore adds a digest of the
registry's prompt files to the identity of every target it evaluates.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from genai_gate.targets.interface import ChatRequest, ChatResponse, Target

PROMPT_SUFFIXES = (".yaml", ".yml")


def registry_digest(folder: Path) -> str | None:
    """sha256 over the names and bytes of the prompt files under `folder` (None when absent)."""
    if not folder.is_dir():
        return None
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.suffix in PROMPT_SUFFIXES):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return "sha256:" + digest.hexdigest()


class PromptKeyedTarget(Target):
    """A target whose identity also carries the prompt registry digest; answers unchanged."""

    def __init__(self, inner: Target, prompts_digest: str | None) -> None:
        self.inner = inner
        self.name = inner.name
        self.prompts_digest = prompts_digest

    def identity(self) -> dict[str, Any]:
        """The wrapped identity plus the registry digest."""
        return {**self.inner.identity(), "prompt_registry": self.prompts_digest}

    async def complete(self, request: ChatRequest) -> ChatResponse:
        """Delegate to the wrapped target."""
        return await self.inner.complete(request)

    async def aclose(self) -> None:
        """Delegate to the wrapped target."""
        await self.inner.aclose()
