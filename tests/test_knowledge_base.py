"""The knowledge-base digest of a release: documents' content digest plus the index snapshot id."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from genai_gate.config import load_config
from genai_gate.errors import UsageError
from genai_gate.gates.audit.draft import build_manifest
from genai_gate.gates.audit.settings import AuditSettings
from genai_gate.knowledge_base import KnowledgeBaseSettings, knowledge_base_digest


def documents(root: Path) -> None:
    (root / "kb" / "faq").mkdir(parents=True)
    (root / "kb" / "fees.md").write_text("SEPA transfers are free.\n", encoding="utf-8")
    (root / "kb" / "faq" / "cards.md").write_text("Block a card in the app.\n", encoding="utf-8")


def expected_digest(root: Path, files: list[str]) -> str:
    """The documented construction, recomputed with hashlib only."""
    outer = hashlib.sha256()
    for name in sorted(files):
        inner = hashlib.sha256((root / name).read_bytes()).hexdigest()
        outer.update(f"{name}\0{inner}\n".encode())
    return "sha256:" + outer.hexdigest()


def test_digest_covers_every_document_by_path_and_content(tmp_path: Path) -> None:
    documents(tmp_path)
    settings = KnowledgeBaseSettings(paths=["kb"])
    first = knowledge_base_digest(settings, tmp_path, environ={})
    assert first.content_digest == expected_digest(tmp_path, ["kb/faq/cards.md", "kb/fees.md"])
    assert (first.documents, first.snapshot_id) == (2, None)
    assert first.label == "kb-" + first.content_digest[7:23]
    (tmp_path / "kb" / "fees.md").write_text("SEPA transfers cost 1 EUR.\n", encoding="utf-8")
    edited = knowledge_base_digest(settings, tmp_path, environ={})
    (tmp_path / "kb" / "fees.md").rename(tmp_path / "kb" / "fees-2026.md")
    renamed = knowledge_base_digest(settings, tmp_path, environ={})
    assert len({first.content_digest, edited.content_digest, renamed.content_digest}) == 3


def test_snapshot_id_comes_from_the_named_variable(tmp_path: Path) -> None:
    documents(tmp_path)
    settings = KnowledgeBaseSettings(paths=["kb"], snapshot_id_env="KB_INDEX")
    digest = knowledge_base_digest(
        settings, tmp_path, environ={"KB_INDEX": " pgvector/bank-2026-12-01 "}
    )
    assert digest.snapshot_id == "pgvector/bank-2026-12-01"
    assert digest.label == f"pgvector/bank-2026-12-01@sha256:{digest.content_digest[7:23]}"
    assert knowledge_base_digest(settings, tmp_path, environ={}).snapshot_id is None


@pytest.mark.parametrize(
    ("environ", "required", "message"),
    [
        ({}, True, r"\$KB_INDEX is not set"),
        ({"KB_INDEX": "snap 1\n"}, False, r"\$KB_INDEX is not a snapshot id"),
    ],
)
def test_bad_or_missing_snapshot_id_is_a_usage_error(
    tmp_path: Path, environ: dict[str, str], required: bool, message: str
) -> None:
    documents(tmp_path)
    settings = KnowledgeBaseSettings(
        paths=["kb"], snapshot_id_env="KB_INDEX", require_snapshot_id=required
    )
    with pytest.raises(UsageError, match=message):
        knowledge_base_digest(settings, tmp_path, environ=environ)


def test_empty_knowledge_base_is_refused(tmp_path: Path) -> None:
    (tmp_path / "kb").mkdir()
    with pytest.raises(UsageError, match="no documents in kb"):
        knowledge_base_digest(KnowledgeBaseSettings(paths=["kb"]), tmp_path, environ={})


def test_release_manifest_pins_snapshot_and_content(tmp_path: Path, monkeypatch) -> None:
    documents(tmp_path)
    (tmp_path / "genai-gate.yaml").write_text(
        "version: 1\nrelease:\n  knowledge_base: {paths: [kb], snapshot_id_env: KB_INDEX}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("KB_INDEX", "vec-42")
    config = load_config(tmp_path / "genai-gate.yaml")
    manifest = build_manifest(config, AuditSettings(), tmp_path, "a" * 40, None, None)
    digest = expected_digest(tmp_path, ["kb/faq/cards.md", "kb/fees.md"])
    assert manifest["kb_snapshot_id"] == f"vec-42@sha256:{digest[7:23]}"
    explicit = build_manifest(config, AuditSettings(), tmp_path, "a" * 40, None, "given-id")
    assert explicit["kb_snapshot_id"] == "given-id"
