"""`json-schema`: the answer is JSON that satisfies a JSON Schema (any draft, via jsonschema)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from jsonschema.exceptions import SchemaError
from pydantic import Field

from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.scorers.base import Sample, Score, Scorer, ScorerConfigError
from genai_gate.gates.eval.scorers.json_valid import JsonParams, embedded_objects, parse_answer_json


class JsonSchemaParams(JsonParams):
    """Parameters of `json-schema`."""

    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    """The JSON Schema; default: the case's `expected.json_schema`."""


def _validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except SchemaError as exc:
        raise ScorerConfigError(f"invalid JSON Schema: {exc.message}") from None
    return cls(schema)


class JsonSchema(Scorer):
    """1 when the answer parses as JSON and validates; the reason names the first violation."""

    name = "json-schema"
    Params = JsonSchemaParams
    params: JsonSchemaParams

    def check(self) -> None:
        """Check the configured schema itself."""
        if self.params.schema_ is not None:
            _validator(self.params.schema_)

    def _schema(self, case: Case) -> dict[str, Any] | None:
        return self.params.schema_ if self.params.schema_ is not None else case.expected.json_schema

    def applies(self, case: Case) -> bool:
        """Needs a schema from the parameters or the case."""
        return self._schema(case) is not None

    def score(self, sample: Sample) -> Score:
        """Parse, then validate."""
        find = self.params.find
        try:
            candidates = (
                embedded_objects(sample.answer)
                if find == "embedded"
                else [parse_answer_json(sample.answer, find)]
            )
        except json.JSONDecodeError as exc:
            return Score(0.0, f"not valid JSON: {exc.msg}")
        try:
            validator = _validator(self._schema(sample.case) or {})
        except ScorerConfigError as exc:
            return Score(0.0, str(exc))
        errors = [jsonschema.exceptions.best_match(validator.iter_errors(c)) for c in candidates]
        if any(e is None for e in errors):
            return Score(1.0, "matches the JSON Schema")
        error = errors[0]
        assert error is not None
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        return Score(0.0, f"schema violation at {where}: {error.message}")
