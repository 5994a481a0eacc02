"""The cost of an eval run, estimated before it starts (cost gate's model), and the budget check.

With `eval.budget_usd` the estimate is required and a run above the budget does not start. With
only a `cost:` section the estimate is informational: it goes into `details.estimate`, and a
problem computing it is recorded there instead of stopping the evaluation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from genai_gate.errors import ConfigError
from genai_gate.gates.eval.scorers.base import JudgeScorer

if TYPE_CHECKING:
    from genai_gate.config import LoadedConfig
    from genai_gate.gates.eval.details import RunEstimate, RunFacts
    from genai_gate.gates.eval.plan import SuitePlan
    from genai_gate.results import GateResult


def estimate(
    loaded: LoadedConfig,
    plans: list[SuitePlan],
    repeat: int,
    recorded: Mapping[str, str] | None = None,
) -> RunEstimate | None:
    """`details.estimate` for the planned cases, or None when neither budget nor cost is set.

    `recorded` (a replay): each case's recorded answer by case id; no target call is priced,
    and the judge reads the recorded answer instead of one as long as the expected answer.
    """
    settings = loaded.model.eval
    assert settings is not None
    if settings.budget_usd is None and loaded.model.cost is None:
        return None
    from genai_gate.gates.cost.estimate import EvalCaseText, estimate_eval_run
    from genai_gate.gates.eval.details import RunEstimate

    cases = [(plan, case) for plan in plans for case in plan.cases]
    judged = 0
    if settings.judge is not None:
        judged = sum(
            isinstance(b.scorer, JudgeScorer) for plan, case in cases for b in plan.scorers[case.id]
        )
    texts = [
        EvalCaseText(
            input="\n".join(str(m.get("content") or "") for m in case.messages()),
            expected=case.expected.answer or (recorded or {}).get(case.id, ""),
            prompt=case.prompt,
        )
        for _, case in cases
    ]
    try:
        result = estimate_eval_run(
            loaded,
            texts,
            repeats=repeat,
            judge_calls_per_case=judged / len(cases) if cases else 0,
            recorded=recorded is not None,
        )
    except ConfigError as exc:
        if settings.budget_usd is not None:
            raise
        return RunEstimate(error=str(exc))
    out = result.as_dict()
    out["cost_usd"] = round(out["cost_usd"], 6)
    if settings.budget_usd is not None:
        out["budget_usd"] = settings.budget_usd
    return RunEstimate.model_validate(out)


def over_budget(
    loaded: LoadedConfig,
    estimated: RunEstimate | None,
    remedy: str = "run fewer suites / --changed-only / --shard",
) -> str | None:
    """Why the run must not start (estimate above `eval.budget_usd`), or None; `remedy` says
    what else than raising the budget makes the run smaller."""
    settings = loaded.model.eval
    budget = settings.budget_usd if settings is not None else None
    if budget is None or estimated is None or estimated.cost_usd is None:
        return None
    if estimated.cost_usd <= budget:
        return None
    return (
        f"estimated cost ${estimated.cost_usd:.4f} of {estimated.requests} requests and "
        f"{estimated.judge_requests} judge calls is above eval.budget_usd ${budget:g}: "
        f"not started (raise the budget, or {remedy})"
    )


def not_started(reason: str, facts: RunFacts) -> GateResult:
    """A failed result without cases: the run was refused before any request."""
    from genai_gate.gates.eval.details import EvalDetails, EvalSummary
    from genai_gate.results import Finding, GateResult, Severity, Status

    finding = Finding(rule_id="eval/budget", severity=Severity.ERROR, message=reason)
    estimated = facts.get("estimate")
    summary = EvalSummary(cases=0, estimated_cost_usd=estimated.cost_usd if estimated else None)
    return GateResult(
        gate="eval-gate",
        status=Status.FAIL,
        title="not started: over the eval budget",
        summary=summary.as_dict(),
        findings=[finding],
        details=EvalDetails(**facts, failures=[reason]).as_dict(),
    )
