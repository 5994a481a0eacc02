"""The gate decision from per-case results: suite means, intervals, paired test, thresholds.

Pure: it reads only the cases and the policy stored in the result, so `merge_results` reaches the
same verdict for merged shards as an unsharded run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from genai_gate.gates.eval.compare import change_counts, counts_as_pass
from genai_gate.gates.eval.details import (
    Changes,
    EvalSummary,
    Interval,
    PairedCheck,
    Policy,
    RemovedCase,
    SuiteVerdict,
)
from genai_gate.gates.eval.settings import EvalSettings, StatsSettings, Thresholds
from genai_gate.gates.eval.stats import (
    bootstrap_mean,
    paired_bootstrap,
    sign_test,
    weighted_mean,
    wilson,
)
from genai_gate.results import CaseResult, Status

ModelT = TypeVar("ModelT", bound=BaseModel)


def policy(
    settings: EvalSettings, suites: list[str], max_errors: int, baseline: bool, repeat: int
) -> Policy:
    """What the verdict depends on, stored in `details.policy` of the result."""
    return Policy(
        repeat=repeat,
        suites={name: _every_field(settings.suites[name].thresholds) for name in suites},
        defaulted={
            name: sorted(
                set(Thresholds.model_fields) - settings.suites[name].thresholds.model_fields_set
            )
            for name in suites
        },
        stats=_every_field(settings.stats),
        max_errors=max_errors,
        baseline=baseline,
    )


def _every_field(settings: ModelT) -> ModelT:
    """`settings` with every field set, so that the results file shows the defaults too."""
    return type(settings).model_validate(settings.model_dump())


@dataclass
class Verdict:
    """Outcome of the gate rules."""

    status: Status
    title: str
    summary: EvalSummary
    suites: dict[str, SuiteVerdict]
    failures: list[str] = field(default_factory=list)
    """Why the gate failed, one line per broken rule."""


def canonical_order(cases: list[CaseResult], suites: list[str]) -> list[CaseResult]:
    """Cases sorted by suite order then dataset position (what an unsharded run produces)."""
    rank = {name: i for i, name in enumerate(suites)}
    return sorted(
        cases,
        key=lambda c: (rank.get(c.details.get("suite", ""), len(rank)), c.details.get("index", 0)),
    )


def decide(cases: list[CaseResult], pol: Policy, removed: list[RemovedCase]) -> Verdict:
    """Apply every suite's thresholds, the error budget and the regression test."""
    errored = [c for c in cases if c.status is Status.ERROR]
    within_budget = len(errored) <= pol.max_errors
    failures: list[str] = []
    if errored and not within_budget:
        failures.append(
            f"{len(errored)} case(s) errored, above the error budget of {pol.max_errors}"
        )
    suites: dict[str, SuiteVerdict] = {}
    for name, thresholds in pol.suites.items():
        mine = [c for c in cases if c.details.get("suite") == name]
        gone = [r for r in removed if r.suite == name]
        suite, broken = _suite(mine, thresholds, pol.stats, within_budget, pol.baseline, len(gone))
        failures += [f"{name}: {f}" for f in broken]
        suites[name] = suite
    summary = _summary(cases, suites, removed, pol.baseline)
    status = Status.FAIL if failures else Status.PASS
    return Verdict(status, _title(summary, failures), summary, suites, failures)


