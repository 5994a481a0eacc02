"""Turn a judgement into the gate's result: decision, score, evidence table, plot, audit event."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from genai_gate.gates.canary.collect import Collected, Coverage, Window
from genai_gate.gates.canary.judge import (
    Classification,
    Decision,
    Judgement,
    MetricVerdict,
    SampleStats,
)
from genai_gate.gates.canary.plot import Panel, render_svg
from genai_gate.gates.canary.rules import RuleOutcome
from genai_gate.gates.canary.summary import CanarySummary
from genai_gate.results import (
    CaseResult,
    ErrorKind,
    Finding,
    GateResult,
    Severity,
    Status,
)

GATE = "canary-gate"


@dataclass(frozen=True)
class StepContext:
    """What was judged: step, labels, window and where the metrics came from."""

    step: int
    next_step: int
    baseline: str
    canary: str
    window: Window
    prometheus_url: str
    baseline_window: Window | None = None
    """The baseline's own period when it ends earlier (`--baseline-end`)."""

    def windows(self) -> dict[str, dict[str, str]]:
        """Judged period(s) for the audit record: `window`, and `baseline_window` when apart."""
        periods = {"window": _window(self.window)}
        if self.baseline_window is not None:
            periods["baseline_window"] = _window(self.baseline_window)
        return periods


def public_url(url: str) -> str:
    """The URL without user:password, safe for reports and the audit log."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds")


def _window(window: Window) -> dict[str, str]:
    return {"start": _iso(window.end - window.window_s), "end": _iso(window.end)}


def _number(value: float | None) -> float | str | None:
    """JSON-safe number: rounded, infinities as strings."""
    if value is None:
        return None
    if not math.isfinite(value):
        return "inf" if value > 0 else ("-inf" if value < 0 else "nan")
    return float(f"{value:.6g}")


def _side(stats: SampleStats, dropped: int) -> dict[str, Any]:
    return {
        "n": stats.count,
        "dropped": dropped,
        "mean": _number(stats.mean),
        "median": _number(stats.median),
        "stdev": _number(stats.stdev),
    }


def evidence_row(verdict: MetricVerdict, queries: tuple[str, str]) -> dict[str, Any]:
    """One row of the per-metric evidence table."""
    metric, test = verdict.metric, verdict.test
    return {
        "metric": metric.name,
        "classification": verdict.classification.value,
        "reason": verdict.reason,
        "direction": metric.direction,
        "critical": metric.critical,
        "group": metric.group or metric.name,
        "baseline": _side(verdict.baseline, verdict.dropped[0]),
        "canary": _side(verdict.canary, verdict.dropped[1]),
        "mean_ratio": _number(verdict.mean_ratio),
        "p_value": _number(test.p_value) if test else None,
        "effect": _number(test.estimate) if test else None,
        "confidence_interval": [_number(test.lower), _number(test.upper)] if test else None,
        "queries": {"baseline": queries[0], "canary": queries[1]},
    }


def rule_row(outcome: RuleOutcome) -> dict[str, Any]:
    """One rule's outcome with its figures."""
    return {
        "rule": outcome.rule,
        "metric": outcome.metric,
        "fired": outcome.fired,
        "reason": outcome.reason,
        "value": _number(outcome.value),
        "threshold": _number(outcome.threshold),
        "ratio": _number(outcome.ratio),
    }


def coverage_row(coverage: Coverage, requests: list[float]) -> dict[str, Any]:
    """Scrapes and requests per window of one side."""
    return {
        "expected_samples": coverage.expected,
        "needed_samples": coverage.needed,
        "samples": coverage.samples,
        "missing_windows": coverage.missing,
        "requests": [round(r) for r in requests],
    }


def next_traffic(decision: Decision, ctx: StepContext) -> int:
    """Canary traffic percentage the workflow should set after this decision."""
    if decision is Decision.PROMOTE:
        return ctx.next_step
    return ctx.step if decision is Decision.HOLD else 0


def audit_event(
    ctx: StepContext,
    decision: Decision,
    reason: str,
    score: float | None,
    metrics: dict[str, str],
) -> dict[str, Any]:
    """The record the audit-log gate appends for this canary step."""
    return {
        "event": "canary-step",
        "step": ctx.step,
        "decision": decision.value,
        "next_traffic_pct": next_traffic(decision, ctx),
        "score": score,
        "reason": reason,
        "baseline": ctx.baseline,
        "canary": ctx.canary,
        **ctx.windows(),
        "metrics": metrics,
        "prometheus": public_url(ctx.prometheus_url),
        "success": decision is Decision.PROMOTE,
    }


def _panel_verdict(verdict: MetricVerdict, rule_fired: bool) -> str:
    """The chart's label: a fired rule marks the metric in its harmful direction."""
    if not rule_fired:
        return verdict.classification.value
    return "low" if verdict.metric.direction == "decrease" else "high"


