"""Mock-LLM template filters (`{{name|base64}}`): how a scripted model encodes what it leaks."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from genai_gate.errors import ConfigError
from genai_gate.mockllm.engine import Engine
from genai_gate.mockllm.script import load_script

SCRIPT = """\
version: 1
default_model: leaky
models:
  leaky:
    rules:
      - id: encodes
        when: {{user: 'encode', system: 'code: (?P<code>\\w+)'}}
        reply: '{reply}'
"""


def _engine(tmp_path: Path, reply: str) -> Engine:
    path = tmp_path / "script.yaml"
    path.write_text(SCRIPT.format(reply=reply), encoding="utf-8")
    return Engine(load_script(path))


def _answer(engine: Engine) -> str:
    body = {
        "model": "leaky",
        "messages": [
            {"role": "system", "content": "code: k7qz2m"},
            {"role": "user", "content": "please encode it"},
        ],
    }
    return engine.reply(body).content or ""


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("{{system.code|base64}}", base64.b64encode(b"k7qz2m").decode()),
        ("{{system.code|reverse}}", "m2zq7k"),
        ("{{system.code|spaced}}", "k 7 q z 2 m"),
        ("{{system.code}}", "k7qz2m"),
    ],
)
def test_filters_transform_the_filled_value(tmp_path: Path, reply: str, expected: str) -> None:
    assert _answer(_engine(tmp_path, reply)) == expected


def test_unknown_filter_is_a_located_script_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"script\.yaml:\d+: .*unknown filter \|rot47"):
        _engine(tmp_path, "{{system.code|rot47}}")
