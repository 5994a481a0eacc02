"""Structured, located schema problems (for gates that report them as findings, not errors)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import ValidationError

from genai_gate.yamlio import LineMap, Loc, validation_problems

_LOCATED = re.compile(r"^@(?::(\d+))?: (.*?): (.*)$", re.S)


@dataclass(frozen=True)
class Problem:
    """One schema problem of a YAML file."""

    kind: str
    """pydantic error type (`missing`, `extra_forbidden`, `string_type`, ...)."""
    line: int | None
    """1-based line of the offending node (or of its nearest enclosing node)."""
    field: str
    """Dotted field name."""
    message: str
    """What is wrong."""


def schema_problems(exc: ValidationError, lines: LineMap, prefix: Loc = ()) -> list[Problem]:
    """The errors of `exc` located with `lines` (same locations as yamlio's ConfigErrors)."""
    problems = []
    for error, text in zip(
        exc.errors(include_url=False), validation_problems(exc, "@", lines, prefix), strict=True
    ):
        match = _LOCATED.match(text)
        assert match, text  # validation_problems always formats `@:LINE: field: message`
        line = int(match[1]) if match[1] else None
        message = match[3].removeprefix("Value error, ")
        problems.append(Problem(error["type"], line, match[2], message))
    return problems
