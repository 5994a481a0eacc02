"""YAML loading that remembers each node's line, and pydantic validation with file:line errors.

Every input file of genai-gate (config, prompt files, model registry, datasets) is loaded here so
that each error names the file, the line and the dotted field, e.g.
`genai-gate.yaml:12: eval.suites.0.min_score: Input should be a valid number`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from genai_gate.errors import ConfigError, Problem, located

ModelT = TypeVar("ModelT", bound=BaseModel)
Loc = tuple[str | int, ...]


@dataclass
class LineMap:
    """Maps a dotted location (tuple of keys / indexes) to the 1-based line where it is written."""

    lines: dict[Loc, int] = field(default_factory=dict)
    columns: dict[Loc, int] = field(default_factory=dict)
    """1-based column of the keys and items whose column is known."""

    def line_of(self, loc: Loc) -> int | None:
        """Line of `loc`, or of its nearest enclosing node that has one."""
        loc = tuple(loc)
        while True:
            if loc in self.lines:
                return self.lines[loc]
            if not loc:
                return None
            loc = loc[:-1]

    def column_of(self, loc: Loc) -> int | None:
        """Column of the node `line_of(loc)` found, when known."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.columns.get(loc)


MAX_FILE_BYTES = 32 * 1024 * 1024
"""Largest input file read (datasets included)."""
MAX_LINE_CHARS = 65_536
"""Longest line of a YAML file."""
MAX_NODES = 1_000_000
"""Most nodes (scalars, mappings, sequences) one YAML document may build."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences."""
MAX_ALIAS_NODES = 10_000
"""Most nodes that aliases (`*name`) may add by repeating an anchored node (YAML bombs)."""


_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"


