"""The typed details of `cost-estimate`: every prompt's estimate at head and base, the monthly
totals, the limits and labels it was judged by, and recorded usage against its estimate.

cost-estimate writes every key (absent figures as null); a file written by another tool may lack
a key, but a prompt row or usage row that is present has all its fields. `monitor cost` reads
the per-request estimates and the Markdown section reads everything through these types.
"""

from __future__ import annotations

from typing import Literal

from genai_gate.results import TypedDetails
from genai_gate.schema import StrictModel

Change = Literal["added", "removed", "changed", "unchanged"]
"""How a prompt's cost changed versus the base ref (tokens, model or prices)."""
OutputSource = Literal["traffic", "response_budget"]
"""Where a request's output size comes from: the traffic profile, or the prompt's
`response_budget_tokens` (an upper bound)."""


class PromptRow(StrictModel):
    """One prompt's estimate at head and base (`details.prompts[]`)."""

    prompt_id: str
    """Prompt registry id."""
    change: Change
    """In cost terms (tokens, model or prices) versus the base ref; `unchanged` without one."""
    model: str
    """Model registry name (at head, else at the base ref)."""
    path: str
    """Prompt file, relative to the repository root."""
    line: int | None
    """1-based line of the template in it."""
    approximate: bool
    """The token count used the `approx-chars-4` approximation, not the model's tokenizer."""
    tokenizer: str
    """Tokenizer that counted the template."""
    template_tokens: int | None
    """Tokens of the rendered template at head; None for a prompt removed."""
    base_template_tokens: int | None
    """Tokens at the base ref; None without one, or for a prompt added."""
    per_request_usd: float | None
    """USD per request at head (8 decimal places)."""
    base_per_request_usd: float | None
    """USD per request at the base ref."""
    input_tokens: int | float | None
    """Input tokens per request at head: template plus the traffic profile's extra input, times
    its calls per request (the template alone, an integer, without a traffic profile)."""
    output_tokens: int | float | None
    """Output tokens per request at head."""
    output_source: OutputSource | None
    """Where the output size comes from: `traffic`, or `response_budget` (an upper bound)."""
    requests_per_day: float | None
    """From the traffic profile; None for a prompt without one."""
    monthly_usd: float | None
    """Projected USD per month at head; None for a prompt without traffic."""
    base_monthly_usd: float | None
    """Projected USD per month at the base ref."""
    delta_monthly_usd: float | None
    """Change of the monthly projection; None without a base ref or traffic."""
    delta_pct: float | None
    """Change of the per-request cost (%), equal to the monthly change for prompts with
    traffic; None without a base to compare with."""

    def rounded(self) -> PromptRow:
        """The row as written: figures to 8 decimal places."""
        figures = {k: round(v, 8) for k, v in self if isinstance(v, float)}
        return self.model_copy(update=figures)


class Totals(StrictModel):
    """Monthly totals over the prompts of the traffic profile (`details.total`)."""

    monthly_usd: float
    """Projected USD per month at head."""
    base_monthly_usd: float | None
    """At the base ref; None without one."""
    delta_usd: float | None
    """Head minus base."""
    delta_pct: float | None
    """Change in percent; None without a base ref or when the base projection is 0."""


class Limits(StrictModel):
    """The rules the estimate was judged by (`details.limits`, from `cost:`)."""

    max_increase_pct: float
    """`cost.max_increase_pct`."""
    monthly_budget_usd: float | None
    """`cost.monthly_budget_usd`; None without a budget."""
    approval_labels: list[str]
    """`cost.approval_labels`."""


class Labels(StrictModel):
    """The pull request's labels (`details.labels`)."""

    labels: list[str]
    """Label names."""
    source: str
    """Where they came from: `--pr-labels`, `GITHUB_EVENT_PATH` (with a note when the event is not
    a pull request), or `none`."""


class ActualRow(StrictModel):
    """Usage a run recorded against the estimate made before it (`details.actuals[]`)."""

    gate: str
    """Gate that recorded the usage."""
    file: str
    """Its results file (name only)."""
    requests: int
    """Requests it made."""
    actual_tokens: int
    """Prompt plus completion tokens it used."""
    actual_usd: float | None
    """Its own `usage.cost_usd`, else its tokens at the prices of `cost.eval.prompt`'s model;
    None when neither is known."""
    estimated_tokens: int | None
    """Tokens the run's estimate expected."""
    estimated_usd: float | None
    """USD the run's estimate expected."""
    error_pct: float | None
    """Estimate error in USD (%), positive when the estimate was too high."""
    token_error_pct: float | None
    """Estimate error in tokens (%)."""


class CostDetails(TypedDetails):
    """Details of a cost estimate; the keys not declared here pass untyped."""

    base_ref: str | None = None
    """`--base-ref`; None without one."""
    prompts: list[PromptRow] | None = None
    """Every prompt of head and of the base ref, sorted by id."""
    total: Totals | None = None
    """Monthly totals."""
    limits: Limits | None = None
    """The limits applied."""
    labels: Labels | None = None
    """The pull request's labels."""
    approved_by: str | None = None
    """PR label that approved a cost over the limits, if any."""
    approximate_prompts: list[str] | None = None
    """Prompts whose token count is approximate."""
    base_skipped: list[str] | None = None
    """Prompt files of the base ref that could not be priced, and why."""
    actuals: list[ActualRow] | None = None
    """Recorded usage of earlier runs against their estimates."""
