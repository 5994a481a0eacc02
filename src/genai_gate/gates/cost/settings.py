"""The `cost:` section of genai-gate.yaml: traffic profile, limits, approval labels."""

from __future__ import annotations

from pydantic import Field

from genai_gate.schema import StrictModel


class Traffic(StrictModel):
    """Production traffic of one prompt (fill it from your production metrics)."""

    requests_per_day: float = Field(ge=0)
    """Requests per day that use this prompt."""
    calls_per_request: float = Field(default=1.0, gt=0)
    """LLM calls per request made with this prompt (an agent loop calls the model several times)."""
    avg_input_tokens: int = Field(default=0, ge=0)
    """Average tokens sent per call on top of the template: user message, retrieved context,
    history, tool results."""
    avg_output_tokens: int = Field(ge=0)
    """Average completion tokens per call."""
    cached_input_share: float = Field(default=0.0, ge=0, le=1)
    """Share of input tokens billed at the cached-input price (provider prompt caching)."""


class EvalCostSettings(StrictModel):
    """Assumptions for the eval-run estimate."""

    prompt: str | None = None
    """Prompt (and so model) assumed for eval cases that name none."""
    judge_model: str | None = None
    """Model registry name of the LLM judge (default: the case's model)."""
    judge_prompt_tokens: int = Field(default=350, ge=0)
    """Tokens of the judge's instructions, sent with every judge call besides the case."""
    judge_output_tokens: int = Field(default=60, ge=0)
    """Tokens of a judge verdict."""


class CostSettings(StrictModel):
    """Settings of the cost-estimate gate."""

    traffic: dict[str, Traffic] = Field(default_factory=dict)
    """Traffic profile by prompt id; projected monthly cost covers these prompts."""
    days_per_month: float = Field(default=30.0, gt=0)
    """Days in the monthly projection."""
    max_increase_pct: float = Field(default=50.0, ge=0)
    """Fail when the projected monthly cost (total, or per request of any prompt) rises more
    than this percentage over the base ref."""
    monthly_budget_usd: float | None = Field(default=None, gt=0)
    """Fail when the projected monthly cost is above this."""
    approval_labels: list[str] = Field(default_factory=lambda: ["cost-approved"])
    """PR labels that accept an increase or an over-budget projection (the gate passes, and
    says why)."""
    eval: EvalCostSettings = EvalCostSettings()
