"""Base-vs-head comparison per case: fixed, regressed, unchanged, new, removed."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from genai_gate.errors import UsageError
from genai_gate.gates.eval.details import RemovedCase
from genai_gate.results import CaseResult, GateResult, Status

CHANGES = ("regressed", "fixed", "new", "removed", "unchanged")
"""Change kinds, in report order (regressions first)."""


def case_key(case: CaseResult) -> tuple[str, str]:
    """(suite, case id): the identity of a case across runs."""
    return str(case.details.get("suite", "")), case.id


def counts_as_pass(case: CaseResult) -> bool:
    """Whether the case counts as passing under its suite's case_min_pass_rate."""
    if case.status is Status.ERROR:
        return False
    if "counts_as_pass" in case.details:
        return bool(case.details["counts_as_pass"])
    return case.status is Status.PASS


def baseline_cases(baseline: GateResult) -> dict[tuple[str, str], CaseResult]:
    """The baseline's cases by key; a results file of another gate is a usage error."""
    if baseline.gate != "eval-gate":
        raise UsageError(f"--baseline is a {baseline.gate} result, expected an eval-gate result")
    return {case_key(c): c for c in baseline.cases}


def annotate(
    cases: list[CaseResult],
    baseline: dict[tuple[str, str], CaseResult],
    in_scope: Callable[[str, str], bool],
) -> list[RemovedCase]:
    """Add `details.baseline` (status, score, change) to each case; return the removed cases.

    `in_scope(suite, id)` tells whether a baseline case should have been run by this run (same
    suite, same shard); baseline cases in scope but not run are `removed`.
    """
    seen = set()
    for case in cases:
        key = case_key(case)
        seen.add(key)
        base = baseline.get(key)
        if base is None:
            case.details["baseline"] = {"change": "new"}
            continue
        case.details["baseline"] = {
            "status": base.status.value,
            "score": base.score,
            "change": change(base, case),
        }
    return [
        RemovedCase(suite=key[0], id=key[1], status=base.status.value, score=base.score)
        for key, base in baseline.items()
        if key not in seen and in_scope(*key)
    ]


def change(base: CaseResult, head: CaseResult) -> str:
    """regressed (passed before, not now), fixed (the reverse) or unchanged."""
    before, after = counts_as_pass(base), counts_as_pass(head)
    if before and not after:
        return "regressed"
    if after and not before:
        return "fixed"
    return "unchanged"


def change_counts(cases: Iterable[CaseResult], removed: int) -> dict[str, int]:
    """How many cases of each change kind (only meaningful with a baseline)."""
    counts = dict.fromkeys(CHANGES, 0)
    for case in cases:
        kind = case.details.get("baseline", {}).get("change")
        if kind in counts:
            counts[kind] += 1
    counts["removed"] = removed
    return counts
