"""Running the planned suites: target requests, lexical scoring, judge rounds, per-case results.

Every sample of every case is one runner job (sample k: its own seed `seed + k` and its own cache
entry). All target jobs of a target go out as one batch, then all judge requests as one batch per
round; invalid verdicts are retried in further rounds and then count as errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genai_gate.gates.eval.cachekey import PromptKeyedTarget, registry_digest
from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.evidence import case_evidence
from genai_gate.gates.eval.plan import BoundScorer, SuitePlan, case_digest
from genai_gate.gates.eval.scorers.base import InvalidVerdict, JudgeScorer, Sample, Score
from genai_gate.gates.eval.settings import EvalSettings
from genai_gate.gcpolicy import few_collections
from genai_gate.results import CaseResult, Status, Usage
from genai_gate.runner import CircuitOpen, Job, Outcome, Runner, RunReport
from genai_gate.targets import build_target
from genai_gate.targets.interface import ChatRequest, ChatResponse

if TYPE_CHECKING:
    from genai_gate.config import LoadedConfig

JUDGE_SEED_STEP = 7919
"""Seed offset between judge attempts (a retry must not replay the same verdict)."""


@dataclass
class SampleOutcome:
    """Scores of one sample."""

    response_ok: bool
    latency_ms: float | None = None
    """Wall time of the target's answer (None without a request: a recorded answer)."""
    scores: dict[str, Score] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    pending: dict[str, tuple[JudgeScorer, Sample]] = field(default_factory=dict)
    """Judge scorers still waiting for a valid verdict, by label."""
    stopped: bool = False
    """The request was never sent because the run stopped (target unreachable)."""
    answer: str | None = None
    """The target's answer text (None when there was no response)."""


@dataclass
class RunOutput:
    """Per-case results, what the run consumed, and why it was cut short (if it was)."""

    cases: list[CaseResult]
    usage: Usage
    error: str | None = None


