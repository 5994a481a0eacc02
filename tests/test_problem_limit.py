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
@pytest.mark.parametrize("broken", [50, 63])
def test_at_most_50_problems_are_listed_then_the_rest_counted(
    tmp_path: Path, kind: str, broken: int
) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text("{not json\n" * broken, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        LOADERS[kind](path)
    problems = caught.value.problems
    lines = [n for n, p in enumerate(problems[:50], 1) if p.startswith(f"{path}:{n}: invalid JSON")]
    assert lines == list(range(1, 51))
    rest = [f"{path}: ... and {broken - 50} more problems"] if broken > 50 else []
    assert problems[50:] == rest
