"""`audit-log previous`: what a rollback restores, code and data, from the verified trail."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from genai_gate.cli import main
from genai_gate.gates.audit.keys import SigningKey, public_pem

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "bank-support-agent"
CONFIG = """\
version: 1
project: demo
registry: {prompts: prompts, models: model_registry.yaml}
audit:
  store: {path: audit}
  signing_key_env: TEST_AUDIT_KEY
  public_keys: [audit-public-key.pem]
"""
KEY = "5c0b2e1d9a8f7e6d5c4b3a29181706f5e4d3c2b1a09f8e7d6c5b4a3928170605"
"""Ed25519 seed (hex)."""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "agent"
    shutil.copytree(EXAMPLE / "prompts", root / "prompts")
    shutil.copy(EXAMPLE / "model_registry.yaml", root)
    (root / "genai-gate.yaml").write_text(CONFIG)
    (root / "audit-public-key.pem").write_bytes(public_pem(SigningKey.parse(KEY, "test").public))
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    monkeypatch.setenv("TEST_AUDIT_KEY", KEY)
    monkeypatch.chdir(root)
    for name in ("GITHUB_RUN_ID", "GITHUB_TOKEN", "GITHUB_REPOSITORY", "GENAI_GATE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return root


def audit(*args: str) -> int:
    return main(["audit-log", *args, "--format", "json", "--no-progress"])


def deploy(version: str, sha: str, kb: str, outcome: str, event: str = "deploy") -> None:
    args = ["--event", event, "--environment", "production", "--version", version]
    args += ["--sha", sha, "--kb-snapshot", kb, "--image-digest", "sha256:" + sha * 8]
    assert audit("record", *args, "--outcome", outcome, "--approvals", "none") == 0


def previous(repo: Path) -> dict:
    assert audit("previous", "--environment", "production") == 0
    return json.loads((repo / ".genai-gate" / "results" / "audit-log.json").read_text())


def test_previous_is_the_last_successful_deploy_with_its_kb_and_prompts(repo: Path) -> None:
    deploy("1.0.0", "a" * 8, "kb-2026-10", "success")
    deploy("1.1.0", "b" * 8, "kb-2026-11", "success")
    deploy("1.2.0", "c" * 8, "kb-2026-12", "failure")  # a failed release is never restored
    result = previous(repo)
    summary = result["summary"]
    assert summary["found"] is True
    assert summary["previous_version"] == "1.1.0"
    assert summary["previous_kb_snapshot"] == "kb-2026-11"
    assert summary["previous_image_digest"] == "sha256:" + "b" * 64
    pins = summary["previous_prompts"].split(",")
    prompts = result["details"]["previous_release"]["manifest"]["prompts"]
    assert pins == [f"{p['prompt_id']}@{p['version']}" for p in prompts] and pins
    written = json.loads(Path(summary["manifest_file"]).read_text())
    assert written["previous_release"]["manifest"]["kb_snapshot_id"] == "kb-2026-11"
    assert "kb-2026-11" in result["title"]


def test_rollback_record_says_what_it_restored(repo: Path) -> None:
    deploy("1.0.0", "a" * 8, "kb-2026-10", "success")
    deploy("1.1.0", "b" * 8, "kb-2026-11", "success", event="rollback")
    record = json.loads((repo / "audit" / "audit.jsonl").read_text().splitlines()[-1])
    restored = record["rollback_plan"]
    assert restored["previous_version"] == "1.0.0"
    assert restored["previous_manifest"]["kb_snapshot_id"] == "kb-2026-10"
    assert restored["previous_manifest"]["image_digest"] == "sha256:" + "a" * 64


def test_no_previous_release_is_said_and_written(repo: Path) -> None:
    deploy("1.0.0", "a" * 8, "kb-2026-10", "failure")
    result = previous(repo)
    assert result["summary"]["found"] is False
    assert "nothing to restore" in result["title"]
    written = json.loads(Path(result["summary"]["manifest_file"]).read_text())
    assert written == {"previous_release": None}


def test_a_tampered_trail_gives_no_previous_release(repo: Path) -> None:
    deploy("1.0.0", "a" * 8, "kb-2026-10", "success")
    log = repo / "audit" / "audit.jsonl"
    log.write_text(log.read_text().replace("kb-2026-10", "kb-forged"))
    assert audit("previous", "--environment", "production") == 1
    result = json.loads((repo / ".genai-gate" / "results" / "audit-log.json").read_text())
    assert "previous release unknown" in result["title"]
    assert not (repo / ".genai-gate" / "results" / "previous-release.json").exists()
