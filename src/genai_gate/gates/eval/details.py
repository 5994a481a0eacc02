"""The typed summary and details of `eval-gate`: its figures (the action outputs), the per-suite
verdict and the policy it was judged by, what the run compared with, and its cost estimate
(`cost-estimate` compares it with the usage the run recorded).

Both are written with only the keys the run produced (`as_dict` leaves unset fields out), so the
JSON is the same as when they were plain dicts; readers use `EvalSummary.of` / `EvalDetails.of`.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from pydantic import Field

from genai_gate.gates.eval.settings import StatsSettings, Thresholds
from genai_gate.results import TypedDetails, TypedSummary
from genai_gate.schema import StrictModel


class RunEstimate(StrictModel):
    """Estimated size and cost of the run (`details.estimate`); only `error` when the estimate
    could not be made."""

    cases: int | None = None
    """Cases planned."""
    repeats: int | None = None
    """Samples per case."""
    requests: int | None = None
    """Target calls: cases x repeats."""
    judge_requests: int | None = None
    """Judge calls: cases x repeats x judge calls per case."""
    input_tokens: int | None = None
    """Estimated input tokens of every call."""
    output_tokens: int | None = None
    """Estimated output tokens of every call."""
    cost_usd: float | None = None
    """Estimated cost (USD)."""
    approximate: bool | None = None
    """True when a token count used the `approx-chars-4` approximation."""
    models: list[str] | None = None
    """Models priced."""
    budget_usd: float | None = None
    """`eval.budget_usd`, when set."""
    error: str | None = None
    """Why no estimate could be made."""


class Interval(StrictModel):
    """Confidence interval of a suite (`ci`)."""

    low: float
    """Lower bound."""
    high: float
    """Upper bound."""
    method: str
    """`wilson` (of the pass rate) or the bootstrap method (of the mean score)."""
    confidence: float
    """Confidence level (`eval.stats.confidence`)."""
    of: str
    """What the interval is of: `pass rate` or `mean score`."""


class Changes(StrictModel):
    """Cases of a suite by change versus the baseline."""

    regressed: int
    """Passed on the baseline, fail now."""
    fixed: int
    """Failed on the baseline, pass now."""
    new: int
    """Not in the baseline."""
    removed: int
    """In the baseline, not run now (though in scope)."""
    unchanged: int
    """Pass or fail on both."""


class PairedCheck(StrictModel):
    """The paired test of a suite's scores, baseline versus this run."""

    method: str
    """`paired-bootstrap` or `sign` (`eval.stats.paired_test`)."""
    pairs: int
    """Cases scored in both runs."""
    mean_delta: float
    """Mean of this run's score minus the baseline's (negative: worse)."""
    p_value: float
    """One-sided p-value of a drop at least this large."""
    alpha: float
    """Significance level (`eval.stats.alpha`)."""
    worse: int
    """Pairs scoring lower now."""
    better: int
    """Pairs scoring higher now."""
    significant_regression: bool
    """p-value below alpha and the mean dropped."""


class SuiteVerdict(StrictModel):
    """One suite's figures and the rules it was judged by (`details.suites.<name>`)."""

    cases: int
    """Cases of the suite."""
    passed: int
    """Cases passed."""
    failed: int
    """Cases failed."""
    flaky: int
    """Cases passing only some samples."""
    errors: int
    """Cases that errored."""
    score: float
    """Weighted mean score of the counted cases."""
    pass_rate: float
    """Weighted share of the counted cases that pass."""
    ci: Interval
    """Confidence interval of the pass rate (Wilson) or mean score (bootstrap)."""
    thresholds: Thresholds
    """The suite's rules, without the unset `min_score`."""
    changes: Changes | None = None
    """With a baseline: cases by change."""
    paired_test: PairedCheck | None = None
    """With a baseline and paired cases: the paired test."""


class Policy(StrictModel):
    """What the verdict depends on (`details.policy`): shard merges recompute it from this."""

    repeat: int
    """Samples per case."""
    suites: dict[str, Thresholds]
    """Every suite's rules, by name."""
    defaulted: dict[str, list[str]] = Field(default_factory=dict)
    """Rules of each suite not set in genai-gate.yaml (absent from older results files)."""
    stats: StatsSettings
    """Statistics settings (`eval.stats`)."""
    max_errors: int
    """Errored cases tolerated."""
    baseline: bool
    """The run was compared with a baseline."""


