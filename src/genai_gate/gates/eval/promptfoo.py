"""Import a promptfoo config's `tests:` (vars + assert) as eval cases, so teams can migrate.

Supported assertion types map onto built-in scorers; anything else (javascript, python, ...) is a
located error rather than a silently skipped check. The input var becomes the user message and a
`context` var the case's context; promptfoo's `prompts:` templates are not applied (the target
owns its prompt, from the prompt registry).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from genai_gate.errors import ConfigError, located
from genai_gate.yamlio import LineMap, load_yaml

INPUT_VARS = ("input", "query", "question", "prompt", "message")
"""Var names taken as the user input when the config does not say (first present wins)."""

_STRING_ASSERTS: dict[str, tuple[str, dict[str, Any]]] = {
    "equals": ("exact", {}),
    "contains": ("contains", {"case_sensitive": True}),
    "icontains": ("contains", {}),
    "not-contains": ("not-contains", {"case_sensitive": True}),
    "not-icontains": ("not-contains", {}),
    "starts-with": ("regex", {}),
    "regex": ("regex", {}),
    "not-regex": ("regex", {"negate": True}),
    "llm-rubric": ("llm-judge", {}),
    "g-eval": ("llm-judge", {}),
    "factuality": ("llm-judge", {}),
    "context-faithfulness": ("groundedness", {}),
}
_LIST_ASSERTS: dict[str, tuple[str, dict[str, Any]]] = {
    "contains-all": ("contains-all", {"case_sensitive": True}),
    "icontains-all": ("contains-all", {}),
    "contains-any": ("contains-any", {"case_sensitive": True}),
    "icontains-any": ("contains-any", {}),
}


def import_promptfoo(
    data: dict[str, Any], lines: LineMap, path: Path, input_var: str | None
) -> list[tuple[Any, int | None]]:
    """Cases (with their lines) from a promptfoo config mapping that has `tests:`."""
    from genai_gate.gates.eval.dataset import validate_cases

    default = data.get("defaultTest")
    default = default if isinstance(default, dict) else {}
    default_asserts = default.get("assert") or []
    default_vars = default.get("vars") or {}
    cases: list[dict[str, Any]] = []
    case_lines = LineMap()
    problems: list[str] = []
    for index, test, test_lines, test_path, loc in _tests(data, lines, path):
        line = test_lines.line_of(loc)
        if not isinstance(test, dict):
            problems.append(located(test_path, line, _dot(loc), "expected a mapping"))
            continue
        try:
            cases.append(
                _convert(index, test, default_vars, default_asserts, input_var, test_path, line)
            )
        except ValueError as exc:
            problems.append(located(test_path, line, _dot(loc), str(exc)))
            continue
        case_lines.lines[(len(cases) - 1,)] = line or 1
    if problems:
        raise ConfigError(problems)
    return validate_cases(cases, case_lines, path, ())


def _tests(data: dict[str, Any], lines: LineMap, path: Path):
    """Yield (index, test, its LineMap, its file, its location) over inline and file:// tests."""
    tests = data["tests"]
    entries = tests if isinstance(tests, list) else [tests]
    index = 0
    for position, entry in enumerate(entries):
        loc = ("tests", position) if isinstance(tests, list) else ("tests",)
        if isinstance(entry, str) and entry.startswith("file://"):
            ref = path.parent / entry.removeprefix("file://")
            loaded, ref_lines = load_yaml(ref)
            if not isinstance(loaded, list):
                raise ConfigError(located(ref, 1, "", "expected a list of promptfoo tests"))
            for sub, test in enumerate(loaded):
                index += 1
                yield index, test, ref_lines, ref, (sub,)
        else:
            index += 1
            yield index, entry, lines, path, loc


def _convert(
    index: int,
    test: dict[str, Any],
    default_vars: dict[str, Any],
    default_asserts: list[Any],
    input_var: str | None,
    path: Path,
    line: int | None,
) -> dict[str, Any]:
    variables = {**default_vars, **(test.get("vars") or {})}
    name = input_var or _pick_input_var(variables)
    if name not in variables:
        raise ValueError(f"vars has no {name!r} (set the suite's input_var)")
    description = str(test.get("description") or "")
    case: dict[str, Any] = {
        "id": f"{index:03d}-{_slug(description)}" if description else f"test-{index:03d}",
        "input": str(variables[name]),
        "scorers": [_scorer(a) for a in [*default_asserts, *(test.get("assert") or [])]],
    }
    if description:
        case["description"] = description
    context = variables.get("context")
    if context is not None and name != "context":
        case["context"] = [str(c) for c in context] if isinstance(context, list) else [str(context)]
    metadata = test.get("metadata") or {}
    if isinstance(metadata, dict) and isinstance(metadata.get("tags"), list):
        case["tags"] = [str(t) for t in metadata["tags"]]
    if not case["scorers"]:
        raise ValueError("test has no assertions")
    return case


def _pick_input_var(variables: dict[str, Any]) -> str:
    if len(variables) == 1:
        return next(iter(variables))
    for name in INPUT_VARS:
        if name in variables:
            return name
    raise ValueError(
        f"cannot tell which var is the input among {sorted(variables)} (set the suite's input_var)"
    )


def _scorer(assertion: Any) -> dict[str, Any]:
    if not isinstance(assertion, dict) or "type" not in assertion:
        raise ValueError("an assertion must be a mapping with a type")
    kind = str(assertion["type"])
    value = assertion.get("value")
    spec: dict[str, Any] = {}
    if kind in _STRING_ASSERTS:
        name, extra = _STRING_ASSERTS[kind]
        spec = {"type": name, **extra}
        if name in {"llm-judge", "groundedness"}:
            if value is not None:
                spec["rubric"] = str(value)
        elif kind == "starts-with":
            spec["pattern"] = "^" + re.escape(str(value))
        elif name == "regex":
            spec["pattern"] = str(value)
        else:
            spec["value"] = str(value)
    elif kind in _LIST_ASSERTS:
        name, extra = _LIST_ASSERTS[kind]
        values = value if isinstance(value, list) else [value]
        spec = {"type": name, "values": [str(v) for v in values], **extra}
    elif kind in {"is-json", "contains-json"}:
        spec = {"type": "json-schema", "schema": value} if value else {"type": "json-valid"}
    elif kind == "rouge-n":
        spec = {"type": "rouge-l", "reference": str(value)}
    elif kind == "similar":
        spec = {"type": "token-f1", "reference": str(value)}
    else:
        raise ValueError(f"promptfoo assertion type {kind!r} has no genai-gate equivalent")
    if "threshold" in assertion:
        spec["threshold"] = float(assertion["threshold"])
    if "weight" in assertion:
        spec["weight"] = float(assertion["weight"])
    return spec


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "test"


def _dot(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)
