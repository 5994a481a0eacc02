"""Actual usage recorded by eval / injection runs, compared with the estimate made before them."""

from __future__ import annotations

from pathlib import Path

from genai_gate.errors import ConfigError
from genai_gate.gates.cost.compare import pct_change
from genai_gate.gates.cost.details import ActualRow
from genai_gate.gates.cost.estimate import call_cost
from genai_gate.gates.eval.details import EvalDetails, RunEstimate
from genai_gate.registry.models import Prices
from genai_gate.results import GateResult

DEFAULT_RESULTS = ("eval-gate.json", "injection-test.json")
"""Results files read from the results folder when no --actual file is given."""


def _estimate_of(result: GateResult) -> RunEstimate | None:
    """The run's own cost estimate, read through the eval gate's typed details."""
    if result.gate != "eval-gate":
        return None
    try:
        return EvalDetails.of(result).estimate
    except ConfigError:  # written by another tool without a usable estimate
        return None


def actual_vs_estimate(paths: list[Path], prices: Prices | None) -> list[ActualRow]:
    """One row per results file that recorded usage: actual tokens and USD, the estimate, and
    the estimate's error in percent (positive: the estimate was too high).

    USD is the run's own `usage.cost_usd` when it recorded one, else its tokens at `prices`
    (the model of `cost.eval.prompt`), else unknown.
    """
    rows = []
    for path in paths:
        result = GateResult.read(path)
        usage = result.usage
        if usage is None or usage.requests == 0:
            continue
        actual = usage.cost_usd
        if actual is None and prices is not None:
            actual = call_cost(prices, usage.prompt_tokens, usage.completion_tokens)
        estimate = _estimate_of(result)
        est_cost = estimate.cost_usd if estimate else None
        est_tokens = None
        if estimate and estimate.input_tokens is not None and estimate.output_tokens is not None:
            est_tokens = estimate.input_tokens + estimate.output_tokens
        actual_tokens = usage.prompt_tokens + usage.completion_tokens
        rows.append(
            ActualRow(
                gate=result.gate,
                file=path.name,
                requests=usage.requests,
                actual_tokens=actual_tokens,
                actual_usd=actual,
                estimated_tokens=est_tokens,
                estimated_usd=est_cost,
                error_pct=pct_change(actual, est_cost),
                token_error_pct=pct_change(actual_tokens, est_tokens),
            )
        )
    return rows
