"""The prompt-lint rules: stable ids, default severities and what each one checks.

Ids are grouped by hundreds: PL1xx schema, PL2xx template, PL3xx hygiene, PL4xx limits,
PL5xx model registry, PL6xx versioning (with --base-ref), PL7xx metadata, PL9xx suppressions.
Ids never change meaning; a retired rule's id is not reused.
"""

from __future__ import annotations

from dataclasses import dataclass

from genai_gate.results import Severity


@dataclass(frozen=True)
class Rule:
    """One lint rule."""

    id: str
    """Stable id (`PL203`)."""
    name: str
    """Short kebab-case name (`undeclared-variable`)."""
    severity: Severity
    """Default severity; re-levelled with `prompt_lint.rules` in genai-gate.yaml."""
    summary: str
    """What the rule checks, one sentence."""


E, W = Severity.ERROR, Severity.WARNING

_RULES = [
    Rule("PL101", "missing-field", E, "A required field of the prompt file is missing."),
    Rule("PL102", "invalid-version", E, "`version` is not a semantic version MAJOR.MINOR.PATCH."),
    Rule("PL103", "duplicate-prompt-id", E, "Two prompt files declare the same prompt_id."),
    Rule("PL104", "unknown-key", E, "The prompt file has a key the schema does not know."),
    Rule("PL105", "invalid-field", E, "A field has the wrong type or an invalid value."),
    Rule("PL106", "file-name-mismatch", W, "The file is not named `<prompt_id>.yaml`."),
    Rule("PL201", "template-syntax", E, "The template does not parse in its template_format."),
    Rule("PL202", "unused-variable", E, "A declared variable is not used by the template."),
    Rule("PL203", "undeclared-variable", E, "The template uses a variable that is not declared."),
    Rule("PL204", "missing-required-variable", E, "A variable required by config is absent."),
    Rule("PL301", "secret-in-template", E, "The template contains a credential or private key."),
    Rule("PL302", "pii-in-template", E, "The template contains checksum-valid personal data."),
    Rule(
        "PL303",
        "injection-inviting-structure",
        E,
        "User input is placed before the instructions without delimiters.",
    ),
    Rule(
        "PL304",
        "hidden-text",
        E,
        "Invisible or look-alike text: bidi controls, zero-width or tag characters, mixed scripts.",
    ),
    Rule("PL401", "over-token-budget", E, "The rendered template exceeds its token budget."),
    Rule(
        "PL402",
        "exceeds-context-window",
        E,
        "Prompt tokens plus the response budget exceed the model's context window.",
    ),
    Rule(
        "PL403",
        "response-budget-too-large",
        E,
        "response_budget_tokens exceeds the model's max_output_tokens.",
    ),
    Rule("PL501", "unknown-model", E, "The prompt's model is not in the model registry."),
    Rule("PL502", "invalid-model-entry", E, "A model registry entry is invalid."),
    Rule("PL503", "duplicate-model-name", E, "Two model registry entries share a name."),
    Rule("PL504", "missing-model-price", E, "A model registry entry has no prices."),
    Rule(
        "PL601",
        "missing-version-bump",
        E,
        "The template, variables or model changed but the version did not increase.",
    ),
    Rule(
        "PL602",
        "insufficient-version-bump",
        E,
        "The version increased by less than the change needs.",
    ),
    Rule(
        "PL603",
        "removed-prompt-referenced",
        E,
        "A prompt removed since the base ref is still referenced by tracked files.",
    ),
    Rule("PL701", "dataset-not-found", E, "metadata.tested_on_dataset names a missing file."),
    Rule("PL702", "quality-score-range", E, "metadata.quality_score is outside [0, 1]."),
    Rule("PL703", "invalid-created-at", E, "metadata.created_at is not an ISO-8601 date."),
    Rule("PL901", "suppression-without-reason", E, "An in-file suppression has no reason."),
    Rule("PL902", "unused-suppression", W, "An in-file suppression matches no finding."),
    Rule("PL903", "unknown-rule", E, "A suppression or config override names an unknown rule."),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}
"""Every rule by id."""
