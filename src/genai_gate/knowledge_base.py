"""The knowledge base a release ships: a content digest of its documents and the index snapshot.

Rolling back code without its data is half a rollback: the release manifest pins the documents
(sha256 over every file's relative path and content) and the id of the search index or vector
snapshot built from them, which only the caller's indexing job knows, so it is read from the
environment variable named in `release.knowledge_base.snapshot_id_env`.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from genai_gate.errors import ConfigError, UsageError, located
from genai_gate.schema import StrictModel

_SNAPSHOT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$")
"""What a snapshot id may look like (no spaces or control characters in an audit record)."""


class KnowledgeBaseSettings(StrictModel):
    """The documents of the knowledge base and where its index snapshot id comes from."""

    paths: list[str] = Field(min_length=1)
    """Files or folders of documents, relative to the config file."""
    snapshot_id_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    """Environment variable holding the index or vector snapshot id (e.g. set by the indexer)."""
    require_snapshot_id: bool = False
    """Fail (exit 2) when `snapshot_id_env` is unset or empty, instead of recording none."""


class ReleaseSettings(StrictModel):
    """The `release:` section: what a release pins besides code, prompts and models."""

    knowledge_base: KnowledgeBaseSettings | None = None


@dataclass(frozen=True)
class KnowledgeBaseDigest:
    """What the release manifest records about the knowledge base."""

    content_digest: str
    """`sha256:<hex>` over the sorted (relative path, file sha256) pairs of the documents."""
    documents: int
    """Number of files digested."""
    snapshot_id: str | None
    """The index or vector snapshot id, None when none is configured or set."""

    @property
    def label(self) -> str:
        """One string naming both: `<snapshot id>@sha256:<16 hex>`, or `kb-<16 hex>` without id."""
        short = self.content_digest.removeprefix("sha256:")[:16]
        return f"{self.snapshot_id}@sha256:{short}" if self.snapshot_id else f"kb-{short}"


def knowledge_base_digest(
    settings: KnowledgeBaseSettings, root: Path, environ: Mapping[str, str] | None = None
) -> KnowledgeBaseDigest:
    """Digest the documents under `root` and read the snapshot id (ConfigError / UsageError)."""
    paths = [root / path for path in settings.paths]
    files = sum(
        sum(1 for p in path.rglob("*") if p.is_file()) if path.is_dir() else 1
        for path in paths
        if path.exists()
    )
    digest = "sha256:" + content_digest(paths, root)
    if files == 0:
        raise UsageError(
            f"release.knowledge_base: no documents in {', '.join(settings.paths)} (under {root})"
        )
    snapshot = None
    if settings.snapshot_id_env:
        snapshot = (environ if environ is not None else os.environ).get(
            settings.snapshot_id_env, ""
        ).strip() or None
        if snapshot is None and settings.require_snapshot_id:
            raise UsageError(
                f"release.knowledge_base: ${settings.snapshot_id_env} is not set (the index "
                "snapshot id is required by require_snapshot_id)"
            )
        if snapshot is not None and not _SNAPSHOT_ID.match(snapshot):
            raise UsageError(
                f"release.knowledge_base: ${settings.snapshot_id_env} is not a snapshot id "
                "(letters, digits and ._:/@+- only, at most 200 characters)"
            )
    return KnowledgeBaseDigest(digest, files, snapshot)


def content_digest(paths: list[Path], root: Path) -> str:
    """sha256 over the sorted (relative path, file sha256) pairs of files and folders."""
    from genai_gate.registry.prompts import relative_to

    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise ConfigError(located(path, None, "", "data source or knowledge base not found"))
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    outer = hashlib.sha256()
    for file in sorted(files):
        inner = hashlib.sha256(file.read_bytes()).hexdigest()
        outer.update(f"{relative_to(file, root)}\0{inner}\n".encode())
    return outer.hexdigest()
