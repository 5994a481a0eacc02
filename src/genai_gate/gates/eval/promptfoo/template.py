"""The Nunjucks subset promptfoo templates use, rendered with jinja2 where both agree.

promptfoo renders prompts, vars and assertion values with Nunjucks (autoescape off, undefined
renders as an empty string). jinja2 parses the same syntax; where the two *behave* differently
the template is refused instead of rendered differently: a `{% for k, v in obj %}` loop (Nunjucks
iterates an object's entries, jinja2 its keys), filters whose arguments or results differ
(`truncate`, `sort`, `wordwrap`, ...), and promptfoo's own filters (`load`, custom
`nunjucksFilters`). Values print as JavaScript prints them and the filters whose jinja2 version
differs (`title`, `round`, `int`, `float`, `join`, `string`, `dump`) are Nunjucks' (`jsfilters`).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import jinja2
from jinja2 import nodes

from genai_gate.gates.eval.promptfoo.jsfilters import FILTERS, js_string

SAME_FILTERS = frozenset(
    {
        "abs",
        "capitalize",
        "default",
        "d",
        "first",
        "last",
        "length",
        "list",
        "lower",
        "replace",
        "reverse",
        "safe",
        "trim",
        "upper",
        "wordcount",
    }
)
"""jinja2 filters that behave as Nunjucks' (for the arguments promptfoo users pass)."""

_SAME_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.Getattr,
    nodes.Getitem,
    nodes.If,
    nodes.CondExpr,
    nodes.Compare,
    nodes.Operand,
    nodes.Not,
    nodes.And,
    nodes.Or,
    nodes.Add,
    nodes.Sub,
    nodes.Mul,
    nodes.Mod,
    nodes.Neg,
    nodes.Pos,
    nodes.Concat,
    nodes.List,
    nodes.Tuple,
    nodes.Assign,
    nodes.Filter,
    nodes.For,
    nodes.Test,
    nodes.Keyword,
)


class TemplateRefused(ValueError):
    """A template uses a construct that Nunjucks and jinja2 do not render alike."""


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.ChainableUndefined,
        finalize=js_string,
    )
    env.filters.update(FILTERS)
    return env


def _unsupported(tree: nodes.Node) -> Iterator[str]:
    for node in tree.find_all(nodes.Node):
        if isinstance(node, nodes.Filter) and node.name not in SAME_FILTERS | set(FILTERS):
            yield f"filter `{node.name}` (not rendered alike by Nunjucks and jinja2)"
        elif isinstance(node, nodes.For) and not isinstance(node.target, nodes.Name):
            yield "`{% for a, b in ... %}` (Nunjucks iterates an object's entries, jinja2 its keys)"
        elif isinstance(node, nodes.Test) and node.name not in {"defined", "undefined", "none"}:
            yield f"test `is {node.name}`"
        elif not isinstance(node, _SAME_NODES):
            yield f"`{type(node).__name__}` syntax"


@lru_cache(maxsize=4096)
def compile_template(text: str) -> jinja2.Template:
    """Parse a promptfoo template; TemplateRefused names the first construct that differs."""
    env = _environment()
    try:
        tree = env.parse(text)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateRefused(f"template syntax error: {exc.message} (line {exc.lineno})") from None
    problems = list(dict.fromkeys(_unsupported(tree)))
    if problems:
        raise TemplateRefused("template uses " + ", ".join(problems))
    return env.from_string(text)


def render(text: str, variables: dict[str, Any]) -> str:
    """Render `text` with `variables` as promptfoo would (strings without `{` pass through)."""
    if "{" not in text:
        return text
    try:
        return compile_template(text).render(variables)
    except jinja2.TemplateError as exc:
        raise TemplateRefused(f"template error: {exc}") from None


def render_vars(variables: dict[str, Any]) -> dict[str, Any]:
    """String vars as promptfoo 0.123 passes them to the prompt: rendered once (so vars may
    reference vars: `item: 'tweet about {{topic}}'`), one trailing newline dropped (observed with
    the real tool, see tests/test_eval_promptfoo_oracle.py)."""
    return {
        key: _drop_newline(render(value, variables)) if isinstance(value, str) else value
        for key, value in variables.items()
    }


def _drop_newline(text: str) -> str:
    return text[:-1] if text.endswith("\n") else text