class Evaluator:
    """Runs suite plans against their targets and scores the answers."""

    def __init__(
        self,
        loaded: LoadedConfig,
        settings: EvalSettings,
        repeat: int,
        cache_dir: Path | None = None,
        progress: bool = False,
        recorded: Mapping[str, ChatResponse] | None = None,
    ) -> None:
        self.loaded = loaded
        self.settings = settings
        self.repeat = repeat
        self.cache_dir = cache_dir
        """Response cache folder (None: no cache)."""
        self.progress = progress
        self.recorded = recorded
        """Recorded answers by job key (`--replay`): scored instead of calling the target."""
        self.usage = Usage()
        self.error: str | None = None
        self.prompts_digest = registry_digest(loaded.resolve(loaded.model.registry.prompts))

    def runner(self, target: str, label: str) -> Runner:
        """A runner for `target` with the config's runner settings and response cache."""
        return Runner(
            PromptKeyedTarget(build_target(self.loaded, target), self.prompts_digest),
            self.loaded.model.runner,
            self.cache_dir,
            progress=self.progress,
            label=label,
        )

    def check_judge(self, plans: list[SuitePlan]) -> None:
        """A scorer that needs a judge and has no fallback requires `eval.judge`."""
        judge = self.settings.judge
        if judge is not None:
            if judge.target not in self.loaded.model.targets:
                known = ", ".join(sorted(self.loaded.model.targets))
                raise self.loaded.error(
                    f"unknown judge target {judge.target!r} (known: {known})",
                    "eval",
                    "judge",
                    "target",
                )
            return
        for plan in plans:
            for bound in (b for bs in plan.scorers.values() for b in bs):
                scorer = bound.scorer
                if (
                    isinstance(scorer, JudgeScorer)
                    and type(scorer).fallback is JudgeScorer.fallback
                ):
                    raise self.loaded.error(
                        f"suite {plan.name!r} uses scorer {bound.label!r}, which needs a judge: "
                        "set eval.judge.target",
                        "eval",
                    )

    def run(self, plans: list[SuitePlan]) -> RunOutput:
        """Evaluate every planned case; a dead target ends the run with partial results.

        A plan is run once: its evaluated cases leave `plan.cases` as their results are built."""
        with few_collections():
            return self._evaluate(plans)

    def _evaluate(self, plans: list[SuitePlan]) -> RunOutput:
        """Each answer is scored and dropped in job order, and a case is aggregated into its
        result (and released) as soon as its samples are scored, after the judge rounds when it
        has judge scorers: a run holds the answers, samples and cases of unfinished cases only."""
        self.check_judge(plans)
        results: dict[str, dict[str, CaseResult | None]] = {p.name: {} for p in plans}
        judged: list[tuple[SuitePlan, Case, list[SampleOutcome]]] = []
        for target in dict.fromkeys(p.target for p in plans):
            group = [p for p in plans if p.target == target]
            outcomes = self._answers(
                target,
                [
                    Job(job_key(p.name, c.id, k), self.request(c, k), sample=k)
                    for p in group
                    for c in p.cases
                    for k in range(self.repeat)
                ],
            )
            outcomes.reverse()  # popped in job order: each answer is freed once scored
            for plan in group:
                waiting, plan.cases = plan.cases[::-1], []
                done = results[plan.name]
                while waiting:
                    case = waiting.pop()
                    scorers = plan.scorers[case.id]
                    samples = [
                        self._score(case, scorers, outcomes.pop(), k) for k in range(self.repeat)
                    ]
                    if any(s.pending for s in samples):
                        judged.append((plan, case, samples))
                        done[case.id] = None  # its place in the order; the result comes later
                    else:
                        done[case.id] = case_result(plan, case, samples)
            if self.error is not None:
                break
        self._judge({(plan.name, case.id): samples for plan, case, samples in judged})
        for plan, case, samples in judged:
            results[plan.name][case.id] = case_result(plan, case, samples)
        return RunOutput(
            [r for by_id in results.values() for r in by_id.values() if r is not None],
            self.usage,
            error=self.error,
        )

    def request(self, case: Case, sample: int) -> ChatRequest:
        """The target request of sample `sample` of `case`."""
        return ChatRequest(
            messages=tuple(case.messages()),
            temperature=self.settings.temperature,
            seed=self.settings.seed + sample,
            context=tuple(case.context),
            tool_outputs=dict(case.tool_outputs),
            session=dict(case.session),
        )

    def _answers(self, target: str, jobs: list[Job]) -> list[Outcome]:
        """The target's answers to `jobs`, or the recorded ones (no request is sent)."""
        if self.recorded is None:
            return self._run(target, jobs, f"eval {target}").outcomes
        return [Outcome(job, self.recorded[job.key], None, 0) for job in jobs]

    def _run(self, target: str, jobs: list[Job], label: str) -> RunReport:
        """Run a batch; when the circuit opens, `self.error` is set and the partial report (jobs
        not run carry an error) is returned."""
        if not jobs:
            return RunReport([])
        try:
            report = self.runner(target, label).run(jobs)
        except CircuitOpen as exc:
            report = exc.partial
            self.error = str(exc)
        self._account(report)
        return report

    def _account(self, report: RunReport) -> None:
        stats = report.stats
        self.usage.prompt_tokens += stats.prompt_tokens
        self.usage.completion_tokens += stats.completion_tokens
        self.usage.requests += stats.sent
        self.usage.cached_requests += stats.cache_hits

    def _score(
        self, case: Case, scorers: list[BoundScorer], outcome: Outcome, index: int
    ) -> SampleOutcome:
        if outcome.response is None:
            return SampleOutcome(
                False, errors=[f"target: {outcome.error}"], stopped=outcome.stopped
            )
        sample = Sample(case, outcome.response, index)
        latency = None if self.recorded is not None else outcome.response.latency_ms
        result = SampleOutcome(True, latency_ms=latency, answer=outcome.response.content)
        for bound in scorers:
            scorer = bound.scorer
            if isinstance(scorer, JudgeScorer) and self.settings.judge is not None:
                result.pending[bound.label] = (scorer, sample)
                continue
            try:
                result.scores[bound.label] = scorer.score(sample)
            except Exception as exc:  # a scorer bug errors the sample, never passes it
                result.errors.append(f"{bound.label}: {type(exc).__name__}: {exc}")
        return result

    def _judge(self, samples: dict[tuple[str, str], list[SampleOutcome]]) -> None:
        judge = self.settings.judge
        if judge is None:
            return
        pending = [
            (key, k, label, scorer, sample)
            for key, outcomes in samples.items()
            for k, outcome in enumerate(outcomes)
            for label, (scorer, sample) in outcome.pending.items()
        ]
        last_problem: dict[tuple[tuple[str, str], int, str], str] = {}
        for attempt in range(judge.retries + 1):
            if not pending or self.error is not None:
                break
            jobs = [
                Job(
                    f"judge/{key[0]}/{key[1]}#{k}/{label}",
                    scorer.judge_request(
                        sample, self.settings.seed + k + attempt * JUDGE_SEED_STEP, judge.model
                    ),
                    sample=attempt,
                )
                for key, k, label, scorer, sample in pending
            ]
            report = self._run(judge.target, jobs, "judge")
            retry = []
            for item, outcome in zip(pending, report.outcomes, strict=True):
                key, k, label, scorer, sample = item
                target = samples[key][k]
                if outcome.response is None:
                    target.errors.append(f"{label}: judge request failed: {outcome.error}")
                    target.pending.pop(label)
                    continue
                try:
                    target.scores[label] = scorer.parse_verdict(sample, outcome.response.content)
                    target.pending.pop(label)
                except InvalidVerdict as exc:
                    last_problem[key, k, label] = str(exc)
                    retry.append(item)
            pending = retry
        for key, k, label, _, _ in pending:
            target = samples[key][k]
            problem = last_problem.get((key, k, label))
            if self.error is not None:
                target.errors.append(f"{label}: not judged: the run was stopped")
            else:
                attempts = judge.retries + 1
                target.errors.append(
                    f"{label}: invalid judge verdict after {attempts} attempts: {problem}"
                )
            target.pending.pop(label)


