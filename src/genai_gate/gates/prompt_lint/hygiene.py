"""PL3xx hygiene rules: secrets, personal data, and structures that invite prompt injection."""

from __future__ import annotations

import re
from collections.abc import Iterator

from genai_gate.gates.prompt_lint.findings import Hit, LintInputs
from genai_gate.gates.prompt_lint.secrets import find_secrets
from genai_gate.pii import LineIndex, find_pii
from genai_gate.registry.templates import placeholder_spans

# An opening delimiter right before the user input, and its closing one right after: XML-style
# tags, code fences, triple quotes, rules (---, ###, ===), <<< >>> and [USER INPUT] markers.
_OPEN = re.compile(
    r"(?:<[A-Za-z][\w-]*>|```[\w-]*|\"\"\"|'''|-{3,}|#{3,}|={3,}|<<<|\[[A-Z][A-Z _-]*\])\s*\Z"
)
_CLOSE = re.compile(
    r"\A\s*(?:</[A-Za-z][\w-]*>|```|\"\"\"|'''|-{3,}|#{3,}|={3,}|>>>|\[/?[A-Z][A-Z _-]*\])"
)
_TAG_OR_FIELD = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{[^{}\s]*\}", re.S)
_WORD = re.compile(r"[^\W\d_]{2,}")
MIN_INSTRUCTION_WORDS = 6
"""Words of instructions after the user input that make its position risky."""


def check_file_text(inputs: LintInputs) -> Iterator[Hit]:
    """Secrets and checksum-valid personal data anywhere in the prompt file."""
    pii_types = inputs.settings.pii_types
    for item in inputs.items:
        text, rel = item.source.text, item.source.rel
        secrets, personal = find_secrets(text), find_pii(text, types=pii_types)
        if not secrets and not personal:
            continue
        index = LineIndex(text)
        for secret in secrets:
            line, _ = index.position(secret.start)
            yield Hit(
                "PL301",
                rel,
                line,
                f"credential of type {secret.kind} ({secret.masked}): remove it from the prompt, "
                "rotate it, and pass credentials to tools through the environment",
                {"kind": secret.kind, "evidence": secret.masked},
            )
        for match in personal:
            line, _ = index.position(match.start)
            yield Hit(
                "PL302",
                rel,
                line,
                f"checksum-valid {match.type} ({match.masked}) in the prompt: replace it with a "
                "variable or an obviously fake example (or suppress with the reason if it is the "
                "bank's own published data)",
                {"kind": match.type, "evidence": match.masked},
            )


def check_injection_structure(inputs: LintInputs) -> Iterator[Hit]:
    """User-input variables followed by instructions without delimiters around them."""
    user_vars = set(inputs.settings.user_input_variables)
    for item in inputs.items:
        prompt, info = item.prompt, item.template
        if prompt is None or info is None or info.error is not None:
            continue
        template = prompt.template
        for name in sorted(user_vars & set(info.variables)):
            for start, end in placeholder_spans(template, prompt.template_format, name):
                if _delimited(template, start, end):
                    continue
                words = _instruction_words(template[end:])
                if words < MIN_INSTRUCTION_WORDS:
                    continue
                yield Hit(
                    "PL303",
                    item.source.rel,
                    item.source.template_line(template.count("\n", 0, start) + 1),
                    f"user input {name!r} comes before {words} words of instructions without "
                    f"delimiters: move it after the rules and wrap it, e.g. <{name}>...</{name}>",
                    {"variable": name},
                )
                break


def _delimited(template: str, start: int, end: int) -> bool:
    return bool(_OPEN.search(template[:start]) and _CLOSE.match(template[end:]))


def _instruction_words(after: str) -> int:
    return len(_WORD.findall(_TAG_OR_FIELD.sub(" ", after)))
