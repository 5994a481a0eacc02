"""The `prompt_lint:` section of genai-gate.yaml."""

from __future__ import annotations

from genai_gate.schema import StrictModel


class PromptLintSettings(StrictModel):
    """Settings of the prompt-lint gate (owned by that gate; extend here)."""
