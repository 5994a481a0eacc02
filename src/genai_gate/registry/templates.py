"""Prompt templates: parse, list the variables they use (with lines), and their static text.

Two syntaxes: `jinja2` (parsed with jinja2's own parser; used variables from
`jinja2.meta.find_undeclared_variables`) and `python` (`str.format` fields, parsed with
`string.Formatter`). Lines are 1-based within the template text.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import cache
from typing import Any

_FIELD_ROOT = re.compile(r"^([^.\[!:]*)")


@dataclass
class TemplateInfo:
    """What a template uses and whether it parses."""

    variables: dict[str, int] = field(default_factory=dict)
    """Each variable the template reads, with the template line of its first use."""
    static_text: str = ""
    """The literal text with every variable empty and every tag removed (each block once)."""
    error: str | None = None
    """Syntax error message, when the template does not parse."""
    error_line: int | None = None
    """Template line of the syntax error."""


@cache
def _needs_jinja_analysis() -> tuple[type, ...]:
    """Nodes that assign names or open scopes beyond a for loop: left to jinja2's own tracker."""
    from jinja2 import nodes

    return (
        nodes.Macro,
        nodes.CallBlock,
        nodes.With,
        nodes.Scope,
        nodes.OverlayScope,
        nodes.Assign,
        nodes.AssignBlock,
        nodes.Block,
        nodes.Extends,
        nodes.Import,
        nodes.FromImport,
        nodes.Include,
        nodes.FilterBlock,
        nodes.ScopedEvalContextModifier,
    )


def _undeclared(ast: Any, globals_: Any) -> set[str]:
    """Names the template reads from its caller: `jinja2.meta.find_undeclared_variables`.

    Templates whose only scopes are for loops (most prompts) are walked directly, which gives
    the same answer several times faster; anything else goes to jinja2's tracker.
    """
    from jinja2 import meta

    if any(True for _ in ast.find_all(_needs_jinja_analysis())):
        return set(meta.find_undeclared_variables(ast))
    found: set[str] = set()
    _walk(ast, frozenset(), found)
    return found - {"self"} - set(globals_)


def _walk(node: Any, bound: frozenset[str], found: set[str]) -> None:
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        if node.ctx == "load" and node.name not in bound:
            found.add(node.name)
        return
    if isinstance(node, nodes.For):
        _walk(node.iter, bound, found)
        targets = [node.target, *node.target.find_all(nodes.Name)]  # a Name or a Tuple of them
        inner = bound | {n.name for n in targets if isinstance(n, nodes.Name)} | {"loop"}
        for child in [node.test, *node.body]:
            if child is not None:
                _walk(child, inner, found)
        for child in node.else_:
            _walk(child, bound, found)
        return
    for child in node.iter_child_nodes():
        _walk(child, bound, found)


@cache
def _jinja_env():  # type: ignore[no-untyped-def]
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=False, keep_trailing_newline=True)


def analyze(template: str, template_format: str) -> TemplateInfo:
    """Parse `template` in `template_format` (`jinja2` or `python`)."""
    if template_format == "python":
        return _analyze_python(template)
    return _analyze_jinja(template)


def static_text(template: str, template_format: str) -> tuple[str, str | None]:
    """(literal text, syntax error or None), faster than `analyze`: a jinja2 template is only
    lexed (its data tokens are exactly the parser's TemplateData), variables are not resolved.
    """
    if template_format == "python":
        try:
            return "".join(text for text, *_ in string.Formatter().parse(template)), None
        except ValueError as exc:
            return "", str(exc)
    from jinja2 import TemplateSyntaxError

    try:
        tokens = _jinja_env().lex(template)
        return "".join(value for _, kind, value in tokens if kind == "data"), None
    except TemplateSyntaxError as exc:
        return "", exc.message or str(exc)


def _analyze_jinja(template: str) -> TemplateInfo:
    from jinja2 import TemplateSyntaxError, nodes

    env = _jinja_env()
    try:
        ast = env.parse(template)
    except TemplateSyntaxError as exc:
        return TemplateInfo(error=exc.message or str(exc), error_line=exc.lineno)
    undeclared = _undeclared(ast, env.globals)
    first: dict[str, int] = {}
    for node in ast.find_all(nodes.Name):
        if node.name in undeclared and node.ctx == "load":
            first[node.name] = min(first.get(node.name, node.lineno), node.lineno)
    static = "".join(node.data for node in ast.find_all(nodes.TemplateData))
    return TemplateInfo(
        variables=dict(sorted(first.items(), key=lambda kv: kv[1])), static_text=static
    )


def _analyze_python(template: str) -> TemplateInfo:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        return TemplateInfo(error=str(exc), error_line=_python_error_line(template))
    starts = iter(_python_field_starts(template))
    variables: dict[str, int] = {}
    literal: list[str] = []
    for text, name, _spec, _conversion in parsed:
        literal.append(text)
        if name is None:
            continue
        position = next(starts, 0)
        root = _FIELD_ROOT.match(name)[1]  # type: ignore[index]
        key = root if root and not root.isdigit() else f"{{{name}}}"  # positional: `{}` / `{0}`
        variables.setdefault(key, template.count("\n", 0, position) + 1)
    return TemplateInfo(variables=variables, static_text="".join(literal))


def _python_field_starts(template: str) -> list[int]:
    """Offsets of the top-level replacement fields of a valid `str.format` template."""
    starts: list[int] = []
    depth, i = 0, 0
    while i < len(template):
        if depth == 0 and template[i : i + 2] in ("{{", "}}"):
            i += 2
            continue
        if template[i] == "{":
            if depth == 0:
                starts.append(i)
            depth += 1
        elif template[i] == "}":
            depth -= 1
        i += 1
    return starts


def _python_error_line(template: str) -> int:
    """Line of the first unbalanced brace of a `str.format` template."""
    depth, opened, i = 0, 0, 0
    while i < len(template):
        if depth == 0 and template[i : i + 2] in ("{{", "}}"):
            i += 2
            continue
        if template[i] == "{":
            opened = i if depth == 0 else opened
            depth += 1
        elif template[i] == "}":
            if depth == 0:
                return template.count("\n", 0, i) + 1
            depth -= 1
        i += 1
    return template.count("\n", 0, opened) + 1


def placeholder_spans(template: str, template_format: str, name: str) -> list[tuple[int, int]]:
    """Character spans where variable `name` is inserted (`{{ name ... }}` / `{name...}`)."""
    escaped = re.escape(name)
    if template_format == "python":
        pattern = r"(?<!\{)\{" + escaped + r"(?:[.\[!:][^{}]*)?\}"
    else:
        pattern = r"\{\{-?\s*" + escaped + r"\b[^}]*\}\}"
    return [match.span() for match in re.finditer(pattern, template)]
