"""promptfoo's `file://` references: globs, test files (YAML, JSON, JSONL, CSV), var files.

Paths are relative to the file that names them, as in promptfoo. A glob that matches nothing is
an error (promptfoo: "No files found"); scripts (`.js`, `.py`, ...) are refused because running
them is the one thing an import cannot reproduce.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genai_gate.errors import located
from genai_gate.yamlio import LineMap, Loc, load_yaml, read_text

SCRIPTS = (".js", ".cjs", ".mjs", ".ts", ".py", ".rb", ".sh")
"""File types promptfoo executes; refused."""


class FileProblem(ValueError):
    """A `file://` reference that cannot be loaded (message says why)."""


@dataclass(frozen=True)
class Where:
    """A place in a user file, for error messages."""

    path: Path
    line: int | None
    field: str = ""

    def problem(self, message: str) -> str:
        """`FILE:LINE: field: message`."""
        return located(self.path, self.line, self.field, message)


@dataclass
class Node:
    """A value read from a file, with the LineMap and location that place its parts."""

    value: Any
    path: Path
    lines: LineMap
    loc: Loc = ()

    def where(self, *loc: str | int) -> Where:
        """The line of a child location (`where("assert", 2)`)."""
        full = (*self.loc, *loc)
        return Where(self.path, self.lines.line_of(full), ".".join(str(p) for p in full))

    def entries(self, key: str) -> list[Node]:
        """The items of a field promptfoo takes as one value or a list (`prompts`, `tests`)."""
        value = self.value[key]
        if isinstance(value, list):
            return [self.child(key, i) for i in range(len(value))]
        return [self.child(key)]

    def child(self, *loc: str | int) -> Node:
        """The node at a child location."""
        value = self.value
        for part in loc:
            value = value[part]
        return Node(value, self.path, self.lines, (*self.loc, *loc))


def is_ref(value: Any) -> bool:
    """Whether a value is a `file://` reference."""
    return isinstance(value, str) and value.startswith("file://")


def resolve(ref: str, base: Path) -> list[Path]:
    """The files a `file://` reference names, relative to `base` (sorted; globs expanded)."""
    target = _FUNCTION_SUFFIX.sub(r"\1", ref.removeprefix("file://"))
    pattern = str(base / target)
    if glob.has_magic(pattern):
        found = sorted(Path(p) for p in glob.glob(pattern, recursive=True) if Path(p).is_file())
        if not found:
            raise FileProblem(f"no files match {ref!r}")
        return found
    path = Path(pattern)
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.suffix.lower() in _TEST_SUFFIXES)
        if not found:
            raise FileProblem(f"no test files in folder {ref!r}")
        return found
    if not path.is_file():
        raise FileProblem(f"file not found: {ref!r}")
    return [path]


_TEST_SUFFIXES = {".yaml", ".yml", ".json", ".jsonl", ".csv"}
_FUNCTION_SUFFIX = re.compile(r"(\.(?:py|js|cjs|mjs|ts)):[\w.]+$")
"""`file://tests.py:create_tests` names a function in a script."""


def refuse_scripts(path: Path, ref: str) -> None:
    """Scripts are promptfoo code; an import cannot run them."""
    if path.suffix.lower() in SCRIPTS:
        raise FileProblem(
            f"{ref!r} is a {path.suffix} script, which promptfoo runs: not importable"
        )


def load_structured(path: Path) -> Node:
    """A YAML / JSON file as a Node (JSON is YAML, so lines are known either way)."""
    value, lines = load_yaml(path)
    return Node(value, path, lines)


def load_tests(path: Path) -> list[Node]:
    """The tests of one test file: YAML / JSON list, JSONL lines, or CSV rows."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return csv_tests(path)
    if suffix == ".jsonl":
        return _jsonl_tests(path)
    node = load_structured(path)
    if isinstance(node.value, dict):
        return [node]
    if not isinstance(node.value, list):
        raise FileProblem(f"{path}: expected a list of promptfoo tests")
    return [node.child(i) for i in range(len(node.value))]


def _jsonl_tests(path: Path) -> list[Node]:
    tests = []
    for number, text in enumerate(read_text(path).splitlines(), start=1):
        if text.strip():
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise FileProblem(located(path, number, "", f"invalid JSON: {exc.msg}")) from None
            tests.append(Node(value, path, LineMap({(): number})))
    return tests


