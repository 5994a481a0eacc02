"""The published results JSON Schema, applied with jsonschema (a validator genai-gate did not
write)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import jsonschema


def schema_errors(document: Any) -> list[str]:
    """`path: message` of every way `document` breaks `genai_gate/schemas/results.json`."""
    text = resources.files("genai_gate.schemas").joinpath("results.json").read_text()
    validator = jsonschema.Draft202012Validator(json.loads(text))
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]
