"""PL2xx template rules: the template parses; declared and used variables agree."""

from __future__ import annotations

from collections.abc import Iterator

from genai_gate.gates.prompt_lint.findings import Hit, Item, LintInputs
from genai_gate.registry.templates import TemplateInfo, analyze


def parse_templates(items: list[Item]) -> None:
    """Fill `item.template` for every valid prompt; a template text written in several files
    (one prompt pinned to several models, copies per team) is parsed once."""
    parsed: dict[tuple[str, str], TemplateInfo] = {}
    for item in items:
        if item.prompt is not None:
            key = (item.prompt.template_format, item.prompt.template)
            if key not in parsed:
                parsed[key] = analyze(item.prompt.template, item.prompt.template_format)
            item.template = parsed[key]


def check_templates(inputs: LintInputs) -> Iterator[Hit]:
    """Syntax, unused, undeclared and required variables."""
    required = inputs.settings.required_variables
    for item in inputs.items:
        prompt, info, source = item.prompt, item.template, item.source
        if prompt is None or info is None:
            continue
        if info.error is not None:
            yield Hit(
                "PL201",
                source.rel,
                source.template_line(info.error_line),
                f"template does not parse as {prompt.template_format}: {info.error} "
                f"(template line {info.error_line}): fix the syntax",
            )
            continue
        declared = prompt.variables
        for index, name in enumerate(declared):
            if name not in info.variables:
                yield Hit(
                    "PL202",
                    source.rel,
                    source.line_of("variables", index),
                    f"variable {name!r} is declared but the template never uses it: "
                    "use it or remove it from `variables`",
                )
        for name, line in info.variables.items():
            if name not in declared:
                yield Hit(
                    "PL203",
                    source.rel,
                    source.template_line(line),
                    f"template uses {name!r}, which is not declared: add it to `variables` "
                    "or fix the name",
                )
        for name in required:
            if name not in declared and name not in info.variables:
                yield Hit(
                    "PL204",
                    source.rel,
                    source.line_of("variables"),
                    f"required variable {name!r} (prompt_lint.required_variables) is missing: "
                    "declare it and place it in the template",
                )
