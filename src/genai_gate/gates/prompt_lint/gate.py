"""The descriptor of `genai-gate prompt-lint` (see `genai_gate.gates.spec`)."""

from __future__ import annotations

from genai_gate.action_types import ActionSpec, Input, Output
from genai_gate.gates.spec import ConfigSection, GateSpec

GATE = GateSpec(
    name="prompt-lint",
    help="validate the prompt and model registries",
    command="genai_gate.gates.prompt_lint.command",
    writes_results=True,
    config=ConfigSection(
        key="prompt_lint",
        settings="genai_gate.gates.prompt_lint.settings:PromptLintSettings",
        doc="Settings of `prompt-lint` (absent: its defaults).",
    ),
    section="genai_gate.gates.prompt_lint.report:markdown_section",
    merger=None,
    summary="genai_gate.gates.prompt_lint.summary:PromptLintSummary",
    details="genai_gate.gates.prompt_lint.summary:PromptLintDetails",
    action=ActionSpec(
        "prompt-lint",
        "prompt-lint",
        "Validate the prompt and model registries (schema, templates, token limits, secrets, "
        "PII, versioning).",
        (
            Input("prompts", "prompt registry folder (default: registry.prompts)", "--prompts"),
            Input("models", "model registry file (default: registry.models)", "--models"),
            Input("base-ref", "git ref to compare with (version bumps, removals)", "--base-ref"),
        ),
        (
            Output("findings", "number of findings"),
            Output("errors", "findings of severity error"),
            Output("warnings", "findings of severity warning"),
            Output("prompts", "prompts checked"),
        ),
    ),
    pipeline=10,
)
