"""A python target's `depends_on` files and variables are part of its cache identity."""

from __future__ import annotations

from pathlib import Path

import pytest

from genai_gate.config import load_config
from genai_gate.errors import ConfigError
from genai_gate.targets import build_target

CONFIG = """\
version: 1
targets:
  agent:
    type: python
    callable: "agent_mod:respond"
    path: "."
    depends_on: [mock.yaml, $AGENT_LLM_URL]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "agent_mod.py").write_text("def respond(request):\n    return 'ok'\n")
    (tmp_path / "mock.yaml").write_text("rules: []\n")
    (tmp_path / "genai-gate.yaml").write_text(CONFIG)
    return tmp_path


def _identity(project: Path) -> dict:
    return build_target(load_config(project / "genai-gate.yaml"), "agent").identity()


def test_identity_follows_dependency_files_and_variables(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_LLM_URL", "http://127.0.0.1:1/v1")
    first = _identity(project)
    assert _identity(project) == first
    (project / "mock.yaml").write_text("rules: [{id: x, reply: hi}]\n")
    second = _identity(project)
    assert second != first
    monkeypatch.setenv("AGENT_LLM_URL", "http://127.0.0.1:2/v1")
    assert _identity(project) != second


def test_missing_dependency_is_a_located_config_error(project: Path) -> None:
    (project / "mock.yaml").unlink()
    with pytest.raises(ConfigError, match=r"genai-gate.yaml:7: targets.agent.depends_on.0: cannot"):
        _identity(project)
