"""A broken input file is reported at once, but with at most 50 problems and a count of the rest:
the same rule for eval datasets and for attack / transcript files (one shared function)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from genai_gate.errors import ConfigError
from genai_gate.gates.eval.dataset import load_dataset
from genai_gate.gates.injection.attacks import load_attacks

LOADERS: dict[str, Callable[[Path], object]] = {
    "eval dataset": load_dataset,
    "attack file": load_attacks,
}


@pytest.mark.parametrize("kind", LOADERS)
def test_past_50_problems_the_rest_are_counted(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text("{not json\n" * 63, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        LOADERS[kind](path)
    problems = caught.value.problems
    assert len(problems) == 51
    assert problems[0].startswith(f"{path}:1: invalid JSON: ")
    assert problems[49].startswith(f"{path}:50: invalid JSON: ")
    assert problems[50] == f"{path}: ... and 13 more problems"


@pytest.mark.parametrize("kind", LOADERS)
def test_50_problems_are_all_listed(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text("{not json\n" * 50, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        LOADERS[kind](path)
    problems = caught.value.problems
    assert len(problems) == 50
    assert problems[-1].startswith(f"{path}:50: invalid JSON: ")
