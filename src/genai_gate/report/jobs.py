"""Results of workflow jobs that are not gates (lint, unit tests), and of expected ones missing.

`genai-gate report record-job` turns a job's outcome (`needs.<job>.result` or a step's
`outcome`) into a results file `job-<name>.json`, so the PR comment judges it like a gate. A job
that the comment expects but that left no results file becomes an error, never a pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path

from genai_gate.errors import UsageError
from genai_gate.results import ErrorKind, GateResult, Status, Timings, current_git_sha

OUTCOMES = {
    "success": Status.PASS,
    "failure": Status.FAIL,
    "cancelled": Status.ERROR,
    "skipped": Status.ERROR,
}
"""GitHub job/step outcomes and the status each one records."""
WHY_NOT_RUN = {
    "cancelled": "the job was cancelled before it finished",
    "skipped": "the job was skipped (a job it needs failed, or its condition was false)",
}
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
"""A job name usable in a file name: letters, digits, `_`, `.` and `-`."""
MISSING = "did not run / left no results"
"""Title of an expected job or gate without a results file."""


def results_file(results_dir: Path, name: str) -> Path:
    """`<results-dir>/job-<name>.json`."""
    return results_dir / f"job-{name}.json"


def check_name(name: str, option: str = "--name") -> str:
    """`name` when it is a valid job name, else UsageError naming `option`."""
    if not NAME.fullmatch(name):
        raise UsageError(
            f"{option} {name!r}: use letters, digits, '_', '.' and '-' (it becomes job-NAME.json)"
        )
    return name


def job_result(name: str, outcome: str, detail: str = "") -> GateResult:
    """The results of job `name` that ended in `outcome` (success/failure/cancelled/skipped)."""
    if outcome not in OUTCOMES:
        raise UsageError(f"--outcome {outcome!r}: expected one of {', '.join(OUTCOMES)}")
    status = OUTCOMES[outcome]
    title = f"job {outcome}" + (f": {detail}" if detail else "")
    return GateResult(
        gate=check_name(name),
        status=status,
        title=title,
        summary={"outcome": outcome},
        incomplete=status is Status.ERROR,
        error=WHY_NOT_RUN.get(outcome),
        error_kind=ErrorKind.INFRA if status is Status.ERROR else None,
        timings=Timings(
            started_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), duration_s=0.0
        ),
        git_sha=current_git_sha(Path.cwd()),
        details={"job": name, "outcome": outcome, "detail": detail},
    )


def missing_result(name: str, results_dir: Path) -> GateResult:
    """The error standing in for an expected job or gate that left no results file."""
    return GateResult(
        gate=name,
        status=Status.ERROR,
        title=MISSING,
        incomplete=True,
        error=f"no results file for {name} in {results_dir.name or results_dir}: the job did "
        "not run or its results were not uploaded",
        error_kind=ErrorKind.INFRA,
        details={"expected": True},
    )


def unreadable_result(path: Path, problem: str) -> GateResult:
    """The error standing in for a results file that cannot be read (corrupt, newer schema)."""
    stem = path.stem
    name = stem[len("job-") :] if stem.startswith("job-") else stem
    return GateResult(
        gate=name,
        status=Status.ERROR,
        title="results file unreadable",
        incomplete=True,
        error=problem,
        error_kind=ErrorKind.USAGE,
        details={"unreadable": str(path)},
    )


def expected_names(values: Iterable[str]) -> list[str]:
    """`--expect a,b --expect c` as [a, b, c], each checked, without repeats."""
    names = [n.strip() for value in values for n in value.split(",") if n.strip()]
    return list(dict.fromkeys(check_name(n, "--expect") for n in names))


def add_missing(
    results: Sequence[GateResult], expected: Sequence[str], results_dir: Path
) -> list[GateResult]:
    """`results` plus an error result for each expected name no result carries."""
    present = {r.gate for r in results}
    return [*results, *(missing_result(n, results_dir) for n in expected if n not in present)]
