"""Config loading: unknown keys, wrong types and literal secrets are located errors (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from genai_gate.cli import main
from genai_gate.config import load_config
from genai_gate.errors import ConfigError

VALID = """\
version: 1
project: demo
targets:
  agent:
    type: openai
    base_url: http://127.0.0.1:9/v1
    model: bank-hardened
    api_key_env: OPENAI_API_KEY
runner:
  concurrency: 8
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "genai-gate.yaml"
    path.write_text(text)
    return path


def test_valid_config_loads(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, VALID))
    assert loaded.model.runner.concurrency == 8
    assert loaded.target_name() == "agent"
    assert loaded.digest.startswith("sha256:")
    assert loaded.model.eval is None and loaded.model.injection is None  # absent sections


def test_present_section_gets_its_gate_model(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, VALID + "injection: {}\n"))
    assert type(loaded.model.injection).__name__ == "InjectionSettings"
    assert loaded.model.cost is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID.replace("concurrency: 8", "concurency: 8"), ":10: runner.concurency: unknown key"),
        (VALID.replace("concurrency: 8", "concurrency: many"), ":10: runner.concurrency: Input"),
        (VALID.replace("api_key_env: OPENAI_API_KEY", "api_key: abc"), ":8: targets.agent.api_key"),
        (
            # an OpenAI project key's shape (the old 24-character stand-in is no key format)
            VALID.replace("model: bank-hardened", "model: sk-proj-" + "Q7xV2mK9pL4n" * 4),
            ":7: targets.agent.model: looks like a literal API key",
        ),
        (VALID.replace("type: openai", "type: grpc"), ":5: targets.agent.type"),
        # a gate's section is validated by its own model whether or not other sections are there
        (VALID + "injection: {bogus: 1}\n", ":11: injection.bogus: unknown key"),
        (VALID + "cost: {days_per_month: 0}\n", ":11: cost.days_per_month: Input"),
        (VALID + "evals: {}\n", ":11: evals: unknown key"),
        (
            VALID.replace("    model: bank-hardened\n", ""),
            ":4: targets.agent.model: Field required",
        ),
    ],
)
def test_bad_config_names_file_line_field(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert f"{path}{expected}" in str(info.value)


def test_malformed_yaml_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, "targets:\n  a: [1, 2\n")
    with pytest.raises(ConfigError, match=r"genai-gate.yaml:\d+: invalid YAML"):
        load_config(path)


def test_cli_exits_2_on_bad_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, VALID.replace("concurrency: 8", "concurency: 8"))
    code = main(["--config", str(path), "run"])
    assert code == 2
    assert "runner.concurency: unknown key" in capsys.readouterr().err
