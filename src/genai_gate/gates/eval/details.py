"""The typed details of `eval-gate` that other gates read: the run's cost estimate
(`cost-estimate` compares it with the usage the run recorded)."""

from __future__ import annotations

from genai_gate.results import TypedDetails
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


class EvalDetails(TypedDetails):
    """Details of an eval run; the keys not declared here pass untyped."""

    estimate: RunEstimate | None = None
    """The run's estimated size and cost, when a budget or a `cost:` section is set."""