def _suite(
    cases: list[CaseResult],
    thresholds: Thresholds,
    stats: StatsSettings,
    errors_excused: bool,
    baseline: bool,
    removed: int,
) -> tuple[SuiteVerdict, list[str]]:
    """The suite's figures, and the rules it broke."""
    counted = [c for c in cases if not (errors_excused and c.status is Status.ERROR)]
    weights = [float(c.details.get("weight", 1.0)) for c in counted]
    scores = [c.score or 0.0 for c in counted]
    passes = [1.0 if counts_as_pass(c) else 0.0 for c in counted]
    mean = weighted_mean(scores, weights)
    pass_rate = weighted_mean(passes, weights) if counted else 0.0
    if stats.ci_method == "wilson":
        ci = wilson(pass_rate * len(counted), len(counted), stats.confidence)
    else:
        ci = bootstrap_mean(scores, weights, stats.confidence, stats.bootstrap_samples, stats.seed)
    failures = []
    if not counted:
        failures.append("no case could be evaluated")
    if thresholds.min_score is not None and mean < thresholds.min_score:
        failures.append(f"mean score {mean:.3f} < min_score {thresholds.min_score}")
    if pass_rate < thresholds.min_pass_rate:
        failures.append(f"pass rate {pass_rate:.3f} < min_pass_rate {thresholds.min_pass_rate}")
    compared: dict[str, Any] = {}
    if baseline:
        compared["changes"] = Changes(**change_counts(cases, removed))
        test = _paired(cases, stats)
        if test is not None:
            compared["paired_test"] = test
            if thresholds.no_significant_regression and test.significant_regression:
                failures.append(
                    f"significant regression vs baseline ({test.method}, "
                    f"p={test.p_value:.4f} < alpha {stats.alpha})"
                )
    suite = SuiteVerdict(
        cases=len(cases),
        passed=sum(1 for c in cases if c.status is Status.PASS),
        failed=sum(1 for c in cases if c.status is Status.FAIL),
        flaky=sum(1 for c in cases if c.status is Status.FLAKY),
        errors=sum(1 for c in cases if c.status is Status.ERROR),
        score=round(mean, 4),
        pass_rate=round(pass_rate, 4),
        ci=Interval(
            low=round(ci.low, 4),
            high=round(ci.high, 4),
            method=ci.method,
            confidence=ci.confidence,
            of="pass rate" if ci.method == "wilson" else "mean score",
        ),
        thresholds=Thresholds.model_validate(thresholds.model_dump(exclude_none=True)),
        **compared,
    )
    return suite, failures


def _paired(cases: list[CaseResult], stats: StatsSettings) -> PairedCheck | None:
    pairs = [
        (float(c.details["baseline"]["score"]), c.score or 0.0)
        for c in cases
        if c.status is not Status.ERROR
        and c.details.get("baseline", {}).get("score") is not None
        and c.details["baseline"].get("status") != Status.ERROR.value
    ]
    if not pairs:
        return None
    base, head = [p[0] for p in pairs], [p[1] for p in pairs]
    if stats.paired_test == "sign":
        test = sign_test(base, head, stats.alpha)
    else:
        test = paired_bootstrap(base, head, stats.alpha, stats.bootstrap_samples, stats.seed)
    return PairedCheck(
        method=test.method,
        pairs=test.n,
        mean_delta=round(test.mean_delta, 4),
        p_value=round(test.p_value, 5),
        alpha=test.alpha,
        worse=test.worse,
        better=test.better,
        significant_regression=test.significant_regression,
    )


def _summary(
    cases: list[CaseResult],
    suites: dict[str, SuiteVerdict],
    removed: list[RemovedCase],
    baseline: bool,
) -> EvalSummary:
    weights = [float(c.details.get("weight", 1.0)) for c in cases]
    figures: dict[str, Any] = {}
    if len(suites) == 1:
        only = next(iter(suites.values()))
        figures.update(pass_rate=only.pass_rate, ci_low=only.ci.low, ci_high=only.ci.high)
    if baseline:
        counts = change_counts(cases, len(removed))
        figures.update({k: counts[k] for k in ("regressed", "fixed", "new", "removed")})
    latencies = sorted(c.latency_ms for c in cases if c.latency_ms is not None)
    if latencies:
        figures["latency_p50_ms"] = round(latencies[len(latencies) // 2], 1)
        figures["latency_p95_ms"] = round(
            latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))], 1
        )
    return EvalSummary(
        cases=len(cases),
        passed=sum(s.passed for s in suites.values()),
        failed=sum(s.failed for s in suites.values()),
        flaky=sum(s.flaky for s in suites.values()),
        errors=sum(s.errors for s in suites.values()),
        score=round(weighted_mean([c.score or 0.0 for c in cases], weights), 4),
        **figures,
    )


def _title(summary: EvalSummary, failures: list[str]) -> str:
    text = f"{summary.passed}/{summary.cases} cases passed, mean score {summary.score or 0:.2f}"
    if summary.ci_low is not None and summary.ci_high is not None:
        text += f" [{summary.ci_low:.2f}, {summary.ci_high:.2f}]"
    extras = [
        f"{count} {label}"
        for count, label in (
            (summary.flaky, "flaky"),
            (summary.errors, "errored"),
            (summary.regressed, "regressed"),
        )
        if count
    ]
    if extras:
        text += " (" + ", ".join(extras) + ")"
    if failures:
        text += f"; {failures[0]}"
    return text
