"""Run one gate so that its results file always tells the truth.

Before a gate starts, the results file of an earlier run is replaced (atomically) by an
incomplete `error` result, so a crash, a kill or a full disk can never leave a stale `pass`
behind. Whatever stops the gate (a usage or infrastructure error, a bug, SIGINT, SIGTERM) ends
in an `error` result marked incomplete, with the reason and how far the gate got; finished
answers are in the response cache, so a rerun resumes.
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from genai_gate import idle, progress
from genai_gate.context import Context
from genai_gate.errors import ExitCode, GateError, Problem
from genai_gate.interrupts import Interrupted
from genai_gate.results import (
    ErrorKind,
    Finding,
    GateResult,
    Location,
    Severity,
    build_models,
    incomplete_error,
    write_incomplete,
)

NOT_FINISHED = (
    "the gate started but did not finish (killed, or still running); this file was written "
    "before it started so that an earlier result cannot be mistaken for this run's"
)


def results_path(ctx: Context, gate: str) -> Path:
    """`<results-dir>/<gate>.json`."""
    return ctx.results_dir / f"{gate}.json"


_running: dict[str, Path] = {}
"""Results file of each gate that started and has not written its own result yet."""


def mark_started(gate: str, ctx: Context) -> None:
    """Replace the gate's old results file by a `did not finish` one (written without building
    the result models, which are built in the background once the gate waits on its target)."""
    path = results_path(ctx, gate)
    _running[gate] = path
    with contextlib.suppress(OSError):  # reported when the gate's own result cannot be written
        write_incomplete(path, gate, NOT_FINISHED)
    idle.prefetch((), build_models)


def finished(gate: str) -> None:
    """The gate's own result has been written (or could not be): nothing left to mark."""
    _running.pop(gate, None)


def abandon(why: str) -> None:
    """Mark every running gate as stopped (`why`: by which signals); no time is left for more."""
    for gate, path in list(_running.items()):
        reason = f"{why}, before the gate could write its result"
        with contextlib.suppress(OSError):
            write_incomplete(path, gate, reason, progress.snapshot())
        _running.pop(gate, None)


INPUT_RULE = "genai-gate/invalid-input"
"""Rule id of the findings that place config and input-file problems (annotations, SARIF)."""


def error_result(gate: str, exc: GateError) -> GateResult:
    """The incomplete `error` result of a gate that raised a usage or infrastructure error.

    Each located problem of a ConfigError also becomes an error finding at its file, line and
    column, so the GitHub and SARIF reporters put it where it is.
    """
    kind = ErrorKind.USAGE if exc.exit_code == ExitCode.USAGE else ErrorKind.INFRA
    result = incomplete_error(gate, str(exc), kind, progress.snapshot())
    result.title = f"{gate} could not run"
    for problem in getattr(exc, "problems", ()):
        if isinstance(problem, Problem):
            result.findings.append(problem_finding(problem))
    return result


def problem_finding(problem: Problem) -> Finding:
    """An error finding located where `problem` is."""
    return Finding(
        rule_id=INPUT_RULE,
        rule_name="invalid-input",
        severity=Severity.ERROR,
        message=f"{problem.field}: {problem.message}" if problem.field else problem.message,
        location=Location(path=problem.path, line=problem.line, column=problem.column),
        properties={"field": problem.field} if problem.field else {},
    )


def run_gate(gate: str, call: Callable[[], GateResult], verbose: bool = False) -> GateResult:
    """`call()`'s result, or the incomplete `error` result of whatever stopped it.

    A result stopped by a signal has `details["signal"]`; the caller should stop there.
    """
    progress.reset()
    try:
        return call()
    except GateError as exc:
        print(f"genai-gate: error: {exc}", file=sys.stderr)
        return error_result(gate, exc)
    except Exception as exc:  # a bug must not look like a failed (exit 1) or passed gate
        text = traceback.format_exc()
        if verbose:
            sys.stderr.write(text)
        reason = f"internal error (please report it): {type(exc).__name__}: {exc}"
        print(
            f"genai-gate: {reason}; the traceback is in the results file (details.traceback)",
            file=sys.stderr,
        )
        return incomplete_error(gate, reason, ErrorKind.INFRA, progress.snapshot(), text)
    except (KeyboardInterrupt, Interrupted) as exc:
        name = exc.signal_name if isinstance(exc, Interrupted) else "SIGINT"
        reason = f"interrupted by {name}; rerun to resume (finished answers are in the cache)"
        print(f"genai-gate: {gate} {reason}", file=sys.stderr)
        result = incomplete_error(gate, reason, ErrorKind.INFRA, progress.snapshot())
        result.details["signal"] = name
        return result
    finally:
        progress.reset()
