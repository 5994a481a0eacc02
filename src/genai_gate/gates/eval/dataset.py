"""Loading golden datasets: JSONL (one case per line) and YAML lists, with file:line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from genai_gate.errors import ConfigError, located
from genai_gate.gates.eval.case import Case
from genai_gate.yamlio import (
    LineMap,
    load_yaml,
    read_text,
    single_line_map,
    validation_problems,
)

MAX_PROBLEMS = 50
"""Problems listed before the rest are summarised (a broken file is still reported at once)."""


Located = list[tuple[Case, "int | None"]]
"""Cases with the line each starts on (for duplicate-id errors)."""


def load_dataset(path: Path, fmt: str = "auto", input_var: str | None = None) -> list[Case]:
    """Load the cases of a dataset file; every problem is reported as `FILE:LINE: field: msg`."""
    return [case for case, _ in load_dataset_lines(path, fmt, input_var)]


def load_dataset_lines(path: Path, fmt: str = "auto", input_var: str | None = None) -> Located:
    """Like `load_dataset`, with the line where each case starts (when known)."""
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt == "jsonl":
        return _check_unique(_load_jsonl(path), path)
    data, lines = load_yaml(path)
    if fmt == "promptfoo" or (isinstance(data, dict) and "tests" in data):
        from genai_gate.gates.eval.promptfoo import import_promptfoo

        return _check_unique(import_promptfoo(data, lines, path, input_var), path)
    if isinstance(data, dict) and "cases" in data:
        return _check_unique(validate_cases(data["cases"], lines, path, ("cases",)), path)
    return _check_unique(validate_cases(data, lines, path, ()), path)


def detect_format(path: Path) -> str:
    """`jsonl` for .jsonl / .ndjson / .json, else `yaml` (promptfoo is detected by content)."""
    return "jsonl" if path.suffix.lower() in {".jsonl", ".ndjson", ".json"} else "yaml"


def _load_jsonl(path: Path) -> Located:
    cases: Located = []
    problems: list[str] = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            message = f"invalid JSON: {exc.msg} (column {exc.colno})"
            problems.append(located(path, number, "", message))
            continue
        if not isinstance(raw, dict):
            problems.append(located(path, number, "", f"expected an object, got {_kind(raw)}"))
            continue
        try:
            cases.append((Case.model_validate(raw), number))
        except ValidationError as exc:
            problems += validation_problems(exc, path, single_line_map(raw, number), ())
    _raise_if(problems, path)
    if not cases:
        raise ConfigError(located(path, None, "", "the dataset has no cases"))
    return cases


def validate_cases(data: Any, lines: LineMap, path: Path, prefix: tuple[str, ...]) -> Located:
    """Validate a YAML list of case mappings (problems located with `lines`)."""
    if not isinstance(data, list):
        where = lines.line_of(prefix) or 1
        raise ConfigError(
            located(path, where, ".".join(prefix), f"expected a list of cases, got {_kind(data)}")
        )
    if not data:
        raise ConfigError(located(path, lines.line_of(prefix), "", "the dataset has no cases"))
    cases: Located = []
    problems: list[str] = []
    for index, item in enumerate(data):
        try:
            cases.append((Case.model_validate(item), lines.line_of((*prefix, index))))
        except ValidationError as exc:
            problems += validation_problems(exc, path, lines, (*prefix, index))
    _raise_if(problems, path)
    return cases


def _check_unique(cases: Located, path: Path) -> Located:
    first_line: dict[str, int | None] = {}
    problems = []
    for case, line in cases:
        if case.id in first_line:
            where = f"line {first_line[case.id]}" if first_line[case.id] else "earlier"
            problems.append(located(path, line, "id", f"duplicate case id {case.id!r} ({where})"))
        else:
            first_line[case.id] = line
    _raise_if(problems, path)
    return cases


def _raise_if(problems: list[str], path: Path) -> None:
    if not problems:
        return
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        problems = [*problems[:MAX_PROBLEMS], f"{path}: ... and {more} more problems"]
    raise ConfigError(problems)


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__
