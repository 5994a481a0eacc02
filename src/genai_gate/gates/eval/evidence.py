"""What a PR author needs to act on a failing case: input, answer, expected facts, where it is.

Texts are truncated and masked before they reach a results file or a report: credentials with
prompt-lint's secret patterns, personal data with the PII detector (`genai_gate.pii`).
"""

from __future__ import annotations

from typing import Any

from genai_gate.gates.eval.case import Case

MAX_TEXT = 400
"""Characters kept of an input or answer (the rest is cut with an ellipsis)."""
_EXPECTED_FIELDS = ("facts", "any_of", "not_contains", "answer", "regex", "number")
_SCORER_PARAMS = ("values", "value", "pattern", "reference", "rubric", "schema")


def mask(text: str) -> str:
    """`text` with credentials and personal data replaced by their masked forms."""
    from genai_gate.gates.prompt_lint.secrets import find_secrets
    from genai_gate.pii import find_pii

    spans = sorted(
        [(m.start, m.end, m.masked) for m in find_secrets(text)]
        + [(m.start, m.end, m.masked) for m in find_pii(text)]
    )
    out, position = [], 0
    for start, end, masked in spans:
        if start < position:  # overlapping: the earlier (secret or PII) span already covers it
            continue
        out += [text[position:start], masked]
        position = end
    out.append(text[position:])
    return "".join(out)


def excerpt(text: str, limit: int = MAX_TEXT) -> str:
    """Masked text cut to `limit` characters (masking first, so a cut never reveals a secret)."""
    masked = mask(text)
    return masked if len(masked) <= limit else masked[: limit - 1] + "…"


def expected_facts(case: Case) -> list[str]:
    """The case's expectations as short lines (`facts: 9:00, 17:00`, `regex: /EUR/`)."""
    lines = []
    expected = case.expected
    for name in _EXPECTED_FIELDS:
        value = getattr(expected, name)
        if value is not None:
            lines.append(f"{name}: {_short(value)}")
    if expected.tool_calls is not None:
        names = ", ".join(t.name for t in expected.tool_calls) or "no tool call"
        lines.append(f"tool_calls: {names}")
    for spec in case.scorers or []:
        params = spec.params()
        shown = next((params[k] for k in _SCORER_PARAMS if k in params), None)
        negated = " (must not match)" if params.get("negate") else ""
        lines.append(f"{spec.type}: {_short(shown)}{negated}" if shown is not None else spec.type)
    return [excerpt(line, 200) for line in lines]


def case_evidence(case: Case, answer: str | None, source: str | None) -> dict[str, Any]:
    """Details shown for a failing case: masked input and answer, expectations, location."""
    evidence: dict[str, Any] = {"input": excerpt(case.question() or _last_message(case))}
    if answer is not None:
        evidence["answer"] = excerpt(answer)
    facts = expected_facts(case)
    if facts:
        evidence["expected"] = facts
    if source:
        evidence["source"] = source
    if case.description:
        evidence["description"] = case.description
    return evidence


def _last_message(case: Case) -> str:
    messages = case.messages()
    return str(messages[-1].get("content") or "") if messages else ""


def _short(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