_EXPECTED = re.compile(r"__expected\d*")
_ASSERT_PREFIX = re.compile(r"(?s)(not-)?([a-z][a-z0-9-]*)(?:\(([0-9.]+)\))?:(.*)")
_CSV_TYPES = {
    "equals", "contains", "icontains", "contains-any", "contains-all", "icontains-any",
    "icontains-all", "starts-with", "regex", "is-json", "contains-json", "similar", "llm-rubric",
    "grade", "factuality", "javascript", "fn", "python", "levenshtein", "rouge-n", "bleu",
    "model-graded-closedqa", "g-eval", "is-sql", "is-xml", "is-html", "webhook",
}  # fmt: skip
_CSV_ALIASES = {"grade": "llm-rubric", "fn": "javascript"}


def parse_expected(text: str) -> dict[str, Any]:
    """One `__expected` cell as a promptfoo assertion (`type(threshold):value`, default equals)."""
    stripped = text.strip()
    if stripped in {"is-json", "contains-json", "is-sql", "is-xml", "is-html"}:
        return {"type": stripped}
    if stripped.startswith("file://"):
        return {"type": "javascript", "value": stripped}
    match = _ASSERT_PREFIX.fullmatch(stripped)
    if match and match.group(2) in _CSV_TYPES:
        negate, kind, threshold, value = match.groups()
        assertion: dict[str, Any] = {
            "type": (negate or "") + _CSV_ALIASES.get(kind, kind),
            "value": value.strip(),
        }
        if threshold:
            assertion["threshold"] = float(threshold)
        return assertion
    return {"type": "equals", "value": text}


def csv_tests(path: Path) -> list[Node]:
    """CSV rows as promptfoo tests: columns are vars, `__expected*` assertions, `__description`,
    `__threshold`, `__metadata:KEY`; each test placed on its row's line."""
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    header_line = 1
    tests = []
    previous_end = header_line
    for row in reader:
        line = previous_end + 1
        previous_end = reader.line_num
        test, lines = _csv_row(row, path, line)
        tests.append(Node(test, path, lines))
    return tests


def _csv_row(row: dict[str, Any], path: Path, line: int) -> tuple[dict[str, Any], LineMap]:
    test: dict[str, Any] = {"vars": {}}
    asserts: list[dict[str, Any]] = []
    metadata: dict[str, Any] = {}
    lines = LineMap({(): line})
    for column, cell in row.items():
        cell = cell or ""
        if column is None:
            raise FileProblem(located(path, line, "", "row has more cells than the header"))
        if _EXPECTED.fullmatch(column):
            if cell.strip():
                lines.lines[("assert", len(asserts))] = line
                asserts.append({**parse_expected(cell), "__column": column})
        elif column == "__description":
            test["description"] = cell
        elif column == "__threshold":
            if cell.strip():
                test["threshold"] = float(cell)
        elif column.startswith("__metadata:"):
            key = column.removeprefix("__metadata:")
            if key.endswith("[]"):
                metadata[key[:-2]] = [v.strip() for v in re.split(r"(?<!\\),", cell) if v.strip()]
            else:
                metadata[key] = cell
        elif column in {"__prefix", "__suffix"}:
            if cell:
                test.setdefault("options", {})[column.strip("_")] = cell
        elif column == "__metric":
            continue  # a display name in promptfoo's UI; no effect on results
        elif column.startswith("__"):
            test.setdefault("__unsupported", []).append(column)
        else:
            test["vars"][column] = cell
    if asserts:
        test["assert"] = asserts
    if metadata:
        test["metadata"] = metadata
    return test, lines


def load_var_file(path: Path, ref: str) -> str:
    """A var loaded from a file, as promptfoo 0.123 renders it: the text trimmed (JSON too), YAML
    as compact JSON text (scripts and media refused)."""
    refuse_scripts(path, ref)
    suffix = path.suffix.lower()
    if suffix in {".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".mp4"}:
        raise FileProblem(f"{ref!r}: media and PDF vars are not supported by genai-gate")
    if suffix in {".yaml", ".yml"}:
        value = load_structured(path).value
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return read_text(path).strip()