_PLAIN_TAGS: dict[str, str] = {}
"""Tag of each short plain scalar resolved so far (`version` -> str, `1.3` -> float)."""
_PLAIN_TAGS_MAX = 10_000


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader, C-accelerated when libyaml is available (registries hold thousands of files)."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        """The tag of a node; a plain scalar's depends on its text alone (SafeLoader has no path
        resolvers), so the keys and short values repeated across files are matched once."""
        if kind is not yaml.ScalarNode or not implicit[0] or len(value) > 64:
            return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]
        tag = _PLAIN_TAGS.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_PLAIN_TAGS) < _PLAIN_TAGS_MAX:
                _PLAIN_TAGS[value] = tag
        return tag


class _Builder:
    """Builds plain data from a composed node graph, recording lines, refusing duplicate keys,
    and counting nodes so that nested aliases cannot make a small file build millions."""

    def __init__(self, loader: _LineLoader, path: Path | str, lines: LineMap) -> None:
        self.loader = loader
        self.path = path
        self.lines = lines
        self.built = 0
        self.repeated = 0
        self.seen: set[int] = set()
        self.explicit: dict[int, set[int]] = {}
        """Key nodes written in each mapping node itself (not merged in with `<<`)."""

    def fail(self, node: yaml.Node, loc: Loc, message: str, line: int | None = None) -> ConfigError:
        mark = node.start_mark
        column = mark.column + 1 if line is None else None
        where = mark.line + 1 if line is None else line
        return ConfigError(located(self.path, where, dotted(loc), message, column))

    def build(self, node: yaml.Node, loc: Loc, depth: int = 0, alias: int | None = None) -> Any:
        """Data of `node` at `loc`; `alias` is the line of the alias being expanded, if any."""
        if loc not in self.lines.lines:
            self.lines.lines[loc] = node.start_mark.line + 1
            self.lines.columns[loc] = node.start_mark.column + 1
        self.built += 1
        if self.built > MAX_NODES:
            raise self.fail(node, loc, f"more than {MAX_NODES:,} YAML nodes; split the file")
        if alias is None and type(node) is yaml.ScalarNode:  # never in `seen`, has no depth
            return self.scalar(node)
        if alias is None and id(node) in self.seen:  # reached again through an alias
            alias = self.lines.line_of(loc[:-1]) or node.start_mark.line + 1
        elif isinstance(node, yaml.CollectionNode):
            self.seen.add(id(node))
        if alias is not None:
            self.repeated += 1
            if self.repeated > MAX_ALIAS_NODES:
                raise self.fail(
                    node,
                    loc,
                    f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes (nested anchors, "
                    "a 'YAML bomb'); write the values out instead of repeating anchors",
                    alias,
                )
        if isinstance(node, yaml.CollectionNode) and depth >= MAX_DEPTH:
            raise self.fail(node, loc, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, loc, depth, alias)
        if isinstance(node, yaml.SequenceNode):
            return [
                self.build(item, (*loc, i), depth + 1, alias) for i, item in enumerate(node.value)
            ]
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        """A scalar's value: a string node is its text, as SafeLoader would construct it
        (most nodes of a prompt file; constructing them one by one costs a third of a parse)."""
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        return self.loader.construct_object(node, deep=True)

    def mapping(
        self, node: yaml.MappingNode, loc: Loc, depth: int, alias: int | None
    ) -> dict[Any, Any]:
        explicit = self.explicit.get(id(node))
        if explicit is None:  # before flatten_mapping adds the merged pairs to the node
            explicit = {id(key) for key, _ in node.value if key.tag != _MERGE}
            self.explicit[id(node)] = explicit
        self.loader.flatten_mapping(node)  # `<<: *base` merge keys; explicit keys win
        out: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            raw_key = self.scalar(key_node)
            if not isinstance(raw_key, (str, int, float, bool)) or raw_key is None:
                raise self.fail(key_node, loc, "mapping keys must be scalars")
            key: Any = raw_key  # a part of a Loc (float and bool keys are kept as written)
            line = key_node.start_mark.line + 1
            child = (*loc, key)
            if id(key_node) in explicit:
                if key in first_line:
                    raise self.fail(
                        key_node,
                        child,
                        f"duplicate key {key!r} (first written at line {first_line[key]}); "
                        "YAML keeps only one of them: remove or rename one",
                    )
                first_line[key] = line
            self.lines.lines[child] = line
            self.lines.columns[child] = key_node.start_mark.column + 1
            out[key] = self.build(value_node, child, depth + 1, alias)
        return out


_LONG_LINE = re.compile(f"[^\n]{{{MAX_LINE_CHARS + 1}}}")


def _check_shape(text: str, path: Path | str) -> None:
    """Refuse files too large, or with lines too long, before parsing them."""
    if len(text) > MAX_FILE_BYTES:
        raise ConfigError(located(path, None, "", f"larger than {MAX_FILE_BYTES >> 20} MiB"))
    long_line = _LONG_LINE.search(text)
    if long_line is not None:
        number = text.count("\n", 0, long_line.start()) + 1
        raise ConfigError(
            located(path, number, "", f"line longer than {MAX_LINE_CHARS:,} characters")
        )


def parse_yaml(text: str, path: Path | str) -> tuple[Any, LineMap]:
    """Parse YAML text into plain data plus a LineMap; syntax errors become ConfigError.

    Duplicate keys, oversized files, overlong lines, deep nesting, and aliases that would
    expand to many nodes are errors that name the file and line (see the `MAX_*` limits).
    """
    _check_shape(text, path)
    lines = LineMap()
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, lines
        return _Builder(loader, path, lines).build(node, ()), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = exc.problem or str(exc)
        raise ConfigError(located(path, line, "", f"invalid YAML: {problem}", column)) from None
    except yaml.YAMLError as exc:
        raise ConfigError(located(path, None, "", f"invalid YAML: {exc}")) from None
    except RecursionError:  # the pure-Python composer on deep nesting (libyaml stops at 1000)
        raise ConfigError(
            located(path, None, "", f"nested more than {MAX_DEPTH} levels deep")
        ) from None
    finally:
        loader.dispose()


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, turning missing, binary or undecodable files into ConfigError."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise ConfigError(
                    located(path, None, "", f"larger than {MAX_FILE_BYTES >> 20} MiB")
                )
            # a file is read into one buffer of its size; a pipe or device (size 0) up to the
            # limit (reading with the limit as size would allocate 32 MiB for every file)
            data = handle.read() if size else handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(located(path, None, "", "file not found")) from None
    except IsADirectoryError:
        raise ConfigError(located(path, None, "", "is a directory, expected a file")) from None
    except OSError as exc:
        raise ConfigError(located(path, None, "", f"cannot read: {exc.strerror}")) from None
    if len(data) > MAX_FILE_BYTES:
        raise ConfigError(located(path, None, "", f"larger than {MAX_FILE_BYTES >> 20} MiB"))
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


def single_line_map(data: Any, number: int, loc: Loc = ()) -> LineMap:
    """A LineMap placing every node of `data` on line `number` (a JSONL record: problems name
    full dotted fields)."""
    lines = LineMap({loc: number})
    if isinstance(data, dict):
        children = list(data.items())
    elif isinstance(data, list):
        children = list(enumerate(data))
    else:
        children = []
    for key, value in children:
        lines.lines.update(single_line_map(value, number, (*loc, key)).lines)
    return lines


def validation_problems(
    exc: ValidationError, path: Path | str, lines: LineMap, prefix: Loc = ()
) -> list[Problem]:
    """Turn a pydantic ValidationError into `FILE:LINE: field: message` problems."""
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        loc = (*prefix, *error["loc"])
        if error["type"] == "union_tag_invalid":  # point at the tag field itself
            loc = (*loc, str(error["ctx"]["discriminator"]).strip("'"))
        full = _data_location(loc, lines)
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key (check the spelling; unknown keys are rejected)"
        line, column = lines.line_of(full), lines.column_of(full)
        problems.append(located(path, line, dotted(full), message, column))
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
