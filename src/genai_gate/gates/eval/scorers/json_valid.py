"""`json-valid`: the answer is valid JSON (a ```json fence around it is accepted by default)."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from genai_gate.gates.eval.scorers.base import Sample, Score, Scorer
from genai_gate.schema import StrictModel

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)

Find = Literal["fenced", "whole", "embedded"]
"""Where the JSON is: the whole answer or a fenced block (`fenced`), the whole answer only
(`whole`), or any JSON object inside the text (`embedded`)."""


class JsonParams(StrictModel):
    """Parameters of `json-valid`."""

    find: Find = "fenced"
    """`fenced`: the answer, or a ```json block that is the whole answer; `whole`: the answer
    exactly; `embedded`: the first JSON object found anywhere in the answer."""


def parse_answer_json(answer: str, find: Find = "fenced") -> Any:
    """The answer parsed as JSON (raises json.JSONDecodeError)."""
    if find == "embedded":
        return embedded_objects(answer)[0]
    match = _FENCE.match(answer) if find == "fenced" else None
    return json.loads(match.group(1) if match else answer)


def embedded_objects(text: str) -> list[Any]:
    """Every JSON object (`{...}`) embedded in `text`, left to right; raises JSONDecodeError when
    there is none."""
    decoder = json.JSONDecoder()
    found: list[Any] = []
    position = text.find("{")
    while position != -1:
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            position = text.find("{", position + 1)
            continue
        found.append(value)
        position = text.find("{", end)
    if not found:
        raise json.JSONDecodeError("no JSON object in the answer", text, 0)
    return found


class JsonValid(Scorer):
    """1 when the answer parses as JSON."""

    name = "json-valid"
    Params = JsonParams
    params: JsonParams

    def score(self, sample: Sample) -> Score:
        """Try to parse the answer."""
        try:
            parse_answer_json(sample.answer, self.params.find)
        except json.JSONDecodeError as exc:
            return Score(0.0, f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        return Score(1.0, "valid JSON")