class RemovedCase(StrictModel):
    """A baseline case in scope that this run did not evaluate."""

    suite: str
    """Its suite."""
    id: str
    """Its id."""
    status: str
    """Its status on the baseline."""
    score: float | None
    """Its score on the baseline."""


class BaselineSource(StrictModel):
    """Where the baseline came from (`details.baseline`)."""

    source: Literal["file", "base-ref"]
    """`file` (`--baseline`) or `base-ref` (the base ref's tree evaluated)."""
    path: str | None = None
    """file: the baseline results file."""
    ref: str | None = None
    """base-ref: the ref evaluated."""
    commit: str | None = None
    """base-ref: its commit."""
    cases: int | None = None
    """base-ref: cases of the base run."""
    answers: int | None = None
    """base-ref: answers of the base run."""
    cached_answers: int | None = None
    """base-ref: of which from the response cache."""


class ChangedOnly(StrictModel):
    """A `--changed-only` run (`details.changed_only`)."""

    base_ref: str
    """Ref the prompts were compared with."""
    base_commit: str
    """Its commit."""
    changed_prompts: list[str]
    """Prompts changed since then; only their cases were evaluated."""


class ShardSlice(StrictModel):
    """The slice a `--shard` run evaluated (`details.shard`)."""

    index: int
    """0-based shard index."""
    count: int
    """Number of shards."""


class ReplaySource(StrictModel):
    """A `--replay` run (`details.replay`)."""

    file: str
    """The transcript file scored."""
    records: int
    """Records in it."""


class EvalSummary(TypedSummary):
    """Key figures of an eval run, each an action output. A run writes the counts and `score`
    (a run refused over its budget: `cases` and `estimated_cost_usd`); the others as noted."""

    omit_absent = True

    cases: int | None = None
    """Cases evaluated."""
    passed: int | None = None
    """Cases passed."""
    failed: int | None = None
    """Cases failed."""
    flaky: int | None = None
    """Cases passing only some samples."""
    errors: int | None = None
    """Cases that errored."""
    score: float | None = None
    """Weighted mean score of every case."""
    pass_rate: float | None = None
    """One suite only: its pass rate."""
    ci_low: float | None = None
    """One suite only: lower bound of its confidence interval."""
    ci_high: float | None = None
    """One suite only: upper bound of its confidence interval."""
    regressed: int | None = None
    """With a baseline: cases that passed on it and fail now."""
    fixed: int | None = None
    """With a baseline: cases that failed on it and pass now."""
    new: int | None = None
    """With a baseline: cases not in it."""
    removed: int | None = None
    """With a baseline: its cases in scope that were not run."""
    latency_p50_ms: float | None = None
    """Median latency of the cases with a latency."""
    latency_p95_ms: float | None = None
    """95th percentile latency."""
    estimated_cost_usd: float | None = None
    """Refused over the budget: the estimated cost."""


class EvalDetails(TypedDetails):
    """Details of an eval run; the keys not declared here (`merge`, `progress`, ...) pass
    untyped."""

    policy: Policy | None = None
    """What the verdict depends on; absent when the run was refused before it started."""
    suites: dict[str, SuiteVerdict] | None = None
    """Each suite's figures and rules; absent when the run was refused before it started."""
    failures: list[str] | None = None
    """Why the gate failed, one line per broken rule."""
    targets: dict[str, str] | None = None
    """Target evaluated, by suite."""
    baseline: BaselineSource | None = None
    """Where the baseline came from, when the run had one."""
    shard: ShardSlice | None = None
    """The slice evaluated, for a `--shard` run."""
    changed_only: ChangedOnly | None = None
    """The prompts compared, for a `--changed-only` run."""
    estimate: RunEstimate | None = None
    """The run's estimated size and cost, when a budget or a `cost:` section is set."""
    replay: ReplaySource | None = None
    """The transcript file, for a `--replay` run."""
    merge: dict[str, Any] | None = None
    """A merge of shards: which were merged (`genai-gate report merge`)."""
    removed: list[RemovedCase] | None = None
    """With a baseline: its cases in scope that this run did not evaluate."""

    def as_dict(self) -> dict[str, Any]:
        """The JSON form, with only the keys that were set (as the untyped dict had)."""
        return self.model_dump(mode="json", exclude_unset=True)


class RunFacts(TypedDict, total=False):
    """The details a run adds to its verdict, by the name of their `EvalDetails` field."""

    targets: dict[str, str]
    baseline: BaselineSource
    shard: ShardSlice
    changed_only: ChangedOnly
    estimate: RunEstimate
    replay: ReplaySource
    removed: list[RemovedCase]
    merge: dict[str, Any]