def plot(judgement: Judgement, collected: Collected, ctx: StepContext) -> str:
    """SVG chart of baseline vs canary for every metric."""
    panels = []
    fired = {o.metric for o in judgement.rules if o.fired}
    ends = collected.window.ends()
    for verdict in judgement.verdicts:
        name = verdict.metric.name
        baseline, canary = collected.series[name]
        panels.append(
            Panel(
                title=name,
                verdict=_panel_verdict(verdict, name in fired),
                baseline=(ends, [math.nan if v is None else v for v in baseline.values]),
                canary=(ends, [math.nan if v is None else v for v in canary.values]),
            )
        )
    title = f"step {ctx.step}%: {ctx.canary} vs {ctx.baseline} -> {judgement.decision.value}"
    return render_svg(panels, title)


def _case(verdict: MetricVerdict, fired: list[RuleOutcome]) -> CaseResult:
    status = {
        Classification.PASS: Status.PASS,
        Classification.NODATA: Status.SKIPPED,
    }.get(verdict.classification, Status.FAIL)
    mine = [o.rule for o in fired if o.metric == verdict.metric.name]
    if mine:
        status = Status.FAIL
    rules = f"rule(s) fired: {', '.join(mine)}; " if mine else ""
    return CaseResult(
        id=verdict.metric.name,
        status=status,
        reason=f"{rules}kayenta {verdict.classification.value}: {verdict.reason}",
        tags=["critical"] if verdict.metric.critical else [],
    )


def _finding(verdict: MetricVerdict) -> Finding:
    critical = verdict.metric.critical
    return Finding(
        rule_id=f"canary/{verdict.metric.name}",
        rule_name=verdict.metric.name,
        severity=Severity.ERROR if critical else Severity.WARNING,
        message=f"{verdict.metric.name} is {verdict.classification.value.upper()} in the canary: "
        f"{verdict.reason}" + (" (critical metric)" if critical else ""),
    )


def _rule_finding(outcome: RuleOutcome) -> Finding:
    return Finding(
        rule_id=f"canary/{outcome.rule}",
        rule_name=outcome.rule,
        severity=Severity.ERROR,
        message=f"rule {outcome.rule} fired: {outcome.reason}",
    )


def build_result(judgement: Judgement, collected: Collected, ctx: StepContext) -> GateResult:
    """The gate result of a judged step (status pass only for promote)."""
    decision = judgement.decision
    metrics = {v.metric.name: v.classification.value for v in judgement.verdicts}
    fired = [o for o in judgement.rules if o.fired]
    failed = [
        n for n, c in metrics.items() if c in ("high", "low") or n in {o.metric for o in fired}
    ]
    summary = CanarySummary(
        decision=decision.value,
        step=ctx.step,
        next_traffic_pct=next_traffic(decision, ctx),
        failed_metrics=",".join(failed),
        baseline_requests=round(collected.requests[0]),
        canary_requests=round(collected.requests[1]),
        score=judgement.score,
    )
    score_text = f", score {judgement.score:g}" if judgement.score is not None else ""
    return GateResult(
        gate=GATE,
        status=Status.PASS if decision is Decision.PROMOTE else Status.FAIL,
        title=f"{decision.value} at step {ctx.step}%{score_text}: {judgement.reason}",
        summary=summary.as_dict(),
        cases=[_case(v, fired) for v in judgement.verdicts],
        findings=[_rule_finding(o) for o in fired]
        + [_finding(v) for v in judgement.verdicts if v.harmful],
        details={
            "reason": judgement.reason,
            "decided_by": judgement.decided_by,
            "critical_failures": judgement.critical_failures,
            "rules": [rule_row(o) for o in judgement.rules],
            "coverage": {
                side: coverage_row(cover, requests)
                for side, cover, requests in zip(
                    ("baseline", "canary"),
                    collected.coverage or (),
                    collected.traffic,
                    strict=False,
                )
            },
            "metrics": [
                evidence_row(v, collected.queries[v.metric.name]) for v in judgement.verdicts
            ],
            "window": {**_window(ctx.window), "interval_s": ctx.window.interval_s},
            **({"baseline_window": _window(ctx.baseline_window)} if ctx.baseline_window else {}),
            "audit_event": audit_event(ctx, decision, judgement.reason, judgement.score, metrics),
        },
    )


def error_result(message: str, ctx: StepContext) -> GateResult:
    """Prometheus failed: status error (exit 3) and decision hold, never promote."""
    reason = f"metrics unavailable: {message}"
    return GateResult(
        gate=GATE,
        status=Status.ERROR,
        error=message,
        error_kind=ErrorKind.INFRA,
        incomplete=True,
        title=f"hold at step {ctx.step}%: {reason}",
        summary=CanarySummary(
            decision=Decision.HOLD.value, step=ctx.step, next_traffic_pct=ctx.step
        ).as_dict(),
        details={
            "reason": reason,
            "audit_event": audit_event(ctx, Decision.HOLD, reason, None, {}),
        },
    )
