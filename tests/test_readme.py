"""The configuration shown in the README is valid (docs must not rot)."""

from __future__ import annotations

from pathlib import Path

from genai_gate.config import load_config

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_configuration_example_validates(tmp_path: Path) -> None:
    section = README.read_text(encoding="utf-8").split("## Configuration", 1)[1]
    example = section.split("```yaml", 1)[1].split("```", 1)[0]
    path = tmp_path / "genai-gate.yaml"
    path.write_text(example, encoding="utf-8")
    loaded = load_config(path)
    assert set(loaded.model.targets) == {"agent", "llm"}
    assert loaded.model.eval is not None and loaded.model.audit is not None
