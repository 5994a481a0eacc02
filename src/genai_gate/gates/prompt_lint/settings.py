"""The `prompt_lint:` section of genai-gate.yaml."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from genai_gate.schema import StrictModel

Level = Literal["off", "error", "warning", "note"]

DEFAULT_USER_INPUT_VARIABLES = [
    "user_query",
    "user_input",
    "user_message",
    "query",
    "question",
    "message",
    "input",
]
DEFAULT_PII_TYPES = ["iban", "card", "es_dni", "es_nie", "es_cif", "us_ssn"]


class PromptLintSettings(StrictModel):
    """Settings of the prompt-lint gate."""

    rules: dict[str, Level] = Field(default_factory=dict)
    """Per rule id (`PL303`): `off` to disable it, or a new severity (error, warning, note)."""
    required_variables: list[str] = Field(default_factory=list)
    """Variables every prompt must declare and use (e.g. `user_query`)."""
    max_prompt_tokens: int | None = Field(default=None, gt=0)
    """Global token budget of a rendered template; a prompt's own `max_prompt_tokens` wins."""
    user_input_variables: list[str] = Field(
        default_factory=lambda: list(DEFAULT_USER_INPUT_VARIABLES)
    )
    """Variables that carry untrusted user input (checked by PL303)."""
    pii_types: list[str] = Field(default_factory=lambda: list(DEFAULT_PII_TYPES))
    """Personal-data types reported by PL302 (see genai_gate.pii.PII_TYPES)."""
    fail_on: Literal["error", "warning"] = "error"
    """Lowest finding severity that fails the gate."""

    @field_validator("rules", mode="before")
    @classmethod
    def _off_is_not_false(cls, value: object) -> object:
        """YAML reads a bare `off` as false: take it as the level `off`."""
        if isinstance(value, dict):
            return {k: "off" if v is False else v for k, v in value.items()}
        return value

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, value: dict[str, Level]) -> dict[str, Level]:
        from genai_gate.gates.prompt_lint.rules import RULES

        unknown = sorted(set(value) - set(RULES))
        if unknown:
            raise ValueError(f"unknown rule id(s) {', '.join(unknown)} (known: PL101 ... PL903)")
        return value

    @field_validator("pii_types")
    @classmethod
    def _known_pii(cls, value: list[str]) -> list[str]:
        from genai_gate.pii import PII_TYPES

        unknown = sorted(set(value) - set(PII_TYPES))
        if unknown:
            raise ValueError(
                f"unknown PII type(s) {', '.join(unknown)} (known: {', '.join(PII_TYPES)})"
            )
        return value
