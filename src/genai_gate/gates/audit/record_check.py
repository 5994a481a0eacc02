"""A record draft checked and completed in plain Python, from the record's JSON Schema.

`record` runs in a fresh process per deploy step, where building the pydantic models costs
more than the append itself. `record.schema.json` is the JSON Schema generated from
`AuditRecord` (the contract; a test keeps the file equal to the model's schema, another checks
this module against the `jsonschema` package). `complete` reads the subset of JSON Schema that
file uses and returns the record as `AuditRecord.model_dump(mode="json", exclude_none=True)`
would: defaults filled in schema order, numbers of `number` fields as floats, nulls left out.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

from genai_gate.errors import ConfigError, located

SCHEMA_FILE = Path(__file__).with_name("record.schema.json")

Problems = list[tuple[str, str]]
"""(dotted field, message) of every problem found."""


@functools.cache
def record_schema() -> dict[str, Any]:
    """The record's JSON Schema (record.schema.json)."""
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def complete(draft: dict[str, Any], where: str = "record") -> dict[str, Any]:
    """The record fields of `draft`, completed; ConfigError naming every bad field (exit 2)."""
    problems: Problems = []
    record = _value(draft, record_schema(), (), problems)
    if problems:
        raise ConfigError([located(where, None, field, message) for field, message in problems])
    assert isinstance(record, dict)
    return record


def problems_of(draft: Any) -> Problems:
    """Every problem of a draft (empty when `complete` accepts it)."""
    problems: Problems = []
    _value(draft, record_schema(), (), problems)
    return problems


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    name = ref.removeprefix("#/$defs/")
    target: dict[str, Any] = record_schema()["$defs"][name]
    return target


def _value(value: Any, node: dict[str, Any], path: tuple[str, ...], problems: Problems) -> Any:
    node = _resolve(node)
    if "anyOf" in node:
        return _any_of(value, node["anyOf"], path, problems)
    if "const" in node and not _same(value, node["const"]):
        problems.append((_dotted(path), f"must be {json.dumps(node['const'])}"))
        return value
    if "enum" in node and not any(_same(value, option) for option in node["enum"]):
        options = ", ".join(json.dumps(option) for option in node["enum"])
        problems.append((_dotted(path), f"must be one of {options}, not {_shown(value)}"))
        return value
    kind = node.get("type")
    checker = _TYPES.get(kind) if isinstance(kind, str) else None
    if checker is None:  # a schema this module does not read: refuse rather than pass
        raise ValueError(f"record.schema.json: unsupported schema at {_dotted(path)}: {node}")
    return checker(value, node, path, problems)


def _any_of(value: Any, options: list[Any], path: tuple[str, ...], problems: Problems) -> Any:
    """The first option that fits; else the problems of the first non-null option."""
    failures: list[Problems] = []
    for option in options:
        found: Problems = []
        done = _value(value, option, path, found)
        if not found:
            return done
        if _resolve(option).get("type") != "null":
            failures.append(found)
    problems.extend(failures[0] if failures else [(_dotted(path), "must be null")])
    return value


def _object(value: Any, node: dict[str, Any], path: tuple[str, ...], problems: Problems) -> Any:
    if not isinstance(value, dict):
        problems.append((_dotted(path), f"must be an object, not {_shown(value)}"))
        return value
    properties: dict[str, Any] = node.get("properties", {})
    extra = node.get("additionalProperties", True)
    out: dict[str, Any] = {}
    for name, prop in properties.items():
        if name in value:
            done = _value(value[name], prop, (*path, name), problems)
        elif "default" in prop:
            done = _value(copy.deepcopy(prop["default"]), prop, (*path, name), problems)
        else:
            if name in node.get("required", ()):
                problems.append((_dotted((*path, name)), "field required"))
            continue
        if done is not None:
            out[name] = done
    for name in value:
        if name in properties:
            continue
        if extra is False:
            problems.append((_dotted((*path, str(name))), "unknown field"))
        elif isinstance(extra, dict):
            done = _value(value[name], extra, (*path, str(name)), problems)
            if done is not None:
                out[name] = done
        else:
            out[name] = value[name]
    return out


def _array(value: Any, node: dict[str, Any], path: tuple[str, ...], problems: Problems) -> Any:
    if not isinstance(value, list):
        problems.append((_dotted(path), f"must be a list, not {_shown(value)}"))
        return value
    items = node.get("items")
    if items is None:
        return list(value)
    return [_value(item, items, (*path, str(i)), problems) for i, item in enumerate(value)]


def _string(value: Any, node: dict[str, Any], path: tuple[str, ...], problems: Problems) -> Any:
    if not isinstance(value, str):
        problems.append((_dotted(path), f"must be a string, not {_shown(value)}"))
    elif "pattern" in node and not re.search(node["pattern"], value):
        problems.append((_dotted(path), f"must match {node['pattern']}, not {_shown(value)}"))
    return value


def _number(value: Any, node: dict[str, Any], path: tuple[str, ...], problems: Problems) -> Any:
    integer = node["type"] == "integer"
    plain = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not plain or (integer and isinstance(value, float) and not value.is_integer()):
        problems.append(
            (
                _dotted(path),
                f"must be {'an integer' if integer else 'a number'}, not {_shown(value)}",
            )
        )
        return value
    if "minimum" in node and value < node["minimum"]:
        problems.append((_dotted(path), f"must be >= {node['minimum']}, not {value}"))
    if "maximum" in node and value > node["maximum"]:
        problems.append((_dotted(path), f"must be <= {node['maximum']}, not {value}"))
    return int(value) if integer else float(value)


def _boolean(value: Any, node: dict[str, Any], path: tuple[str, ...], problems: Problems) -> Any:
    if not isinstance(value, bool):
        problems.append((_dotted(path), f"must be true or false, not {_shown(value)}"))
    return value


def _null(value: Any, node: dict[str, Any], path: tuple[str, ...], problems: Problems) -> Any:
    if value is not None:
        problems.append((_dotted(path), f"must be null, not {_shown(value)}"))
    return value


_TYPES = {
    "object": _object,
    "array": _array,
    "string": _string,
    "integer": _number,
    "number": _number,
    "boolean": _boolean,
    "null": _null,
}


def _same(value: Any, expected: Any) -> bool:
    """JSON equality: `True` is not 1."""
    return value == expected and isinstance(value, bool) == isinstance(expected, bool)


def _shown(value: Any) -> str:
    text = json.dumps(value, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(path)
