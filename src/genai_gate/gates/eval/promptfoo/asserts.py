"""promptfoo assertions as genai-gate scorers: exact where promptfoo's rule is reproduced, else
labelled as an approximation or refused.

Each promptfoo assertion type falls in one of three kinds:

- exact: the scorer applies promptfoo's documented rule (`contains` is a raw substring test,
  `equals` raw equality, `is-json` JSON.parse of the whole output, ...);
- judged: model-graded (`llm-rubric`, `model-graded-closedqa`): the same construct graded by
  genai-gate's `eval.judge` with its own judge prompt, as two graders always differ;
- approximation: a different algorithm (`similar` is embedding cosine similarity in promptfoo,
  token F1 here). Approximations are written only by `eval-gate import-promptfoo`, which lists
  them for review; a promptfoo config used directly as a dataset refuses them.

Everything else (`javascript`, `python`, `webhook`, `transform`, ...) is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from genai_gate.gates.eval.promptfoo.template import render

Kind = Literal["exact", "judged", "approximation"]


@dataclass(frozen=True)
class Mapped:
    """One promptfoo assertion as a scorer spec."""

    spec: dict[str, Any]
    kind: Kind
    note: str = ""
    """For approximations: how genai-gate's scorer differs from promptfoo's."""


class Unmappable(ValueError):
    """The assertion has no genai-gate equivalent (the message says why)."""


_CONTAINS = {
    "contains": ("contains", True),
    "icontains": ("contains", False),
    "contains-all": ("contains-all", True),
    "icontains-all": ("contains-all", False),
    "contains-any": ("contains-any", True),
    "icontains-any": ("contains-any", False),
}
_NEGATABLE = {"contains", "icontains", "regex", "starts-with", "equals"}
APPROXIMATIONS = {
    "similar": "promptfoo: embedding cosine similarity; genai-gate: token F1 overlap",
    "factuality": (
        "promptfoo: a grader picks one of five factual-consistency categories; genai-gate: the "
        "judge scores agreement with the reference"
    ),
    "g-eval": "promptfoo: G-Eval chain-of-thought steps; genai-gate: one rubric-graded verdict",
    "rouge-n": "promptfoo: ROUGE-N n-gram recall; genai-gate: ROUGE-L (longest common subsequence)",
    "context-faithfulness": (
        "promptfoo: the context var is only shown to the grader; genai-gate: the groundedness "
        "scorer needs it as the case context, which is also sent to the agent"
    ),
    "contains-json": (
        "promptfoo: finds objects with a lenient YAML parser (comments allowed); genai-gate: "
        "strict JSON objects embedded in the answer"
    ),
}
ASSERTION_KEYS = {"type", "value", "threshold", "weight", "metric"}
"""Assertion fields that are mapped (`metric` only names the result in promptfoo's UI)."""


def map_assertion(assertion: dict[str, Any], variables: dict[str, Any]) -> Mapped:
    """The scorer spec of one promptfoo assertion, its `value` rendered with the test's vars."""
    extra = sorted(set(assertion) - ASSERTION_KEYS)
    if extra:
        raise Unmappable(f"assertion field {extra[0]!r} has no genai-gate equivalent")
    kind = str(assertion.get("type"))
    value = _rendered(assertion.get("value"), variables)
    negate = kind.startswith("not-")
    base = kind.removeprefix("not-")
    if negate and base not in _NEGATABLE:
        raise Unmappable(f"promptfoo assertion type {kind!r} has no genai-gate equivalent")
    mapped = _map(base, value, negate)
    spec = dict(mapped.spec)
    if "threshold" in assertion and spec["type"] not in {"token-f1", "rouge-l", "llm-judge"}:
        raise Unmappable(f"promptfoo ignores `threshold` on {kind!r}: remove it")
    if "threshold" in assertion:
        spec["threshold"] = float(assertion["threshold"])
    if "weight" in assertion:
        weight = float(assertion["weight"])
        spec["weight"] = weight
        if weight == 0:
            spec["threshold"] = 0.0  # promptfoo: "If weight is set to 0, the assertion passes"
    return Mapped(spec, mapped.kind, mapped.note)


def _rendered(value: Any, variables: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return render(value, variables)
    if isinstance(value, list):
        return [_rendered(v, variables) for v in value]
    return value


def _text(value: Any, kind: str) -> str:
    if value is None or isinstance(value, (dict, list)):
        raise Unmappable(f"{kind!r} needs a string value")
    return str(value)


def _map(kind: str, value: Any, negate: bool) -> Mapped:
    if kind in _CONTAINS:
        name, sensitive = _CONTAINS[kind]
        if negate:
            return Mapped(_substring_regex([_text(value, kind)], sensitive, True), "exact")
        if name == "contains-all":  # all-or-nothing as in promptfoo (genai-gate's gives credit)
            ahead = "".join(f"(?=.*?{re.escape(v)})" for v in _values(value, kind))
            return Mapped({"type": "regex", "pattern": rf"(?s)\A{ahead}",
                           "ignore_case": not sensitive}, "exact")  # fmt: skip
        values = _values(value, kind) if name != "contains" else [_text(value, kind)]
        spec = {"type": name, "values": values, "normalize": False, "case_sensitive": sensitive}
        return Mapped(spec, "exact")
    if kind == "equals":
        if negate:
            return Mapped(_anchored(_text(value, kind), r"\A", r"\Z", True), "exact")
        return Mapped({"type": "exact", "value": _text(value, kind), "normalize": False,
                       "case_sensitive": True}, "exact")  # fmt: skip
    if kind == "starts-with":
        return Mapped(_anchored(_text(value, kind), r"\A", "", negate), "exact")
    if kind == "regex":
        pattern = _javascript_pattern(_text(value, kind))
        spec = {"type": "regex", "pattern": pattern, "negate": negate, "ascii_classes": True}
        return Mapped(spec, "exact")
    if kind == "is-json":
        if value:
            return Mapped({"type": "json-schema", "schema": value, "find": "whole"}, "exact")
        return Mapped({"type": "json-valid", "find": "whole"}, "exact")
    if kind == "contains-json":
        spec = {"type": "json-schema", "schema": value} if value else {"type": "json-valid"}
        return Mapped({**spec, "find": "embedded"}, "approximation", APPROXIMATIONS[kind])
    if kind in {"llm-rubric", "model-graded-closedqa"}:
        return Mapped({"type": "llm-judge", "rubric": _text(value, kind)}, "judged")
    if kind in {"factuality", "g-eval"}:
        rubric = _text(value, kind)
        if kind == "factuality":
            rubric = f"The answer is factually consistent with this reference: {rubric}"
        return Mapped(
            {"type": "llm-judge", "rubric": rubric}, "approximation", APPROXIMATIONS[kind]
        )
    if kind == "context-faithfulness":
        return Mapped({"type": "groundedness"}, "approximation", APPROXIMATIONS[kind])
    if kind == "similar":
        spec = {"type": "token-f1", "reference": _text(value, kind), "threshold": 0.75}
        return Mapped(spec, "approximation", APPROXIMATIONS[kind])
    if kind == "rouge-n":
        spec = {"type": "rouge-l", "reference": _text(value, kind), "threshold": 0.75}
        return Mapped(spec, "approximation", APPROXIMATIONS[kind])
    raise Unmappable(f"promptfoo assertion type {kind!r} has no genai-gate equivalent")


_PYTHON_ONLY = re.compile(
    r"\(\?[aiLmsux]+[-:)]|\(\?P[<=>]|\(\?#|\(\?>|(?<!\\)(?:\\\\)*\\[AZzG]|[*+?}][+]"
)
"""Regex syntax Python accepts and JavaScript's RegExp rejects or reads differently: inline flags
`(?i)`, `(?P<name>`, comments, atomic groups, `\\A \\Z \\z \\G`, possessive quantifiers."""


def _javascript_pattern(pattern: str) -> str:
    """A promptfoo `regex` value that means the same to JavaScript and Python (else refused)."""
    found = _PYTHON_ONLY.search(pattern)
    if found:
        construct = re.sub(r"^(?:\\\\)+", "", found.group())  # without escaped backslashes
        raise Unmappable(
            f"regex {pattern!r} uses {construct!r}, which JavaScript's RegExp (promptfoo) "
            "rejects or reads differently: write it in syntax both accept"
        )
    return _end_anchor(pattern)


def _end_anchor(pattern: str) -> str:
    """`$` outside a character class as `\\Z`: in JavaScript it matches only at the very end,
    in Python also before a final newline."""
    out, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append(r"\Z")
            continue
        out.append(char)
    return "".join(out)


def _values(value: Any, kind: str) -> list[str]:
    """A list, or promptfoo's comma-separated string form."""
    if isinstance(value, list):
        return [str(v) for v in value]
    return [part.strip() for part in _text(value, kind).split(",")]


def _substring_regex(values: list[str], sensitive: bool, negate: bool) -> dict[str, Any]:
    pattern = "|".join(re.escape(v) for v in values)
    return {"type": "regex", "pattern": pattern, "ignore_case": not sensitive, "negate": negate}


def _anchored(text: str, head: str, tail: str, negate: bool) -> dict[str, Any]:
    return {"type": "regex", "pattern": head + re.escape(text) + tail, "negate": negate}
