"""The `eval:` section of genai-gate.yaml: suites, scorers, thresholds, judge and statistics."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from genai_gate.schema import StrictModel


class ScorerSpec(StrictModel):
    """One scorer of a suite (or of a case): a built-in name or a dotted `module:Class` path.

    Scorer-specific parameters (`value`, `pattern`, `schema`, `rubric`, ...) sit beside `type`;
    each scorer validates its own parameters when the suite is loaded.
    """

    model_config = StrictModel.model_config | {"extra": "allow"}

    type: str
    """Built-in scorer name (`contains-all`, `llm-judge`, ...) or `package.module:Class`."""
    weight: float = Field(default=1.0, ge=0)
    """Weight of this scorer in the case score (weighted mean)."""
    threshold: float | None = Field(default=None, ge=0, le=1)
    """Score a sample needs from this scorer to pass; default depends on the scorer."""

    def params(self) -> dict[str, Any]:
        """The scorer-specific parameters (everything except type, weight and threshold)."""
        return dict(self.model_extra or {})


class Thresholds(StrictModel):
    """Gate rules of a suite; every rule given must hold."""

    min_score: float | None = Field(default=None, ge=0, le=1)
    """Minimum weighted mean score of the suite (the seed's `avg_score >= 0.85`)."""
    min_pass_rate: float = Field(default=1.0, ge=0, le=1)
    """Minimum weighted share of cases that pass."""
    case_min_pass_rate: float = Field(default=1.0, gt=0, le=1)
    """Share of a case's samples that must pass for the case to count as passing (flaky cases
    below it count as failed)."""
    no_significant_regression: bool = True
    """With a baseline: fail when the paired test finds the suite significantly worse."""


class SuiteSettings(StrictModel):
    """One eval suite: a dataset, scorers and thresholds."""

    dataset: str | None = None
    """Dataset file relative to the config: JSONL, YAML list, or a promptfoo config (`tests:`);
    absent: the suite only scores recorded transcripts (`eval-gate --replay FILE --suite NAME`)."""
    format: Literal["auto", "jsonl", "yaml", "promptfoo"] = "auto"
    """Dataset format; `auto` picks by extension and content (a mapping with `tests:`)."""
    input_var: str | None = None
    """promptfoo config without `prompts:`: the var sent as the user message (promptfoo's
    default prompt is `{{prompt}}`); with `prompts:` the rendered prompts are sent."""
    target: str | None = None
    """Target to evaluate; default: `--target`, then `default_target`."""
    scorers: list[ScorerSpec] | Literal["auto"] = "auto"
    """Scorers for every case; `auto` derives them from each case's `expected` fields."""
    thresholds: Thresholds = Thresholds()
    """Gate rules of this suite."""
    tags: list[str] = Field(default_factory=list)
    """Only cases having at least one of these tags (empty: all cases)."""


class JudgeSettings(StrictModel):
    """The LLM judge used by `llm-judge` and `groundedness` scorers."""

    target: str
    """Target (in `targets:`) that answers judge prompts."""
    retries: int = Field(default=2, ge=0, le=10)
    """Extra attempts after an invalid (non-JSON or out-of-range) verdict; then an error."""
    model: str | None = None
    """Model name sent with judge requests (overrides the target's)."""


class StatsSettings(StrictModel):
    """Statistics of the suite mean and of the base-vs-head comparison."""

    confidence: float = Field(default=0.95, gt=0.5, lt=1)
    """Confidence level of the suite-mean interval."""
    ci_method: Literal["wilson", "bootstrap"] = "bootstrap"
    """Interval of the suite mean: Wilson (on the pass rate) or percentile bootstrap (on scores)."""
    paired_test: Literal["paired-bootstrap", "sign"] = "paired-bootstrap"
    """Paired test over cases between baseline and this run."""
    alpha: float = Field(default=0.05, gt=0, lt=0.5)
    """Significance level of the paired test."""
    bootstrap_samples: int = Field(default=2000, ge=100, le=100000)
    """Resamples of the bootstrap interval and of the paired bootstrap test."""
    seed: int = 0
    """Seed of the bootstrap resampling (results are reproducible)."""


class EvalSettings(StrictModel):
    """Settings of the eval gate."""

    suites: dict[str, SuiteSettings] = Field(min_length=1)
    """Suites by name; `genai-gate eval-gate` runs all of them unless `--suite` is given."""
    default_suites: list[str] | None = None
    """Suites run when `--suite` is not given (default: every suite with a dataset)."""
    judge: JudgeSettings | None = None
    """The LLM judge; without it `groundedness` uses its labelled lexical fallback."""
    repeat: int = Field(default=1, ge=1, le=100)
    """Samples per case (`--repeat` overrides); each sample has its own seed and cache entry."""
    seed: int = 0
    """Base seed: sample k of a case is sent with seed `seed + k`."""
    temperature: float | None = None
    """Temperature sent with every request (default: the target's)."""
    max_errors: int = Field(default=0, ge=0)
    """Error budget: up to this many errored cases are left out instead of failing the gate."""
    budget_usd: float | None = Field(default=None, gt=0)
    """Refuse to start when the estimated cost of the run is above this (needs the cost gate)."""
    stats: StatsSettings = StatsSettings()
    """Confidence interval and paired-test settings."""

    @model_validator(mode="after")
    def _defaults_exist(self) -> EvalSettings:
        for name in self.default_suites or []:
            if name not in self.suites:
                raise ValueError(f"default suite {name!r} is not in suites")
        return self