def job_key(suite: str, case_id: str, sample: int) -> str:
    """Runner job key of sample `sample` of a case."""
    return f"{suite}/{case_id}#{sample}"


def sample_score(
    outcome: SampleOutcome, scorers: list[BoundScorer], threshold: float | None = None
) -> tuple[float, bool]:
    """(weighted score, passed) of a fully scored sample; with a case `threshold` the weighted
    score decides, else every scorer must pass."""
    total = sum(b.weight for b in scorers)
    value = sum(outcome.scores[b.label].value * b.weight for b in scorers)
    passed = all(outcome.scores[b.label].value >= b.threshold for b in scorers)
    score = value / total if total else float(passed)
    return score, passed if threshold is None else score >= threshold


def case_result(plan: SuitePlan, case: Case, outcomes: list[SampleOutcome]) -> CaseResult:
    """Aggregate the samples of one case into its CaseResult (pass / fail / flaky / error)."""
    scorers = plan.scorers[case.id]
    errors = [e for o in outcomes for e in o.errors]
    thresholds = plan.settings.thresholds
    details: dict[str, Any] = {
        "suite": plan.name,
        "index": plan.index[case.id],
        "weight": case.weight,
        "digest": case_digest(case),
        "samples": len(outcomes),
    }
    if case.prompt:
        details["prompt"] = case.prompt
    if case.description:
        details["description"] = case.description
    if case.id in plan.unchanged:
        details["unchanged_prompt"] = True
    latencies = [o.latency_ms for o in outcomes if o.latency_ms is not None]
    latency = round(sum(latencies) / len(latencies), 3) if latencies else None
    if not scorers:
        errors.append("no scorer applies to this case (nothing in `expected` to check)")
    if errors:
        details["errors"] = errors
        if all(o.stopped for o in outcomes):
            details["not_run"] = True
        answer = next((o.answer for o in outcomes if o.answer is not None), None)
        details.update(case_evidence(case, answer, plan.sources.get(case.id)))
        return CaseResult.model_construct(  # built from checked values: no validation copy
            _SET_FIELDS,
            id=case.id,
            status=Status.ERROR,
            score=0.0,
            reason=errors[0],
            latency_ms=latency,
            tags=list(case.tags),
            details={**details, "pass_rate": 0.0, "counts_as_pass": False},
        )
    scored = [sample_score(o, scorers, case.threshold) for o in outcomes]
    passed = sum(1 for _, ok in scored if ok)
    pass_rate = passed / len(scored)
    mean = sum(s for s, _ in scored) / len(scored)
    status = Status.PASS if passed == len(scored) else Status.FAIL if passed == 0 else Status.FLAKY
    per_scorer = {}
    for bound in scorers:
        values = [o.scores[bound.label] for o in outcomes]
        failing = [s for s in values if s.value < bound.threshold]
        shown = failing[0] if failing else values[0]
        entry: dict[str, Any] = {
            "score": round(sum(s.value for s in values) / len(values), 4),
            "threshold": bound.threshold,
            "weight": bound.weight,
            "reason": shown.reason,
        }
        if shown.method:
            entry["method"] = shown.method
        per_scorer[bound.label] = entry
    reason = _reason(status, passed, len(scored), per_scorer)
    details.update(
        {
            "pass_rate": round(pass_rate, 4),
            "passed_samples": passed,
            "counts_as_pass": pass_rate >= thresholds.case_min_pass_rate,
            "scorers": per_scorer,
        }
    )
    if len(scored) > 1:
        details["sample_scores"] = [round(s, 4) for s, _ in scored]
    if status is not Status.PASS:
        failed = next(o for o, (_, ok) in zip(outcomes, scored, strict=True) if not ok)
        details.update(case_evidence(case, failed.answer, plan.sources.get(case.id)))
    return CaseResult.model_construct(  # built from checked values: no validation copy
        _SET_FIELDS,
        id=case.id,
        status=status,
        score=round(mean, 4),
        reason=reason,
        latency_ms=latency,
        tags=list(case.tags),
        details=details,
    )


_SET_FIELDS = set(CaseResult.model_fields)
"""The fields a case result sets: every one (one set shared by all, not one per case)."""


def _reason(status: Status, passed: int, total: int, per_scorer: dict[str, Any]) -> str:
    failing = [
        f"{label}: {e['reason']}" for label, e in per_scorer.items() if e["score"] < e["threshold"]
    ]
    if status is Status.FLAKY:
        head = f"flaky: passed {passed}/{total} samples"
        return f"{head}; {failing[0]}" if failing else head
    if status is Status.FAIL:
        return "; ".join(failing) or "below threshold"
    suffix = f" ({total} samples)" if total > 1 else ""
    return "all checks passed" + suffix
