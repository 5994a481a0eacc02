"""The model registry (`model_registry.yaml`): models, their tokenizer, limits and prices."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from genai_gate.errors import ConfigError, located
from genai_gate.registry.problems import schema_problems
from genai_gate.registry.tokenizer import known_tokenizers
from genai_gate.schema import StrictModel
from genai_gate.yamlio import LineMap, Loc, dotted, parse_yaml, read_text


class Prices(StrictModel):
    """USD per one million tokens."""

    input: float = Field(ge=0)
    """Price of prompt (input) tokens."""
    output: float = Field(ge=0)
    """Price of completion (output) tokens."""
    cached_input: float | None = Field(default=None, ge=0)
    """Price of cached prompt tokens; when absent, cached tokens are priced as input."""


class ModelEntry(StrictModel):
    """One model of the registry."""

    name: str = Field(min_length=1)
    """Name prompts refer to in their `model` field."""
    version: str = Field(min_length=1)
    """Exact provider version pinned (e.g. `gpt-4o-mini-2024-07-18`)."""
    provider: str = Field(min_length=1)
    """Who serves it (openai, azure, anthropic, self-hosted, ...)."""
    use_case: str | None = None
    """What the model is approved for."""
    tokenizer: str
    """tiktoken encoding name, or `approx-chars-4` (a documented approximation)."""
    context_window: int = Field(gt=0)
    """Maximum tokens of prompt plus completion."""
    max_output_tokens: int = Field(gt=0)
    """Maximum completion tokens."""
    price_per_1m_tokens: Prices | None = None
    """Prices in USD per million tokens; required by the cost gate (never assumed zero)."""

    @field_validator("tokenizer")
    @classmethod
    def _known_tokenizer(cls, value: str) -> str:
        known = known_tokenizers()
        if value not in known:
            raise ValueError(f"unknown tokenizer {value!r} (known: {', '.join(known)})")
        return value

    @model_validator(mode="after")
    def _output_fits(self) -> ModelEntry:
        if self.max_output_tokens > self.context_window:
            raise ValueError(
                f"max_output_tokens ({self.max_output_tokens}) exceeds context_window "
                f"({self.context_window})"
            )
        return self


@dataclass(frozen=True)
class RegistryProblem:
    """A problem in the model registry file, located at a line."""

    kind: str
    """`invalid` (schema), `duplicate` (name used twice) or `no-price`."""
    line: int | None
    field: str
    message: str


@dataclass
class ModelRegistry:
    """The models of a registry file by name, with the line of each entry."""

    path: Path
    lines: LineMap
    models: dict[str, ModelEntry] = field(default_factory=dict)
    index: dict[str, int] = field(default_factory=dict)
    """Position of each model in the `models` list (for locating errors)."""
    problems: list[RegistryProblem] = field(default_factory=list)

    def line_of(self, name: str, *loc: str | int) -> int | None:
        """Line of model `name` (or of a field of it)."""
        return self.lines.line_of(("models", self.index[name], *loc))

    def get(self, name: str) -> ModelEntry | None:
        """The model called `name`, if registered and valid."""
        return self.models.get(name)

    def prices(self, name: str) -> Prices:
        """Prices of model `name`; ConfigError at its line when it has none (never zero)."""
        prices = self.models[name].price_per_1m_tokens
        if prices is None:
            raise ConfigError(
                located(
                    self.path,
                    self.line_of(name),
                    f"models.{self.index[name]}.price_per_1m_tokens",
                    f"model {name!r} has no price: add price_per_1m_tokens "
                    "{input, output, cached_input} (USD per 1M tokens)",
                )
            )
        return prices


def read_model_registry(path: Path) -> ModelRegistry:
    """Load the registry, collecting entry problems instead of raising (for prompt-lint).

    A file that is missing, binary, malformed or whose `models` is not a list still raises
    ConfigError: nothing can be checked in it.
    """
    return parse_model_registry(read_text(path), path)


def parse_model_registry(text: str, path: Path) -> ModelRegistry:
    """`read_model_registry` on text already read (e.g. the file at a git ref)."""
    data, lines = parse_yaml(text, path)
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise ConfigError(located(path, 1, "", f"expected a mapping at top level, got {kind}"))
    registry = ModelRegistry(path=path, lines=lines)
    unknown = [key for key in data if key != "models"]
    for key in unknown:
        registry.problems.append(
            RegistryProblem("invalid", lines.line_of((key,)), key, "unknown key")
        )
    entries = data.get("models")
    if not isinstance(entries, list):
        raise ConfigError(
            located(path, lines.line_of(("models",)), "models", "expected a list of models")
        )
    for index, raw in enumerate(entries):
        _add_entry(registry, index, raw)
    return registry


def _add_entry(registry: ModelRegistry, index: int, raw: Any) -> None:
    loc: Loc = ("models", index)
    lines = registry.lines
    try:
        entry = ModelEntry.model_validate(raw)
    except ValidationError as exc:
        for problem in schema_problems(exc, lines, loc):
            registry.problems.append(
                RegistryProblem("invalid", problem.line, problem.field, problem.message)
            )
        return
    if entry.name in registry.models:
        first = registry.index[entry.name]
        registry.problems.append(
            RegistryProblem(
                "duplicate",
                lines.line_of((*loc, "name")),
                dotted((*loc, "name")),
                f"model name {entry.name!r} is already used by models.{first} "
                f"(line {lines.line_of(('models', first, 'name'))}): names must be unique",
            )
        )
        return
    registry.models[entry.name] = entry
    registry.index[entry.name] = index
    if entry.price_per_1m_tokens is None:
        registry.problems.append(
            RegistryProblem(
                "no-price",
                lines.line_of(loc),
                dotted(loc),
                f"model {entry.name!r} has no price_per_1m_tokens: add {{input, output, "
                "cached_input} in USD per 1M tokens (a missing price is never taken as zero)",
            )
        )


def load_model_registry(path: Path) -> ModelRegistry:
    """Load the registry strictly: any invalid or duplicate entry raises ConfigError."""
    registry = read_model_registry(path)
    fatal = [p for p in registry.problems if p.kind != "no-price"]
    if fatal:
        raise ConfigError([located(path, p.line, p.field, p.message) for p in fatal])
    return registry
