"""PL4xx token limits and PL5xx model-registry rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from genai_gate.gates.prompt_lint.findings import Hit, Item, LintInputs
from genai_gate.registry.models import ModelRegistry
from genai_gate.registry.tokenizer import get_tokenizer

_PROBLEM_RULE = {"invalid": "PL502", "duplicate": "PL503", "no-price": "PL504"}


def count_tokens(items: list[Item], models: ModelRegistry) -> None:
    """Fill `item.tokens` with the rendered template's tokens, batched per tokenizer (a text
    written in several files is counted once)."""
    batches: dict[str, list[tuple[Item, str]]] = defaultdict(list)
    for item in items:
        if item.prompt is None or item.template is None or item.template.error is not None:
            continue
        model = models.get(item.prompt.model)
        if model is not None:
            batches[model.tokenizer].append((item, item.template.static_text))
    for name, batch in batches.items():
        tokenizer = get_tokenizer(name)
        texts = list(dict.fromkeys(text for _, text in batch))
        counts = dict(zip(texts, tokenizer.count_many(texts), strict=True))
        for item, text in batch:
            item.tokens, item.approximate = counts[text], tokenizer.approximate


def check_registry(inputs: LintInputs) -> Iterator[Hit]:
    """Problems of the model registry file itself."""
    for problem in inputs.models.problems:
        yield Hit(
            _PROBLEM_RULE[problem.kind],
            inputs.models_rel,
            problem.line,
            f"`{problem.field}`: {problem.message}",
        )


def check_model_refs(inputs: LintInputs) -> Iterator[Hit]:
    """Each prompt names a valid registered model."""
    known = ", ".join(sorted(inputs.models.models)) or "none"
    for item in inputs.items:
        prompt = item.prompt
        if prompt is not None and inputs.models.get(prompt.model) is None:
            yield Hit(
                "PL501",
                item.source.rel,
                item.source.line_of("model"),
                f"model {prompt.model!r} is not a valid entry of {inputs.models_rel} "
                f"(known: {known}): register it or fix the name",
            )


def check_limits(inputs: LintInputs) -> Iterator[Hit]:
    """Token budget, context window and response budget of each prompt."""
    for item in inputs.items:
        prompt, source = item.prompt, item.source
        if prompt is None or item.tokens is None:
            continue
        model = inputs.models.get(prompt.model)
        assert model is not None  # tokens are only counted for registered models
        approx = f" (approximate: {model.tokenizer})" if item.approximate else ""
        facts = {
            "tokens": item.tokens,
            "tokenizer": model.tokenizer,
            "approximate": item.approximate,
        }
        budget = prompt.max_prompt_tokens or inputs.settings.max_prompt_tokens
        if budget is not None and item.tokens > budget:
            own = prompt.max_prompt_tokens is not None
            yield Hit(
                "PL401",
                source.rel,
                source.line_of("max_prompt_tokens") if own else source.line_of("template"),
                f"template is {item.tokens} tokens{approx}, over the budget of {budget} "
                f"({'max_prompt_tokens' if own else 'prompt_lint.max_prompt_tokens'}): "
                "shorten it or raise the budget",
                facts,
            )
        reserve = prompt.response_budget_tokens or 0
        if item.tokens + reserve > model.context_window:
            yield Hit(
                "PL402",
                source.rel,
                source.line_of("template"),
                f"template ({item.tokens} tokens{approx}) plus response budget ({reserve}) "
                f"exceeds {model.name}'s context window of {model.context_window}: shorten it",
                facts,
            )
        if reserve > model.max_output_tokens:
            yield Hit(
                "PL403",
                source.rel,
                source.line_of("response_budget_tokens"),
                f"response_budget_tokens {reserve} exceeds {model.name}'s max_output_tokens "
                f"{model.max_output_tokens}: lower it",
            )
