"""Run every prompt-lint rule over a registry and turn hits into findings."""

from __future__ import annotations

from dataclasses import dataclass

from genai_gate.gates.prompt_lint import hygiene, model_checks, schema_checks, template_checks
from genai_gate.gates.prompt_lint.findings import Hit, LintInputs
from genai_gate.gates.prompt_lint.hidden_text import check_hidden_text
from genai_gate.gates.prompt_lint.rules import RULES
from genai_gate.gates.prompt_lint.suppress import apply_suppressions
from genai_gate.gates.prompt_lint.versioning import check_versioning
from genai_gate.results import Finding, Location, Severity

_CHECKS = (
    schema_checks.check_schema,
    schema_checks.check_metadata,
    template_checks.check_templates,
    hygiene.check_file_text,
    hygiene.check_injection_structure,
    check_hidden_text,
    model_checks.check_registry,
    model_checks.check_model_refs,
    model_checks.check_limits,
    check_versioning,
)


@dataclass
class LintReport:
    """Findings after suppressions and config overrides."""

    findings: list[Finding]
    suppressed: list[Finding]


def lint(inputs: LintInputs) -> LintReport:
    """Validate, parse and count every prompt, run all checks, apply suppressions and levels."""
    hits: list[Hit] = list(schema_checks.validate_items(inputs.items))
    template_checks.parse_templates(inputs.items)
    model_checks.count_tokens(inputs.items, inputs.models)
    for check in _CHECKS:
        hits.extend(check(inputs))
    kept, suppressed = apply_suppressions(inputs.items, hits)
    levels = inputs.settings.rules
    findings = [f for f in (_finding(h, levels.get(h.rule)) for h in kept) if f is not None]
    findings.sort(key=lambda f: (f.location.path, f.location.line or 0, f.rule_id))  # type: ignore[union-attr]
    return LintReport(
        findings=findings,
        suppressed=[f for f in (_finding(h, None) for h in suppressed) if f is not None],
    )


def _finding(hit: Hit, level: str | None) -> Finding | None:
    if level == "off":
        return None
    rule = RULES[hit.rule]
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=Severity(level) if level else rule.severity,
        message=hit.message,
        location=Location(path=hit.path, line=hit.line, column=hit.column),
        properties=hit.properties,
    )
