"""Dollar estimates: per request of each prompt, per month from the traffic profile, and of an
eval run (before it starts, so the eval gate can refuse to start over its budget).

Prices come from the model registry in USD per 1M tokens; a model without prices is an error,
never zero. Cached input tokens are priced at `cached_input` (or at `input` when the registry
gives no cached price).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from genai_gate.gates.cost.settings import CostSettings, Traffic
from genai_gate.gates.cost.snapshot import PromptTokens, Snapshot, load_head
from genai_gate.registry.models import ModelRegistry, Prices
from genai_gate.registry.tokenizer import get_tokenizer

if TYPE_CHECKING:
    from genai_gate.config import LoadedConfig

MILLION = 1_000_000


def call_cost(
    prices: Prices, input_tokens: float, output_tokens: float, cached_share: float = 0.0
) -> float:
    """USD of one model call."""
    cached_price = prices.cached_input if prices.cached_input is not None else prices.input
    fresh = input_tokens * (1 - cached_share) * prices.input
    cached = input_tokens * cached_share * cached_price
    return (fresh + cached + output_tokens * prices.output) / MILLION


@dataclass(frozen=True)
class RequestEstimate:
    """Tokens and USD of one request using a prompt."""

    input_tokens: float
    """Input tokens per request (template plus traffic's extra input, times calls)."""
    output_tokens: float
    """Output tokens per request."""
    cost_usd: float
    """USD per request."""
    output_source: str
    """Where the output size comes from: `traffic` or `response_budget` (an upper bound)."""


def request_estimate(
    prompt: PromptTokens, prices: Prices, traffic: Traffic | None
) -> RequestEstimate:
    """Cost of one request: `calls_per_request` calls of template + extra input, and output."""
    if traffic is not None:
        calls = traffic.calls_per_request
        input_per_call = prompt.template_tokens + traffic.avg_input_tokens
        output_per_call: float = traffic.avg_output_tokens
        cost = call_cost(prices, input_per_call, output_per_call, traffic.cached_input_share)
        return RequestEstimate(
            input_per_call * calls, output_per_call * calls, cost * calls, "traffic"
        )
    output = prompt.response_budget_tokens or 0
    cost = call_cost(prices, prompt.template_tokens, output)
    return RequestEstimate(prompt.template_tokens, output, cost, "response_budget")


def prices_of(model: str, snapshot: Snapshot, fallback: ModelRegistry | None = None) -> Prices:
    """Prices of `model` in the snapshot's registry (else `fallback`'s); ConfigError when none."""
    entry = snapshot.models.get(model)
    if entry is not None and entry.price_per_1m_tokens is not None:
        return entry.price_per_1m_tokens
    if fallback is not None:
        other = fallback.get(model)
        if other is not None and other.price_per_1m_tokens is not None:
            return other.price_per_1m_tokens
    registry = snapshot.models if entry is not None or fallback is None else fallback
    return registry.prices(model)  # raises the located ConfigError


def monthly_cost(
    request: RequestEstimate, traffic: Traffic | None, settings: CostSettings
) -> float | None:
    """Projected USD per month, or None for prompts without traffic."""
    if traffic is None:
        return None
    return request.cost_usd * traffic.requests_per_day * settings.days_per_month


@dataclass(frozen=True)
class EvalCaseText:
    """What the eval-run estimate needs of one case."""

    input: str
    """The user input (or the text of all input messages)."""
    expected: str = ""
    """Reference answer; its length stands for the output length (else the response budget)."""
    prompt: str | None = None
    """Prompt registry id the case exercises (else `cost.eval.prompt`)."""


@dataclass(frozen=True)
class EvalRunEstimate:
    """Estimated size and cost of an eval run."""

    cases: int
    repeats: int
    requests: int
    """Target calls: cases x repeats (none in a replay)."""
    judge_requests: int
    """Judge calls: cases x repeats x judge calls per case."""
    input_tokens: int
    output_tokens: int
    cost_usd: float
    approximate: bool
    """True when a count used the `approx-chars-4` approximation."""
    models: list[str]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (stored by the eval gate as `details.estimate`)."""
        return asdict(self)


def _case_tokens(
    prompt: PromptTokens, case_input: int, expected: int, traffic: Traffic | None
) -> tuple[float, float]:
    """(input, output) tokens of one eval case.

    A case runs the same agent as production, so when the prompt has a traffic profile its
    calls per request and extra input per call (context, tool schemas, history) apply; the
    final answer is the expected one, earlier calls produce `avg_output_tokens` each. Without
    a profile: one call of template + case input, answering the expected text (else up to the
    prompt's response budget).
    """
    if traffic is None:
        return prompt.template_tokens + case_input, expected or (prompt.response_budget_tokens or 0)
    calls = traffic.calls_per_request
    per_call = prompt.template_tokens + traffic.avg_input_tokens + case_input
    answer = expected or traffic.avg_output_tokens
    return calls * per_call, answer + max(calls - 1, 0) * traffic.avg_output_tokens


def estimate_eval_run(
    config: LoadedConfig,
    cases: Sequence[EvalCaseText],
    *,
    repeats: int = 1,
    judge_calls_per_case: float = 0,
    recorded: bool = False,
) -> EvalRunEstimate:
    """Estimate an eval run: cases x repeats x (prompt + expected output tokens) + judge calls.

    Per case see `_case_tokens` (the traffic profile's calls and extra input per call apply).
    `recorded`: the answers were recorded (a replay), so only the judge calls cost anything.

    Each case is priced with the model of its prompt (`case.prompt`, else `cost.eval.prompt`);
    judge calls with `cost.eval.judge_model` (else the case's model). Raises ConfigError when a
    case names no prompt and none is configured, or when a model has no price.
    """
    settings = config.model.cost or CostSettings()
    registry = config.model.registry
    snapshot = load_head(
        config.resolve(registry.prompts), config.resolve(registry.models), config.root
    )
    eval_settings = settings.eval
    total_in = total_out = 0.0
    cost = 0.0
    approximate = False
    models: set[str] = set()
    for case in cases:
        prompt_id = case.prompt or eval_settings.prompt
        if prompt_id is None:
            raise config.error(
                "eval cases name no prompt: set cost.eval.prompt to the prompt they exercise",
                "cost",
            )
        prompt = snapshot.prompts.get(prompt_id)
        if prompt is None:
            raise config.error(
                f"unknown prompt {prompt_id!r} in the eval cost estimate", "cost", "eval"
            )
        model = snapshot.models.models[prompt.model]
        tokenizer = get_tokenizer(model.tokenizer)
        expected = tokenizer.count(case.expected) if case.expected else 0
        input_tokens, output_tokens = _case_tokens(
            prompt, tokenizer.count(case.input), expected, settings.traffic.get(prompt_id)
        )
        if not recorded:
            case_cost = call_cost(prices_of(prompt.model, snapshot), input_tokens, output_tokens)
            total_in += input_tokens * repeats
            total_out += output_tokens * repeats
            cost += case_cost * repeats
            approximate |= tokenizer.approximate
            models.add(prompt.model)
        if judge_calls_per_case:
            judge_name = eval_settings.judge_model or prompt.model
            if snapshot.models.get(judge_name) is None:
                raise config.error(
                    f"judge model {judge_name!r} is not in the model registry",
                    "cost",
                    "eval",
                    "judge_model",
                )
            judge_tok = get_tokenizer(snapshot.models.models[judge_name].tokenizer)
            judge_in = (
                eval_settings.judge_prompt_tokens + judge_tok.count(case.input) + 2 * expected
            )
            calls = judge_calls_per_case * repeats
            total_in += judge_in * calls
            total_out += eval_settings.judge_output_tokens * calls
            cost += calls * call_cost(
                prices_of(judge_name, snapshot), judge_in, eval_settings.judge_output_tokens
            )
            approximate |= judge_tok.approximate
            models.add(judge_name)
    return EvalRunEstimate(
        cases=len(cases),
        repeats=repeats,
        requests=0 if recorded else len(cases) * repeats,
        judge_requests=round(len(cases) * repeats * judge_calls_per_case),
        input_tokens=round(total_in),
        output_tokens=round(total_out),
        cost_usd=cost,
        approximate=approximate,
        models=sorted(models),
    )
