"""Build the eval gate's GateResult from per-case results (shared by runs and shard merges)."""

from __future__ import annotations

from genai_gate.gates.eval.details import EvalDetails, Policy, RemovedCase, RunFacts
from genai_gate.gates.eval.verdict import canonical_order, decide
from genai_gate.results import (
    CaseResult,
    ErrorKind,
    Finding,
    GateResult,
    Location,
    Severity,
    Status,
    Usage,
)


def assemble(
    cases: list[CaseResult],
    pol: Policy,
    removed: list[RemovedCase],
    usage: Usage,
    *,
    error: str | None = None,
    extra: RunFacts | None = None,
) -> GateResult:
    """The result of an eval run: verdict, summary, findings for regressions and failures.

    With `error` (the target became unreachable) the result is status error, infra, incomplete:
    the partial cases are kept but nothing passes.
    """
    suites = list(pol.suites)
    cases = canonical_order(cases, suites)
    removed = sorted(removed, key=lambda r: (suites.index(r.suite), r.id))
    verdict = decide(cases, pol, removed)
    facts = RunFacts(**(extra or {}))
    if pol.baseline:
        facts["removed"] = removed
    details = EvalDetails(policy=pol, suites=verdict.suites, failures=verdict.failures, **facts)
    result = GateResult(
        gate="eval-gate",
        status=verdict.status,
        title=verdict.title,
        summary=verdict.summary.as_dict(),
        cases=cases,
        findings=_findings(cases),
        usage=usage,
        details=details.as_dict(),
    )
    if error is not None:
        result.status = Status.ERROR
        result.error = error
        result.error_kind = ErrorKind.INFRA
        result.incomplete = True
        ran = sum(1 for case in cases if not _not_run(case))
        result.title = f"incomplete: {ran} of {len(cases)} cases ran before the run stopped"
    return result


def _findings(cases: list[CaseResult]) -> list[Finding]:
    """One finding per regressed case (errors), then per failing or flaky case."""
    regressed = [c for c in cases if c.details.get("baseline", {}).get("change") == "regressed"]
    findings = [
        Finding(
            rule_id="eval/regression",
            severity=Severity.ERROR,
            message=f"{c.details.get('suite')}/{c.id} regressed: {c.reason}",
            rule_name="case passed on the baseline and fails now",
            properties={"suite": c.details.get("suite"), "case": c.id, "score": c.score},
            location=_location(c),
        )
        for c in regressed
    ]
    for case in cases:
        if case in regressed or case.status is Status.PASS or _not_run(case):
            continue  # cases never sent are covered by the result's error, not one finding each
        findings.append(
            Finding(
                rule_id=f"eval/{case.status.value}",
                severity=Severity.WARNING if case.status is Status.FLAKY else Severity.ERROR,
                message=f"{case.details.get('suite')}/{case.id}: {case.reason}",
                properties={"suite": case.details.get("suite"), "case": case.id},
                location=_location(case),
            )
        )
    return findings


def _location(case: CaseResult) -> Location | None:
    """The dataset line of the case (so annotations point at it), when known."""
    path, _, line = str(case.details.get("source") or "").rpartition(":")
    return Location(path=path, line=int(line)) if path and line.isdigit() else None


def _not_run(case: CaseResult) -> bool:
    """The case was never sent because the run stopped (circuit breaker open)."""
    return bool(case.details.get("not_run"))
