"""Loading golden datasets: JSONL (one case per line) and YAML lists, with file:line errors."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from genai_gate.errors import ConfigError, located, raise_problems
from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.case_validation import (
    Located,
    check_unique,
    kind_of,
    validate_cases,
)
from genai_gate.yamlio import load_yaml, read_text, single_line_map, validation_problems


def load_dataset(path: Path, fmt: str = "auto", input_var: str | None = None) -> list[Case]:
    """Load the cases of a dataset file; every problem is reported as `FILE:LINE: field: msg`."""
    return [case for case, _ in load_dataset_lines(path, fmt, input_var)]


def load_dataset_lines(path: Path, fmt: str = "auto", input_var: str | None = None) -> Located:
    """Like `load_dataset`, with the line where each case starts (when known)."""
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt == "jsonl":
        return check_unique(_load_jsonl(path), path)
    data, lines = load_yaml(path)
    if fmt == "promptfoo" or (isinstance(data, dict) and "tests" in data):
        from genai_gate.gates.eval.promptfoo import import_promptfoo

        return check_unique(import_promptfoo(data, lines, path, input_var), path)
    if isinstance(data, dict) and "cases" in data:
        return check_unique(validate_cases(data["cases"], lines, path, ("cases",)), path)
    return check_unique(validate_cases(data, lines, path, ()), path)


def detect_format(path: Path) -> str:
    """`jsonl` for .jsonl / .ndjson / .json, else `yaml` (promptfoo is detected by content)."""
    return "jsonl" if path.suffix.lower() in {".jsonl", ".ndjson", ".json"} else "yaml"


def _load_jsonl(path: Path) -> Located:
    cases: Located = []
    problems: list[str] = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:  # one pass from the text; a line that does not validate is read again below
            cases.append((Case.model_validate_json(line), number))
            continue
        except ValidationError:
            pass
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            message = f"invalid JSON: {exc.msg} (column {exc.colno})"
            problems.append(located(path, number, "", message))
            continue
        if not isinstance(raw, dict):
            problems.append(located(path, number, "", f"expected an object, got {kind_of(raw)}"))
            continue
        try:
            cases.append((Case.model_validate(raw), number))
        except ValidationError as exc:
            problems += validation_problems(exc, path, single_line_map(raw, number), ())
    raise_problems(problems, path)
    if not cases:
        raise ConfigError(located(path, None, "", "the dataset has no cases"))
    return cases
