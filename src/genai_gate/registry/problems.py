"""Structured, located schema problems (for gates that report them as findings, not errors)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from genai_gate.yamlio import LineMap, Loc, validation_problems


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
    for error, located in zip(
        exc.errors(include_url=False), validation_problems(exc, "@", lines, prefix), strict=True
    ):
        message = located.message.removeprefix("Value error, ")
        problems.append(Problem(error["type"], located.line, located.field, message))
    return problems
