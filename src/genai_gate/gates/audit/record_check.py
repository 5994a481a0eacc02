"""A record draft checked and completed in plain Python, from the record's JSON Schema.

`record` runs in a fresh process per deploy step, where building the pydantic models costs
more than the append itself. `record.schema.json` is the JSON Schema generated from
`AuditRecord` (the contract; a test keeps the file equal to the model's schema, another checks
this module against the `jsonschema` package). The subset of JSON Schema that file uses is
compiled once into one checking function per node; `complete` returns the record as
`AuditRecord.model_dump(mode="json", exclude_none=True)` would: defaults filled in schema
order, numbers of `number` fields as floats, nulls left out.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from genai_gate.errors import ConfigError, located

SCHEMA_FILE = Path(__file__).with_name("record.schema.json")

Problems = list[tuple[str, str]]
"""(dotted field, message) of every problem found."""
Path_ = tuple[Any, ...]
"""Where a value is: () for the record, else (parent path, member name or list index)."""
Check = Callable[[Any, Path_, Problems], Any]
"""Checks one value at a path (appending problems); returns it completed."""


def complete(draft: dict[str, Any], where: str = "record") -> dict[str, Any]:
    """The record fields of `draft`, completed; ConfigError naming every bad field (exit 2)."""
    problems: Problems = []
    record = _record_check()(draft, (), problems)
    if problems:
        raise ConfigError([located(where, None, field, message) for field, message in problems])
    assert isinstance(record, dict)
    return record


def problems_of(draft: Any) -> Problems:
    """Every problem of a draft (empty when `complete` accepts it)."""
    problems: Problems = []
    _record_check()(draft, (), problems)
    return problems


@functools.cache
def _record_check() -> Check:
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return _Compiler(schema.get("$defs", {})).check(schema)


class _Compiler:
    """Turns schema nodes into checking functions (each `$defs` entry compiled once)."""

    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.compiled: dict[str, Check] = {}

    def check(self, node: dict[str, Any]) -> Check:
        ref = node.get("$ref")
        if ref is not None:
            return self._ref(ref.removeprefix("#/$defs/"))
        if "anyOf" in node:
            return _any_of([self.check(option) for option in node["anyOf"]], node["anyOf"])
        kind = node.get("type")
        if kind == "object":
            return self._object(node)
        if kind == "array":
            items = node.get("items")
            return _array(self.check(items) if items is not None else None)
        base = _SCALARS.get(kind) if isinstance(kind, str) else None
        if base is None:  # a schema this module does not read: refuse rather than pass
            raise ValueError(f"record.schema.json: unsupported schema node {node}")
        checks = [base(node)]
        if "const" in node:
            checks.insert(0, _const(node["const"]))
        if "enum" in node:
            checks.insert(0, _enum(node["enum"]))
        return checks[0] if len(checks) == 1 else _first_failure(checks)

    def _ref(self, name: str) -> Check:
        if name not in self.compiled:  # the record's schema has no recursive definitions
            self.compiled[name] = self.check(self.defs[name])
        return self.compiled[name]

    def _object(self, node: dict[str, Any]) -> Check:
        required = set(node.get("required", ()))
        members = [
            (name, self.check(prop), "default" in prop, prop.get("default"), name in required)
            for name, prop in node.get("properties", {}).items()
        ]
        known = {name for name, *_ in members}
        extra = node.get("additionalProperties", True)
        extra_check = self.check(extra) if isinstance(extra, dict) else None

        def check(value: Any, path: Path_, problems: Problems) -> Any:
            if not isinstance(value, dict):
                problems.append((_dotted(path), f"must be an object, not {_shown(value)}"))
                return value
            out: dict[str, Any] = {}
            present = 0
            for name, member, has_default, default, needed in members:
                if name in value:
                    present += 1
                    done = member(value[name], (path, name), problems)
                elif has_default:  # checking builds new containers: the default is not shared
                    done = None if default is None else member(default, (path, name), problems)
                else:
                    if needed:
                        problems.append((_dotted((path, name)), "field required"))
                    continue
                if done is not None:
                    out[name] = done
            for name in value if present < len(value) else ():
                if name in known:
                    continue
                if extra is False:
                    problems.append((_dotted((path, str(name))), "unknown field"))
                elif extra_check is not None:
                    done = extra_check(value[name], (path, str(name)), problems)
                    if done is not None:
                        out[name] = done
                else:
                    out[name] = value[name]
            return out

        return check


def _any_of(checks: list[Check], options: list[dict[str, Any]]) -> Check:
    """The first option that fits; else the problems of the first non-null option."""
    nullable = [option.get("type") == "null" for option in options]
    takes_null = any(nullable)

    def check(value: Any, path: Path_, problems: Problems) -> Any:
        if value is None and takes_null:
            return None
        failures: list[Problems] = []
        for option, is_null in zip(checks, nullable, strict=True):
            found: Problems = []
            done = option(value, path, found)
            if not found:
                return done
            if not is_null:
                failures.append(found)
        problems.extend(failures[0] if failures else [(_dotted(path), "must be null")])
        return value

    return check


def _array(items: Check | None) -> Check:
    def check(value: Any, path: Path_, problems: Problems) -> Any:
        if not isinstance(value, list):
            problems.append((_dotted(path), f"must be a list, not {_shown(value)}"))
            return value
        if items is None:
            return list(value)
        return [items(item, (path, i), problems) for i, item in enumerate(value)]

    return check


def _string(node: dict[str, Any]) -> Check:
    pattern = re.compile(node["pattern"]) if "pattern" in node else None

    def check(value: Any, path: Path_, problems: Problems) -> Any:
        if not isinstance(value, str):
            problems.append((_dotted(path), f"must be a string, not {_shown(value)}"))
        elif pattern is not None and not pattern.search(value):
            problems.append((_dotted(path), f"must match {pattern.pattern}, not {_shown(value)}"))
        return value

    return check


def _number(node: dict[str, Any]) -> Check:
    integer = node["type"] == "integer"
    what = "an integer" if integer else "a number"
    low, high = node.get("minimum"), node.get("maximum")

    def check(value: Any, path: Path_, problems: Problems) -> Any:
        plain = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not plain or (integer and isinstance(value, float) and not value.is_integer()):
            problems.append((_dotted(path), f"must be {what}, not {_shown(value)}"))
            return value
        if low is not None and value < low:
            problems.append((_dotted(path), f"must be >= {low}, not {value}"))
        if high is not None and value > high:
            problems.append((_dotted(path), f"must be <= {high}, not {value}"))
        return int(value) if integer else float(value)

    return check


def _boolean(node: dict[str, Any]) -> Check:
    def check(value: Any, path: Path_, problems: Problems) -> Any:
        if not isinstance(value, bool):
            problems.append((_dotted(path), f"must be true or false, not {_shown(value)}"))
        return value

    return check


def _null(node: dict[str, Any]) -> Check:
    def check(value: Any, path: Path_, problems: Problems) -> Any:
        if value is not None:
            problems.append((_dotted(path), f"must be null, not {_shown(value)}"))
        return value

    return check


_SCALARS: dict[str, Callable[[dict[str, Any]], Check]] = {
    "string": _string,
    "integer": _number,
    "number": _number,
    "boolean": _boolean,
    "null": _null,
}


def _const(expected: Any) -> Check:
    def check(value: Any, path: Path_, problems: Problems) -> Any:
        if not _same(value, expected):
            problems.append((_dotted(path), f"must be {json.dumps(expected)}"))
        return value

    return check


def _enum(options: list[Any]) -> Check:
    shown = ", ".join(json.dumps(option) for option in options)

    def check(value: Any, path: Path_, problems: Problems) -> Any:
        if not any(_same(value, option) for option in options):
            problems.append((_dotted(path), f"must be one of {shown}, not {_shown(value)}"))
        return value

    return check


def _first_failure(checks: list[Check]) -> Check:
    """Each check in turn, up to the first that finds a problem; the last one's value."""

    def check(value: Any, path: Path_, problems: Problems) -> Any:
        for one in checks:
            before = len(problems)
            value = one(value, path, problems)
            if len(problems) > before:
                return value
        return value

    return check


def _same(value: Any, expected: Any) -> bool:
    """JSON equality: `True` is not 1."""
    return value == expected and isinstance(value, bool) == isinstance(expected, bool)


def _shown(value: Any) -> str:
    text = json.dumps(value, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."


def _dotted(path: Path_) -> str:
    names: list[str] = []
    while path:
        path, name = path
        names.append(str(name))
    return ".".join(reversed(names))
