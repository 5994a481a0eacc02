"""The smoke test itself: health, golden cases, and the result (`command.py` is the CLI)."""

from __future__ import annotations

import asyncio
import math
import os
from pathlib import Path

from genai_gate.context import Context
from genai_gate.errors import UsageError
from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.dataset import load_dataset
from genai_gate.gates.smoke.options import Options
from genai_gate.gates.smoke.probe import (
    HEALTHY,
    ChatOutcome,
    Health,
    Unreachable,
    chat,
    health,
)
from genai_gate.gates.smoke.settings import SmokeSettings
from genai_gate.gates.smoke.summary import SmokeDetails, SmokeSummary
from genai_gate.integrations.http import DeadlineHttp
from genai_gate.results import CaseResult, Finding, GateResult, Severity, Status

GATE = "smoke-test"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (`share` in (0, 1]) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _settings_and_dataset(options: Options, ctx: Context) -> tuple[SmokeSettings, Path | None]:
    loaded = ctx.config_if_present()
    settings = (loaded.model.smoke if loaded else None) or SmokeSettings()
    if options.dataset:
        return settings, Path(options.dataset)
    if settings.dataset and loaded is not None:
        return settings, loaded.resolve(settings.dataset)
    return settings, None


def select_cases(settings: SmokeSettings, dataset: Path | None) -> list[Case]:
    """The cases to send: the listed ids, else the first `sample` of the dataset."""
    if dataset is None:
        return []
    cases = load_dataset(dataset)
    if not settings.cases:
        return cases[: settings.sample]
    by_id = {case.id: case for case in cases}
    missing = [case_id for case_id in settings.cases if case_id not in by_id]
    if missing:
        raise UsageError(f"smoke.cases: not in {dataset}: {', '.join(missing)}")
    return [by_id[case_id] for case_id in settings.cases]


def auth_headers(settings: SmokeSettings) -> dict[str, str]:
    """The Authorization header from `smoke.bearer_token_env` (exit 2 when it is unset)."""
    if not settings.bearer_token_env:
        return {}
    token = os.environ.get(settings.bearer_token_env)
    if not token:
        variable = settings.bearer_token_env
        raise UsageError(f"smoke.bearer_token_env: environment variable {variable} is not set")
    return {"Authorization": f"Bearer {token}"}


async def send_cases(
    http: DeadlineHttp, url: str, cases: list[Case], headers: dict[str, str], concurrency: int
) -> list[ChatOutcome]:
    """Every case through the chat endpoint, `concurrency` at a time, in dataset order."""
    gate = asyncio.Semaphore(concurrency)

    async def one(case: Case) -> ChatOutcome:
        async with gate:
            return await chat(http, url, case, headers)

    return list(await asyncio.gather(*(one(case) for case in cases)))


def run(options: Options, ctx: Context) -> GateResult:
    """Probe health, send the cases, judge latency and the error budget."""
    settings, dataset = _settings_and_dataset(options, ctx)
    base = (options.url or settings.url or "").rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise UsageError("smoke-test needs --url (or smoke.url) starting with http:// or https://")
    cases = select_cases(settings, dataset)
    headers = auth_headers(settings)
    chat_url = base + settings.chat_path
    with DeadlineHttp.within(settings) as http:
        report = http.run(health(http, base + settings.health_path, headers))
        if health_findings(report, settings.require_checks):
            return _result(settings, report, cases, [])
        outcomes = http.run(send_cases(http, chat_url, cases, headers, settings.concurrency))
    unanswered = sum(outcome.status_code is None for outcome in outcomes)
    if outcomes and unanswered == len(outcomes):
        raise Unreachable(f"{chat_url}: no case got an answer: {outcomes[0].error}")
    if unanswered and http.remaining_s() <= 0:
        raise Unreachable(
            f"the smoke test's deadline of {settings.run_timeout_s:g} s passed before every "
            f"case was answered ({unanswered} of {len(outcomes)} unanswered)"
        )
    return _result(settings, report, cases, outcomes)


