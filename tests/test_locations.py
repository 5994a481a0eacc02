"""Finding paths are rewritten to repository-relative paths for annotations and SARIF."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from genai_gate.locations import relocate_findings
from genai_gate.results import Finding, GateResult, Location, Severity, Status


def _result(*paths: str) -> GateResult:
    findings = [
        Finding(rule_id="X1", severity=Severity.ERROR, message="m", location=Location(path=p))
        for p in paths
    ]
    return GateResult(gate="prompt-lint", status=Status.FAIL, findings=findings)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "agents" / "bank" / "prompts").mkdir(parents=True)
    (tmp_path / "agents" / "bank" / "prompts" / "p.yaml").write_text("x: 1\n")
    return tmp_path


def test_config_relative_paths_become_repository_relative(repo: Path) -> None:
    result = _result("prompts/p.yaml", "prompts/missing.yaml")
    relocate_findings(result, [repo / "agents" / "bank", repo])
    paths = [f.location.path for f in result.findings if f.location]
    assert paths == ["agents/bank/prompts/p.yaml", "prompts/missing.yaml"]


def test_github_workspace_is_the_root_in_actions(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo / "agents"))
    result = _result("prompts/p.yaml")
    relocate_findings(result, [repo / "agents" / "bank"])
    assert result.findings[0].location is not None
    assert result.findings[0].location.path == "bank/prompts/p.yaml"
