"""YAML loading that remembers each node's line, and pydantic validation with file:line errors.

Every input file of genai-gate (config, prompt files, model registry, datasets) is loaded here so
that each error names the file, the line and the dotted field, e.g.
`genai-gate.yaml:12: eval.suites.0.min_score: Input should be a valid number`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from genai_gate.errors import ConfigError, located

ModelT = TypeVar("ModelT", bound=BaseModel)
Loc = tuple[str | int, ...]


@dataclass
class LineMap:
    """Maps a dotted location (tuple of keys / indexes) to the 1-based line where it is written."""

    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        """Line of `loc`, or of its nearest enclosing node that has one."""
        loc = tuple(loc)
        while True:
            if loc in self.lines:
                return self.lines[loc]
            if not loc:
                return None
            loc = loc[:-1]


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader, C-accelerated when libyaml is available (registries hold thousands of files)."""


def _construct(node: yaml.Node, loc: Loc, lines: LineMap, loader: _LineLoader) -> Any:
    lines.lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise ConfigError(
                    located("?", key_node.start_mark.line + 1, "", "mapping keys must be scalars")
                )
            child = (*loc, key)
            lines.lines[child] = key_node.start_mark.line + 1
            out[key] = _construct(value_node, child, lines, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*loc, i), lines, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def parse_yaml(text: str, path: Path | str) -> tuple[Any, LineMap]:
    """Parse YAML text into plain data plus a LineMap; syntax errors become ConfigError."""
    lines = LineMap()
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, lines
        return _construct(node, (), lines, loader), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        raise ConfigError(located(path, line, "", f"invalid YAML: {problem}")) from None
    except yaml.YAMLError as exc:
        raise ConfigError(located(path, None, "", f"invalid YAML: {exc}")) from None
    except ConfigError as exc:
        raise ConfigError([p.replace("?:", f"{path}:", 1) for p in exc.problems]) from None
    finally:
        loader.dispose()


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, turning missing, binary or undecodable files into ConfigError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(located(path, None, "", "file not found")) from None
    except IsADirectoryError:
        raise ConfigError(located(path, None, "", "is a directory, expected a file")) from None
    except OSError as exc:
        raise ConfigError(located(path, None, "", f"cannot read: {exc.strerror}")) from None
    if b"\x00" in data:
        raise ConfigError(located(path, None, "", "binary file, expected UTF-8 text"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(located(path, None, "", f"not UTF-8 text ({exc.reason})")) from None


def load_yaml(path: Path) -> tuple[Any, LineMap]:
    """Read and parse a YAML file (see `read_text` and `parse_yaml`)."""
    return parse_yaml(read_text(path), path)


def load_mapping(path: Path) -> tuple[dict[str, Any], LineMap]:
    """Load a YAML file whose top level must be a mapping."""
    data, lines = load_yaml(path)
    if not isinstance(data, Mapping):
        kind = "empty" if data is None else type(data).__name__
        raise ConfigError(located(path, 1, "", f"expected a mapping at top level, got {kind}"))
    return dict(data), lines


def dotted(loc: Loc) -> str:
    """Render a pydantic/YAML location as a dotted field name (`suites.0.min_score`)."""
    return ".".join(str(part) for part in loc)


def validation_problems(
    exc: ValidationError, path: Path | str, lines: LineMap, prefix: Loc = ()
) -> list[str]:
    """Turn a pydantic ValidationError into `FILE:LINE: field: message` strings."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = (*prefix, *error["loc"])
        if error["type"] == "union_tag_invalid":  # point at the tag field itself
            loc = (*loc, str(error["ctx"]["discriminator"]).strip("'"))
        full = _data_location(loc, lines)
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key (check the spelling; unknown keys are rejected)"
        problems.append(located(path, lines.line_of(full), dotted(full), message))
    return problems


def _data_location(loc: Loc, lines: LineMap) -> Loc:
    """Drop the parts pydantic adds to a location that are not in the data (union tags).

    A part is kept when it exists in the YAML at that position, is a list index, or is the last
    part (a missing or unknown field).
    """
    kept: list[str | int] = []
    for i, part in enumerate(loc):
        candidate = (*kept, part)
        if (
            candidate in lines.lines
            or isinstance(part, int)
            or i == len(loc) - 1
            or not lines.lines
        ):
            kept.append(part)
    return tuple(kept)


def validate(
    model: type[ModelT], data: Any, path: Path | str, lines: LineMap, prefix: Loc = ()
) -> ModelT:
    """Validate `data` against `model`; raise ConfigError with one located line per problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(validation_problems(exc, path, lines, prefix)) from None
