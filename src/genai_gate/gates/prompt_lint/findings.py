"""What a check reports (a Hit), and the per-prompt data every check reads (an Item)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genai_gate.gates.prompt_lint.settings import PromptLintSettings
from genai_gate.registry.models import ModelRegistry
from genai_gate.registry.prompts import Prompt, PromptSource
from genai_gate.registry.templates import TemplateInfo


@dataclass(frozen=True)
class Hit:
    """One rule violation before suppressions and severity overrides are applied."""

    rule: str
    """Rule id (`PL203`)."""
    path: str
    """File, relative to the config root."""
    line: int | None
    """1-based line of the offending YAML node or template line."""
    message: str
    """What is wrong and how to fix it."""
    properties: dict[str, Any] = field(default_factory=dict)
    """Extra facts for machine readers (masked evidence, token counts, bump kind)."""
    column: int | None = None
    """1-based column, when the rule knows it."""


@dataclass
class Item:
    """One prompt file with what was derived from it."""

    source: PromptSource
    prompt: Prompt | None = None
    """The validated prompt; None when its schema is broken."""
    template: TemplateInfo | None = None
    """Parsed template (None when the prompt is invalid)."""
    tokens: int | None = None
    """Tokens of the rendered template (variables empty) with the model's tokenizer."""
    approximate: bool = False
    """Whether `tokens` comes from an approximation, not the model's tokenizer."""


@dataclass
class LintInputs:
    """Everything the checks read."""

    root: Path
    """Config root: paths in findings are relative to it."""
    prompts_dir: Path
    """The prompt registry folder."""
    settings: PromptLintSettings
    items: list[Item]
    models: ModelRegistry
    models_rel: str
    """Model registry file relative to the root."""
    base_ref: str | None = None
    """Git ref to compare with (versioning rules)."""
