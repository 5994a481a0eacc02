"""Exceptions that map onto the exit-code contract shared by every command."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum


class ExitCode(IntEnum):
    """The exit codes of every `genai-gate` command (README, "Exit codes")."""

    PASSED = 0
    """The gate passed."""
    FAILED = 1
    """The gate failed: findings or scores outside policy."""
    USAGE = 2
    """Usage or configuration error; the message names file:line and the field."""
    INFRA = 3
    """Infrastructure error: target unreachable, retries exhausted, tool missing."""


class GateError(Exception):
    """Base class for errors that end a command with a non-zero exit code."""

    exit_code: ExitCode = ExitCode.INFRA


class UsageError(GateError):
    """Bad command-line usage or bad input that is not tied to a file position."""

    exit_code = ExitCode.USAGE


class ConfigError(UsageError):
    """Invalid configuration or input file; the message is `FILE:LINE: field: message` lines."""

    def __init__(self, problems: Sequence[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class InfraError(GateError):
    """A service or tool we depend on failed: unreachable, retries exhausted, missing binary."""

    exit_code = ExitCode.INFRA


class Problem(str):
    """One located problem: reads as `FILE:LINE: field: message`, keeps its parts as data.

    A `str` so that every message, log and test reads it as before; reporters use the parts
    (GitHub annotations with file and line, SARIF regions).
    """

    path: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __new__(
        cls, path: object, line: int | None, field: str, message: str, column: int | None = None
    ) -> Problem:
        where = f"{path}:{line}" if line else f"{path}"
        text = f"{where}: {field}: {message}" if field else f"{where}: {message}"
        self = super().__new__(cls, text)
        self.path, self.line, self.column = str(path), line, column
        self.field, self.message = field, message
        return self

    def as_dict(self) -> dict[str, object]:
        """The parts, for results files (`None` parts left out)."""
        parts = {"path": self.path, "line": self.line, "column": self.column}
        parts.update(field=self.field, message=self.message)
        return {key: value for key, value in parts.items() if value not in (None, "")}


def located(
    path: object, line: int | None, field: str, message: str, column: int | None = None
) -> Problem:
    """One problem, shown as `FILE:LINE: field: message` (line omitted when unknown)."""
    return Problem(path, line, field, message, column)


MAX_PROBLEMS = 50
"""Problems of one input file listed before the rest are counted (a broken file is still
reported at once)."""


def raise_problems(problems: Sequence[str], path: object) -> None:
    """ConfigError listing `problems` (at most MAX_PROBLEMS, then a count), if there are any."""
    if not problems:
        return
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        problems = [*problems[:MAX_PROBLEMS], f"{path}: ... and {more} more problems"]
    raise ConfigError(problems)
