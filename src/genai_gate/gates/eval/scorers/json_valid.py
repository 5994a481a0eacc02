"""`json-valid`: the answer is valid JSON (a ```json fence around it is accepted)."""

from __future__ import annotations

import json
import re
from typing import Any

from genai_gate.gates.eval.scorers.base import Sample, Score, Scorer

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


def parse_answer_json(answer: str) -> Any:
    """The answer parsed as JSON (raises json.JSONDecodeError)."""
    match = _FENCE.match(answer)
    return json.loads(match.group(1) if match else answer)


class JsonValid(Scorer):
    """1 when the answer parses as JSON."""

    name = "json-valid"

    def score(self, sample: Sample) -> Score:
        """Try to parse the answer."""
        try:
            parse_answer_json(sample.answer)
        except json.JSONDecodeError as exc:
            return Score(0.0, f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        return Score(1.0, "valid JSON")
