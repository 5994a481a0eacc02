"""The promptfoo import against real promptfoo (an oracle we did not write).

`scripts/promptfoo-oracle` ran promptfoo 0.123 on the configs in
tests/data/eval/promptfoo-oracle/ with its `echo` provider (the answer is the rendered prompt) and
recorded every result in `oracle.json`. Here the import must produce the same cases: the same
number, each rendered exactly as promptfoo rendered it, and each passing or failing with the same
weighted score when given promptfoo's answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.evaluator import SampleOutcome, sample_score
from genai_gate.gates.eval.plan import bind
from genai_gate.gates.eval.promptfoo import ImportedCase, convert
from genai_gate.gates.eval.promptfoo.files import Node
from genai_gate.gates.eval.scorers.base import Sample
from genai_gate.targets.interface import ChatResponse
from genai_gate.yamlio import load_yaml

ORACLES = Path(__file__).parent / "data" / "eval" / "promptfoo-oracle"


def verdict(case: Case, answer: str) -> tuple[float, bool]:
    bound = bind(case.scorers or [])
    sample = Sample(case, ChatResponse(content=answer))
    outcome = SampleOutcome(True, scores={b.label: b.scorer.score(sample) for b in bound})
    return sample_score(outcome, bound, case.threshold)


def rendered_as(case: ImportedCase, output: str) -> bool:
    """Whether the case's input is what promptfoo rendered (text, or JSON chat messages)."""
    given = case.data["input"]
    if isinstance(given, str):
        return given == output
    try:
        return json.loads(output) == given
    except json.JSONDecodeError:
        return False


def same_vars(case: ImportedCase, row_vars: dict[str, Any], folder: Path) -> bool:
    """promptfoo's vars of a result equal the case's (a `file://` var: the file's content)."""
    for key, value in row_vars.items():
        if isinstance(value, str) and value.startswith("file://"):
            value = (folder / value.removeprefix("file://")).read_text().strip()
        if _canonical(case.variables.get(key)) != _canonical(value):
            return False
    return True


def _canonical(value: Any) -> Any:
    """promptfoo records a JSON-looking string var compacted; compare such strings parsed."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def described(case: ImportedCase) -> str:
    return str(case.data.get("description") or "").split(";")[0]


@pytest.mark.parametrize("folder", sorted(p.name for p in ORACLES.iterdir() if p.is_dir()))
def test_import_matches_what_promptfoo_did(folder: str) -> None:
    config = ORACLES / folder / "promptfooconfig.yaml"
    oracle: dict[str, Any] = json.loads((ORACLES / folder / "oracle.json").read_text())
    data, lines = load_yaml(config)
    assert data.pop("providers") == ["echo"]  # the oracle's instrument, not under test here
    conversion = convert(Node(data, config, lines))
    assert conversion.approximations == []
    rows = oracle["results"]
    assert len(conversion.cases) == len(rows), "one case per prompt x test x var combination"
    unmatched = list(conversion.cases)
    for row in rows:
        matches = [
            c
            for c in unmatched
            if c.prompt_index == row["prompt_index"]
            and described(c) == (row["description"] or "")
            and rendered_as(c, row["output"])
            and same_vars(c, row["vars"], config.parent)
        ]
        assert len(matches) == 1, f"no single case rendered as promptfoo did: {row}"
        unmatched.remove(matches[0])
        case = Case.model_validate(matches[0].data)
        score, passed = verdict(case, row["output"])
        assert (passed, round(score, 4)) == (row["success"], round(row["score"], 4)), row
