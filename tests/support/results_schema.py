"""The published results JSON Schema, applied with jsonschema (a validator genai-gate did not
write)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from genai_gate.results import GateResult, TypedDetails, TypedSummary


def schema_errors(document: Any) -> list[str]:
    """`path: message` of every way `document` breaks `genai_gate/schemas/results.json`."""
    text = resources.files("genai_gate.schemas").joinpath("results.json").read_text()
    validator = jsonschema.Draft202012Validator(json.loads(text))
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def read_back(
    path: Path, summary: type[TypedSummary], details: type[TypedDetails]
) -> tuple[dict[str, Any], Any, Any]:
    """The JSON of `path`, checked against the schema and against its typed read-back (the
    types hold every key written)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    assert schema_errors(document) == []
    result = GateResult.read(path)
    typed_summary, typed_details = summary.of(result), details.of(result)
    assert typed_summary.as_dict() == document["summary"]
    assert typed_details.as_dict() == document["details"]
    return document, typed_summary, typed_details