def _health_case(report: Health, healthy: bool) -> CaseResult:
    failing = [name for name, (ok, _) in report.checks.items() if not ok]
    reason = report.problem or (
        f"HTTP {report.status_code}, status {report.status!r}"
        + (f", failing: {', '.join(failing)}" if failing else "")
    )
    return CaseResult(
        id="health",
        status=Status.PASS if healthy else Status.FAIL,
        reason=reason,
        latency_ms=round(report.latency_ms, 1),
        details={"checks": {n: {"ok": ok, "detail": d} for n, (ok, d) in report.checks.items()}},
    )


def _case(case: Case, outcome: ChatOutcome) -> CaseResult:
    failed = outcome.error is not None or bool(outcome.problems)
    reason = outcome.error or "; ".join(outcome.problems) or "answer as expected"
    return CaseResult(
        id=case.id,
        status=Status.FAIL if failed else Status.PASS,
        reason=reason,
        latency_ms=round(outcome.latency_ms, 1),
        tags=list(case.tags),
    )


def health_findings(report: Health, require_checks: bool) -> list[Finding]:
    """Why the health answer is not good enough (empty when healthy)."""
    findings = []
    if report.problem or report.status_code != 200 or report.status not in HEALTHY:
        what = report.problem or f"HTTP {report.status_code}, status {report.status!r}"
        findings.append(_error("smoke/health", what))
    for name, (ok, detail) in report.checks.items():
        if not ok:
            failed = f"dependency check {name} failed" + (f": {detail}" if detail else "")
            findings.append(_error(f"smoke/health/{name}", failed))
    if require_checks and not report.checks and not report.problem:
        findings.append(
            _error("smoke/health/checks", "the health answer lists no dependency checks")
        )
    return findings


def _error(rule_id: str, message: str) -> Finding:
    return Finding(rule_id=rule_id, severity=Severity.ERROR, message=message)


def _result(
    settings: SmokeSettings, report: Health, cases: list[Case], outcomes: list[ChatOutcome]
) -> GateResult:
    findings = health_findings(report, settings.require_checks)
    healthy = not findings
    results = [_health_case(report, healthy)]
    results += [_case(case, outcome) for case, outcome in zip(cases, outcomes, strict=False)]
    failed = sum(1 for r in results[1:] if r.status is Status.FAIL)
    latencies = [o.latency_ms for o in outcomes if o.status_code is not None]
    p95 = round(percentile(latencies, 0.95), 1) if latencies else None
    error_rate = failed / len(outcomes) if outcomes else None
    summary = SmokeSummary(
        healthy=healthy,
        cases=len(outcomes),
        failed=failed,
        error_rate=None if error_rate is None else round(error_rate, 4),
        latency_p95_ms=p95,
    )
    if error_rate is not None and error_rate > settings.error_budget:
        budget = f"{settings.error_budget:.0%}"
        message = f"{failed}/{len(outcomes)} cases failed, over the error budget of {budget}"
        findings.append(_error("smoke/error-budget", message))
    if p95 is not None and p95 > settings.max_latency_p95_ms:
        limit = settings.max_latency_p95_ms
        message = f"latency p95 {p95:.0f} ms over the limit of {limit:.0f} ms"
        findings.append(_error("smoke/latency", message))
    passed = not findings
    if not healthy:
        title = "unhealthy: " + "; ".join(f.message for f in findings)
    elif not cases:
        title = "healthy (no golden cases configured: set smoke.dataset or --dataset)"
    else:
        title = f"healthy; {len(outcomes) - failed}/{len(outcomes)} cases passed" + (
            f", p95 {p95:.0f} ms" if p95 is not None else ""
        )
    return GateResult(
        gate=GATE,
        status=Status.PASS if passed else Status.FAIL,
        title=title,
        summary=summary.as_dict(),
        cases=results,
        findings=findings,
        details=SmokeDetails().as_dict(),
    )
