"""Merge the results of one gate run as shards (`--shard I/N`) into one result.

Each shard's result carries `details["shard"] = {"index": i, "count": n}` (0-based index).
The generic merge:

- requires every file to be a result of the same gate, with shard info and the same count and
  config digest (otherwise exit 2: these files do not belong together);
- orders shards by index and concatenates their cases in that order; merges findings, dropping
  exact duplicates; sums usage; takes the earliest start and the longest shard duration;
- marks the result incomplete when any shard is incomplete, a shard index is missing or
  duplicated (the duplicate is ignored), or a case id occurs in two shards; these are listed in
  `details["merge"]`, so a merged run can never pass with a hole in it;
- status: error if any shard errored, else fail if any failed, else pass.

Summary figures are gate-specific (a mean score cannot be summed), so a gate names a hook in its
descriptor (`merger="genai_gate.gates.eval.merge:merge_results"`, see `genai_gate.gates.spec`;
`MERGERS` is derived from those), a
function `merge_results(shards: list[GateResult], merged: GateResult) -> GateResult` that gets
the shards (sorted by index, duplicates dropped) and the generic merge (with an empty summary)
and returns the final result (recomputing summary, status, title and details). Without a hook,
the generic merge recomputes only the generic count figures in `GENERIC_FIGURES`; if a shard's
summary has any other key, the merge is refused (exit 2) rather than publishing figures that
are wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from genai_gate.errors import ConfigError, UsageError, located
from genai_gate.gates import gates
from genai_gate.gates.spec import resolve
from genai_gate.results import (
    CaseResult,
    ErrorKind,
    Finding,
    GateResult,
    Status,
    Timings,
    Usage,
)

MERGERS: dict[str, str] = {g.name: g.merger for g in gates() if g.merger is not None}
"""Per-gate hooks that recompute the summary of merged shards."""


def _case_counts(cases: Sequence[CaseResult]) -> dict[str, int]:
    counts = Counter(c.status for c in cases)
    return {
        "cases": len(cases),
        "passed": counts[Status.PASS],
        "failed": counts[Status.FAIL],
        "errored": counts[Status.ERROR],
        "flaky": counts[Status.FLAKY],
        "skipped": counts[Status.SKIPPED],
    }


def _finding_counts(findings: Sequence[Finding]) -> dict[str, int]:
    counts = Counter(f.severity.value for f in findings)
    return {
        "findings": len(findings),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "notes": counts["note"],
    }


def _case_figure(key: str) -> Callable[[GateResult], int]:
    return lambda result: _case_counts(result.cases)[key]


def _finding_figure(key: str) -> Callable[[GateResult], int]:
    return lambda result: _finding_counts(result.findings)[key]


GENERIC_FIGURES: dict[str, Callable[[GateResult], int]] = {
    **{key: _case_figure(key) for key in _case_counts([])},
    **{key: _finding_figure(key) for key in _finding_counts([])},
}
"""Summary figures the generic merge can recompute from the merged cases and findings."""


def shard_of(result: GateResult, path: Path) -> tuple[int, int]:
    """(index, count) from `details["shard"]`, with a clear error when absent or invalid."""
    shard = result.details.get("shard")
    index = shard.get("index") if isinstance(shard, dict) else None
    count = shard.get("count") if isinstance(shard, dict) else None
    if not (isinstance(index, int) and isinstance(count, int) and 0 <= index < count):
        raise ConfigError(
            located(
                path,
                None,
                "details.shard",
                "missing or invalid shard info "
                "(expected {'index': i, 'count': n} with 0 <= i < n): not a shard result",
            )
        )
    return index, count


def _check_same(files: Sequence[tuple[Path, GateResult]], what: str, get: Any) -> None:
    values = {get(r) for _, r in files}
    if len(values) > 1:
        listing = ", ".join(f"{p} ({get(r)})" for p, r in files)
        raise UsageError(f"cannot merge results with different {what}: {listing}")


def _usage(shards: Sequence[GateResult]) -> Usage | None:
    usages = [s.usage for s in shards if s.usage is not None]
    if not usages:
        return None
    costs = [u.cost_usd for u in usages if u.cost_usd is not None]
    return Usage(
        prompt_tokens=sum(u.prompt_tokens for u in usages),
        completion_tokens=sum(u.completion_tokens for u in usages),
        requests=sum(u.requests for u in usages),
        cached_requests=sum(u.cached_requests for u in usages),
        cost_usd=round(sum(costs), 10) if costs else None,
    )


def _timings(shards: Sequence[GateResult]) -> Timings | None:
    timings = [s.timings for s in shards if s.timings is not None]
    if not timings:
        return None
    return Timings(
        started_at=min(t.started_at for t in timings),
        duration_s=max(t.duration_s for t in timings),
    )


def _status(shards: Sequence[GateResult]) -> Status:
    for status in (Status.ERROR, Status.FAIL):
        if any(s.status is status for s in shards):
            return status
    return Status.PASS


def generic_merge(files: Sequence[tuple[Path, GateResult]]) -> tuple[list[GateResult], GateResult]:
    """The shards (sorted, de-duplicated) and their generic merge, with an empty summary."""
    if not files:
        raise UsageError("report merge: no shard results given")
    _check_same(files, "gates", lambda r: r.gate)
    _check_same(files, "config digests", lambda r: r.config_digest)
    indexed = [(shard_of(r, p), p, r) for p, r in files]
    _check_same(files, "shard counts", lambda r: r.details["shard"]["count"])
    count = indexed[0][0][1]
    by_index: dict[int, tuple[Path, GateResult]] = {}
    duplicated: list[int] = []
    for (index, _), path, result in sorted(indexed, key=lambda t: (t[0][0], str(t[1]))):
        if index in by_index:
            duplicated.append(index)
        else:
            by_index[index] = (path, result)
    missing = [i for i in range(count) if i not in by_index]
    shards = [by_index[i][1] for i in sorted(by_index)]
    cases: list[CaseResult] = []
    seen_cases: set[str] = set()
    duplicate_cases: list[str] = []
    for shard in shards:
        for case in shard.cases:
            if case.id in seen_cases:
                duplicate_cases.append(case.id)
                continue
            seen_cases.add(case.id)
            cases.append(case)
    findings: list[Finding] = []
    seen_findings: set[str] = set()
    for shard in shards:
        for finding in shard.findings:
            key = finding.model_dump_json()
            if key not in seen_findings:
                seen_findings.add(key)
                findings.append(finding)
    errors = [
        f"shard {i + 1}/{count}: {by_index[i][1].error}"
        for i in sorted(by_index)
        if by_index[i][1].error
    ]
    kinds = {s.error_kind for s in shards if s.error_kind is not None}
    details = {k: v for k, v in shards[0].details.items() if k != "shard"}
    details["merge"] = {
        "shards": count,
        "files": [str(by_index[i][0]) for i in sorted(by_index)],
        "missing": missing,
        "duplicated": sorted(set(duplicated)),
        "duplicate_cases": duplicate_cases,
    }
    status = _status(shards)
    incomplete = (
        any(s.incomplete for s in shards)
        or bool(missing)
        or bool(duplicated)
        or bool(duplicate_cases)
    )
    merged = GateResult(
        gate=shards[0].gate,
        status=status,
        title=_title(cases, findings, count, missing),
        cases=cases,
        findings=findings,
        incomplete=incomplete,
        error="\n".join(errors) or None,
        error_kind=(ErrorKind.USAGE if ErrorKind.USAGE in kinds else ErrorKind.INFRA)
        if status is Status.ERROR
        else None,
        usage=_usage(shards),
        timings=_timings(shards),
        tool_version=shards[0].tool_version,
        config_digest=shards[0].config_digest,
        details=details,
    )
    return shards, merged


def _title(
    cases: Sequence[CaseResult], findings: Sequence[Finding], count: int, missing: Sequence[int]
) -> str:
    counts = _case_counts(cases)
    parts = [f"{counts['passed']}/{counts['cases']} cases passed"] if cases else []
    if findings:
        parts.append(f"{len(findings)} findings")
    parts.append(f"merged from {count - len(missing)}/{count} shards")
    return ", ".join(parts)


def merge(files: Sequence[tuple[Path, GateResult]]) -> GateResult:
    """Merge shard results of one gate, with its registered hook or the generic figures."""
    shards, merged = generic_merge(files)
    spec = MERGERS.get(merged.gate)
    if spec is not None:
        hook = resolve(spec)
        if not callable(hook):
            raise TypeError(f"merge hook {spec} is not a function")
        result = hook(shards, merged)
        if not isinstance(result, GateResult):
            raise TypeError(f"merge hook {spec} returned {type(result).__name__}")
        return result
    keys = {k for s in shards for k in s.summary}
    unknown = sorted(keys - GENERIC_FIGURES.keys())
    if unknown:
        raise UsageError(
            f"cannot merge {merged.gate} shards: summary figures {', '.join(unknown)} cannot be "
            f"recomputed without a merge hook for {merged.gate} (`merger` of its descriptor)"
        )
    order = [k for s in shards for k in s.summary]
    merged.summary = {k: GENERIC_FIGURES[k](merged) for k in dict.fromkeys(order)}
    return merged


def read_shards(paths: Sequence[Path]) -> list[tuple[Path, GateResult]]:
    """Load shard results files (ConfigError naming the file for a bad one)."""
    return [(Path(p), GateResult.read(Path(p))) for p in paths]
