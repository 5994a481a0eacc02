"""The CLI contract shared by every command: help, version, exit codes, results files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from genai_gate.cli import main
from genai_gate.commands import COMMANDS


def test_version_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("genai-gate ")


def test_version_does_not_import_command_modules() -> None:
    code = (
        "import sys; from genai_gate.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pydantic', 'rich', 'github', 'yaml') if m in sys.modules]\n"
        "print('heavy:', ','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "heavy: "


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert f"genai-gate {command}" in out
    assert "--results-dir" in out  # common options are available after the command name
    assert "exit codes:" in out


def test_unknown_option_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prompt-lint", "--no-such-option"]) == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "<command>" in capsys.readouterr().out


def test_missing_config_exits_2_and_records_error_result(tmp_path: Path) -> None:
    results = tmp_path / "results"
    code = main(
        ["--config", str(tmp_path / "absent.yaml"), "eval-gate", "--results-dir", str(results)]
    )
    assert code == 2
    written = json.loads((results / "eval-gate.json").read_text())
    assert written["status"] == "error"
    assert written["error_kind"] == "usage"
    assert written["incomplete"] is True
    assert "absent.yaml: config file not found" in written["error"]
    assert "--config FILE" in written["error"]
