"""`genai-gate <command> --help` must stay fast: it imports only what builds the parser.

Checked in a fresh interpreter through `sys.modules` (no timing: the machine may be busy).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from genai_gate.cli import command_paths

HEAVY = ("numpy", "jinja2", "tiktoken", "pydantic", "pydantic_core", "yaml", "rich", "requests")
"""Libraries costing 15-100 ms each to import that no parser needs."""

PROBE = """
import json, sys
sys.argv = ["genai-gate", *sys.argv[1:], "--help"]
from genai_gate import cli
try:
    cli.main()
except SystemExit:
    pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def imported_by_help(*command: str) -> set[str]:
    """Top-level packages in sys.modules after `genai-gate COMMAND --help`."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *command], capture_output=True, text=True, check=True
    )
    assert "usage: genai-gate" in done.stdout
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_eval_gate_help_imports_no_numpy_pydantic_jinja2_tiktoken_or_yaml() -> None:
    loaded = imported_by_help("eval-gate")
    assert not loaded & set(HEAVY), f"eval-gate --help imported {sorted(loaded & set(HEAVY))}"
    assert "asyncio" not in loaded


@pytest.mark.parametrize("command", command_paths(), ids=" ".join)
def test_help_of_every_command_imports_no_heavy_library(command: tuple[str, ...]) -> None:
    loaded = imported_by_help(*command)
    heavy = loaded & set(HEAVY)
    assert not heavy, f"genai-gate {' '.join(command)} --help imported {sorted(heavy)}"
