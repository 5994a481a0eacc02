"""Reading user files of records (attacks, replay transcripts): JSONL, YAML or CSV.

Every record is validated against a pydantic model; each problem is reported as
`FILE:LINE: field: message`, all problems of a file at once, and nothing is returned from a
file with any problem.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from genai_gate.errors import ConfigError, Problem, located, raise_problems
from genai_gate.yamlio import (
    LineMap,
    parse_yaml,
    read_text,
    single_line_map,
    validation_problems,
)

ModelT = TypeVar("ModelT", bound=BaseModel)
CSV_LIST_SEPARATOR = "|"
"""CSV cells of list fields hold their items separated by `|` (`tools: a|b`)."""


def file_format(path: Path) -> str:
    """`jsonl`, `yaml` or `csv`, from the file name."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".csv":
        return "csv"
    raise ConfigError(located(path, None, "", "unknown format: use .jsonl, .yaml/.yml or .csv"))


def _jsonl(text: str, path: Path, problems: list[str]) -> list[tuple[Any, LineMap]]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            items.append((record, single_line_map(record, number)))
        except json.JSONDecodeError as exc:
            problems.append(
                located(path, number, "", f"invalid JSON: {exc.msg} (column {exc.colno})")
            )
    return items


def _yaml(text: str, path: Path) -> list[tuple[Any, LineMap]]:
    data, lines = parse_yaml(text, path)
    prefix: tuple[str, ...] = ()
    if isinstance(data, dict) and len(data) == 1:
        (key,) = data
        data, prefix = data[key], (str(key),)
    if not isinstance(data, list):
        raise ConfigError(located(path, 1, "", "expected a list of records"))
    out = []
    for index, item in enumerate(data):
        loc = (*prefix, index)
        sub = LineMap({k[len(loc) :]: v for k, v in lines.lines.items() if k[: len(loc)] == loc})
        out.append((item, sub))
    return out


def _csv(text: str, list_fields: frozenset[str]) -> list[tuple[Any, LineMap]]:
    reader = csv.DictReader(io.StringIO(text))
    out = []
    for row in reader:
        line = reader.line_num
        record: dict[str, Any] = {}
        for key, value in row.items():
            if key is None or value is None or value == "":
                continue
            key = key.strip()
            record[key] = (
                [v.strip() for v in value.split(CSV_LIST_SEPARATOR) if v.strip()]
                if key in list_fields
                else value
            )
        out.append((record, LineMap({(): line})))
    return out


_FIELD_MESSAGE = re.compile(r"^Value error, (\w+): (.*)$", re.S)


def _problems(exc: ValidationError, path: Path, lines: LineMap) -> list[Problem]:
    """Located problems; a record-level check written `FIELD: message` is placed on FIELD."""
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        match = _FIELD_MESSAGE.match(error["msg"]) if not error["loc"] else None
        if match:
            field, message = match.groups()
            problems.append(located(path, lines.line_of((field,)), field, message))
    if problems:
        return problems
    return validation_problems(exc, path, lines)


def load_records(
    path: Path, model: type[ModelT], *, list_fields: frozenset[str] = frozenset()
) -> list[tuple[ModelT, int | None]]:
    """The validated records of `path` with the line each starts on."""
    text = read_text(path)
    problems: list[str] = []
    fmt = file_format(path)
    if fmt == "jsonl":
        raw = _jsonl(text, path, problems)
    elif fmt == "yaml":
        raw = _yaml(text, path)
    else:
        raw = _csv(text, list_fields)
    records: list[tuple[ModelT, int | None]] = []
    for item, lines in raw:
        if not isinstance(item, dict):
            kind = "null" if item is None else type(item).__name__
            problems.append(located(path, lines.line_of(()), "", f"expected a mapping, got {kind}"))
            continue
        try:
            records.append((model.model_validate(item), lines.line_of(())))
        except ValidationError as exc:
            problems += _problems(exc, path, lines)
    if not problems and not records:
        problems.append(located(path, None, "", "the file has no records"))
    raise_problems(problems, path)
    return records


def check_unique_ids(records: list[tuple[Any, int | None]], path: Path) -> None:
    """Error on a repeated `id` (naming both lines)."""
    first: dict[str, int | None] = {}
    problems = []
    for record, line in records:
        if record.id in first:
            problems.append(
                located(
                    path,
                    line,
                    "id",
                    f"duplicate id {record.id!r} (first on line {first[record.id]})",
                )
            )
        first.setdefault(record.id, line)
    if problems:
        raise ConfigError(problems)
