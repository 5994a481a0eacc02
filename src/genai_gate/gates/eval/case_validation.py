"""Cases read from a file: validated one by one with located problems, ids unique.

Shared by the native dataset loader (`dataset`) and the promptfoo import (`promptfoo`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from genai_gate.errors import ConfigError, located, raise_problems
from genai_gate.gates.eval.case import Case
from genai_gate.yamlio import LineMap, validation_problems

Located = list[tuple[Case, "int | None"]]
"""Cases with the line each starts on (for duplicate-id errors)."""


def validate_cases(data: Any, lines: LineMap, path: Path, prefix: tuple[str, ...]) -> Located:
    """Validate a YAML list of case mappings (problems located with `lines`)."""
    if not isinstance(data, list):
        where = lines.line_of(prefix) or 1
        raise ConfigError(
            located(path, where, ".".join(prefix), f"expected a list of cases, got {kind_of(data)}")
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
    raise_problems(problems, path)
    return cases


def check_unique(cases: Located, path: Path) -> Located:
    """`cases`, or ConfigError naming each repeated id with the line of its first use."""
    first_line: dict[str, int | None] = {}
    problems = []
    for case, line in cases:
        if case.id in first_line:
            where = f"line {first_line[case.id]}" if first_line[case.id] else "earlier"
            problems.append(located(path, line, "id", f"duplicate case id {case.id!r} ({where})"))
        else:
            first_line[case.id] = line
    raise_problems(problems, path)
    return cases


def kind_of(value: Any) -> str:
    """The YAML/JSON kind of `value` for messages (`null`, `str`, `list`, ...)."""
    return "null" if value is None else type(value).__name__
