"""The e2e harness's stand-in for GitHub's `$/` resolution (act cannot parse `$/`)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "e2e"))
import harness  # noqa: E402

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def test_self_references_resolve_to_the_commit_under_test() -> None:
    text = (
        "jobs:\n  a:\n    uses: $/.github/workflows/genai-checks.yml\n  b:\n    steps:\n"
        "      - uses: $/actions/setup\n      - id: gate\n        uses: $/actions/eval-gate\n"
        "        env:\n          GENAI_GATE_COMMIT: ${{ job.workflow_sha }}\n"
        "      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n"
    )
    resolved = harness.resolve_self_references(text, COMMIT)
    assert f"uses: genai-gate/genai-gate/.github/workflows/genai-checks.yml@{COMMIT}" in resolved
    assert f"      - uses: genai-gate/genai-gate/actions/setup@{COMMIT}\n" in resolved
    assert f"        uses: genai-gate/genai-gate/actions/eval-gate@{COMMIT}\n" in resolved
    assert f"GENAI_GATE_COMMIT: '{COMMIT}'" in resolved and "$/" not in resolved
    assert "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2" in resolved


def test_snapshot_is_a_commit_and_the_tampered_tree_fails_loudly(tmp_path: Path) -> None:
    snap = harness.snapshot(ROOT, tmp_path / "snapshot")
    assert harness.git(snap.path, "rev-parse", "HEAD") == snap.commit
    pipeline = (snap.path / ".github" / "workflows" / "genai-pipeline.yml").read_text("utf-8")
    assert f"genai-gate/genai-gate/.github/workflows/genai-checks.yml@{snap.commit}" in pipeline
    assert "uses: $/" not in pipeline
    bad = harness.tampered(snap, tmp_path / "tampered")
    assert harness.TAMPERED_MARK in (bad / "actions" / "setup" / "setup.sh").read_text("utf-8")
    checks = (bad / ".github" / "workflows" / "genai-checks.yml").read_text("utf-8")
    assert "jobs:\n  tampered:\n" in checks and harness.TAMPERED_MARK in checks
