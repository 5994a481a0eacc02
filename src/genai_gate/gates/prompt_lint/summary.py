"""The typed summary and details of `prompt-lint`: the counts (action outputs), each prompt's
token figures and the findings suppressed in prompt files (the Markdown section shows them)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_serializer

from genai_gate.results import Finding, TypedDetails, TypedSummary
from genai_gate.schema import StrictModel


class PromptLintSummary(TypedSummary):
    """Key figures of a lint run. prompt-lint always writes all four; a file written by another
    tool may lack any of them, but one that is present has its type."""

    omit_absent = True

    findings: int | None = None
    """Findings reported (suppressed ones not counted)."""
    errors: int | None = None
    """Findings of severity error."""
    warnings: int | None = None
    """Findings of severity warning."""
    prompts: int | None = None
    """Prompt files checked, valid or not."""


class PromptTokens(StrictModel):
    """One valid prompt and its token count (`details.prompts`)."""

    prompt_id: str
    """The prompt's id."""
    version: str
    """Its version."""
    path: str
    """Its file, relative to the config root."""
    model: str
    """The model it is written for."""
    tokens: int | None = None
    """Tokens of the template rendered with empty variables; None when it could not be counted."""
    approximate: bool = False
    """True when `tokens` comes from the `approx-chars-4` approximation, not the model's
    tokenizer."""
    content_hash: str
    """`sha256:<hex>` of what changes the prompt's behaviour (id, model, template, variables)."""


class PromptLintDetails(TypedDetails):
    """Details of a lint run; the keys not declared here pass untyped."""

    prompts: list[PromptTokens] = Field(default_factory=list)
    """Every prompt whose schema is valid, in registry order."""
    suppressed: list[Finding] = Field(default_factory=list)
    """Findings suppressed in prompt files, each with its `reason` in `properties`."""
    models_file: str | None = None
    """The model registry file, relative to the config root."""
    base_ref: str | None = None
    """The git ref compared with (version bumps, removals); None without one."""

    @field_serializer("suppressed")
    def _compact(self, suppressed: list[Finding]) -> list[dict[str, Any]]:
        """Suppressed findings as in `findings`: absent parts left out, not written as null."""
        return [f.model_dump(mode="json", exclude_none=True) for f in suppressed]
