"""Import a promptfoo config as eval cases: faithful to promptfoo's documented behaviour, or loud.

As promptfoo does: every prompt is rendered with each test's vars (one case per prompt x test),
var arrays of strings expand into every combination (the first var varies slowest), `file://`
vars, test files (YAML, JSON, JSONL, CSV, globs) and `defaultTest` (inline or file) are loaded,
and a test passes when all its assertions pass, or with `threshold` when the weighted score
reaches it. What cannot be reproduced (scripts, transforms, unknown providers, provider options
such as `response_format`) is refused with the FILE:LINE of the construct, every problem at once.
Approximate mappings (see `asserts.APPROXIMATIONS`) are refused here and written, listed for
review, only by `genai-gate eval-gate import-promptfoo`.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genai_gate.errors import ConfigError
from genai_gate.gates.eval.promptfoo.asserts import Mapped, Unmappable, map_assertion
from genai_gate.gates.eval.promptfoo.files import (
    FileProblem,
    Node,
    Where,
    is_ref,
    load_structured,
    load_tests,
    load_var_file,
    refuse_scripts,
    resolve,
)
from genai_gate.gates.eval.promptfoo.providers import Provider, map_provider, map_providers
from genai_gate.gates.eval.promptfoo.template import TemplateRefused, render, render_vars
from genai_gate.yamlio import LineMap

TEST_KEYS = {"description", "vars", "assert", "threshold", "metadata", "options"}
"""Test fields that are imported; any other is refused."""
OPTION_KEYS = {"disableDefaultAsserts", "prefix", "suffix"}
"""Test `options` that are imported (`transform`, `provider`, ... are refused)."""


@dataclass(frozen=True)
class Prompt:
    """One promptfoo prompt: a template, rendered as text or, when it is JSON, as chat messages."""

    label: str
    text: str
    where: Where


@dataclass
class ImportedCase:
    """A native case (as a dataset mapping) and where its test is written."""

    data: dict[str, Any]
    where: Where
    variables: dict[str, Any] = field(default_factory=dict)
    """The case's vars as written (after array expansion and file loading, before rendering)."""
    prompt_index: int = 0
    """Position of its prompt in `prompts:` (after file expansion)."""


@dataclass
class Conversion:
    """The result of importing one promptfoo config."""

    cases: list[ImportedCase]
    providers: list[Provider]
    base: Path
    """The config's folder: promptfoo resolves `file://` vars against it."""
    approximations: list[str] = field(default_factory=list)
    """Located notes, one per approximated assertion."""
    judged: bool = False
    """Some scorer needs `eval.judge`."""
    grader: Provider | None = None
    """`defaultTest.options.provider`: the model that grades model-graded assertions."""


class _Problems:
    """Problems, each once, reported in file and line order."""

    def __init__(self) -> None:
        self.items: dict[str, tuple[str, int]] = {}
        self.approximate = True
        """Approximations allowed (listed) rather than refused."""

    def add(self, where: Where, message: str) -> None:
        self.items.setdefault(where.problem(message), (str(where.path), where.line or 0))

    def raise_if_any(self) -> None:
        if self.items:
            raise ConfigError(sorted(self.items, key=lambda p: self.items[p]))


def import_promptfoo(
    data: dict[str, Any], lines: LineMap, path: Path, input_var: str | None
) -> list[tuple[Any, int | None]]:
    """Cases (with their lines) of a promptfoo config used directly as an eval dataset."""
    from genai_gate.gates.eval.case_validation import validate_cases

    conversion = convert(Node(data, path, lines), input_var, approximate=False)
    if len(conversion.providers) > 1:
        raise ConfigError(
            conversion.providers[1].where.problem(
                "promptfoo runs every test against each provider; a genai-gate suite has one "
                "target: import with `genai-gate eval-gate import-promptfoo` (one suite per "
                "provider)"
            )
        )
    raw = [case.data for case in conversion.cases]
    case_lines = LineMap({(i,): case.where.line or 1 for i, case in enumerate(conversion.cases)})
    cases = validate_cases(raw, case_lines, path, ())
    # a line is only meaningful in the config itself (tests from other files: no line)
    return [
        (case, line if imported.where.path == path else None)
        for (case, line), imported in zip(cases, conversion.cases, strict=True)
    ]


def convert(config: Node, input_var: str | None = None, approximate: bool = True) -> Conversion:
    """Convert a loaded promptfoo config; ConfigError lists every problem found (with
    `approximate=False`, approximated assertions are problems too)."""
    problems = _Problems()
    problems.approximate = approximate
    if not isinstance(config.value, dict):
        raise ConfigError(config.where().problem("expected a promptfoo config mapping"))
    for key in ("nunjucksFilters", "extensions", "scenarios", "derivedMetrics"):
        if key in config.value:
            problems.add(config.where(key), f"`{key}` runs promptfoo code: not importable")
    prompts = _prompts(config, input_var, problems)
    providers = map_providers(config, problems.add)
    default = _default_test(config, problems)
    conversion = Conversion([], providers, config.path.parent, grader=_grader(default, problems))
    tests = list(_tests(config, problems))
    for number, test in enumerate(tests, start=1):
        _convert_test(number, test, default, prompts, conversion, problems)
    problems.raise_if_any()
    if not conversion.cases:
        raise ConfigError(config.where("tests").problem("the promptfoo config has no tests"))
    return conversion


def _prompts(config: Node, input_var: str | None, problems: _Problems) -> list[Prompt]:
    """Every prompt, in order; promptfoo's default (no `prompts:`) is `{{prompt}}`."""
    if "prompts" not in config.value:
        name = input_var or "prompt"
        return [Prompt("default", "{{" + name + "}}", config.where())]
    entries = config.entries("prompts")
    prompts: list[Prompt] = []
    for entry in entries:
        value = entry.value
        if isinstance(value, dict):
            for key in sorted(set(value) - {"raw", "id", "label"}):  # e.g. config.response_format
                problems.add(entry.where(key), f"prompt field {key!r} is not importable")
            label = str(value.get("label") or value.get("id") or "")
            value = value.get("raw", value.get("id"))
        else:
            label = ""
        if not isinstance(value, str):
            problems.add(entry.where(), "expected a prompt string, file:// path or {raw|id, label}")
            continue
        if is_ref(value):
            try:
                prompts += _prompt_files(value, entry, label)
            except FileProblem as exc:
                problems.add(entry.where(), str(exc))
            continue
        if re.match(r"^(exec:|[a-z]+://)", value):
            problems.add(entry.where(), f"prompt source {value.split(':')[0]!r} is not importable")
            continue
        if _path_like(value):  # promptfoo reads such a prompt as a file path or glob
            try:
                prompts += _prompt_files(f"file://{value}", entry, label)
            except FileProblem:
                problems.add(
                    entry.where(),
                    f"promptfoo reads the one-line prompt {value!r} as a file path (there: no "
                    "prompts found): write a multi-line prompt (`|`) or name an existing file",
                )
            continue
        prompts.append(Prompt(label or f"prompt {len(prompts) + 1}", value, entry.where()))
    return prompts


def _path_like(value: str) -> bool:
    """A one-line prompt promptfoo 0.123 takes for a file path (a `/` or `\\`, or a file name)."""
    if "\n" in value:
        return False
    return "/" in value or "\\" in value or bool(_FILE_NAME.search(value.strip()))


_FILE_NAME = re.compile(r"^\S+\.(?:txt|md|json|jsonl|ya?ml|j2|csv|py|js|ts)$")


def _prompt_files(ref: str, entry: Node, label: str) -> list[Prompt]:
    found: list[Prompt] = []
    for path in resolve(ref, entry.path.parent):
        refuse_scripts(path, ref)
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() in {".yaml", ".yml"}:
            text = json.dumps(load_structured(path).value)  # a chat prompt written as YAML
        if path.suffix.lower() in {".json", ".yaml", ".yml"}:
            parts = [text]
        else:
            parts = [p.strip("\n") for p in re.split(r"\n-{3,}\n", text)]  # promptfoo's `---`
        for part in parts:
            name = label or (path.name if len(parts) == 1 else f"{path.name} #{len(found) + 1}")
            found.append(Prompt(name, part, Where(path, 1)))
    return found


def _default_test(config: Node, problems: _Problems) -> Node:
    if "defaultTest" not in config.value:
        return Node({}, config.path, LineMap())
    node = config.child("defaultTest")
    if is_ref(node.value):
        try:
            (path,) = resolve(node.value, config.path.parent)
            node = load_structured(path)
        except (FileProblem, ValueError) as exc:
            problems.add(node.where(), str(exc) or "defaultTest must name one file")
            return Node({}, config.path, LineMap())
    if not isinstance(node.value, dict):
        problems.add(node.where(), "defaultTest must be a mapping")
        return Node({}, config.path, LineMap())
    _check_keys(node, problems, grader_allowed=True)
    return node


def _grader(default: Node, problems: _Problems) -> Provider | None:
    """promptfoo's grading provider (`defaultTest.options.provider`) as the judge target."""
    options = default.value.get("options")
    if not isinstance(options, dict) or "provider" not in options:
        return None
    node = default.child("options", "provider")
    if problems.approximate is False:
        problems.add(
            node.where(),
            "the grading model is `eval.judge` in genai-gate.yaml: set it there (`genai-gate "
            "eval-gate import-promptfoo` writes it)",
        )
        return None
    return map_provider(node, problems.add)


def _tests(config: Node, problems: _Problems) -> Iterator[Node]:
    """Every test node: inline mappings and the tests of `file://` entries (globs expanded)."""
    if "tests" not in config.value:
        problems.add(config.where(), "the promptfoo config has no `tests:`")
        return
    entries = config.entries("tests")
    for entry in entries:
        if is_ref(entry.value):
            try:
                for path in resolve(entry.value, entry.path.parent):
                    refuse_scripts(path, entry.value)
                    yield from load_tests(path)
            except (FileProblem, ConfigError) as exc:
                problems.add(entry.where(), str(exc))
        elif isinstance(entry.value, str):
            problems.add(entry.where(), f"test source {entry.value!r} is not importable")
        else:
            yield entry


def _check_keys(test: Node, problems: _Problems, grader_allowed: bool = False) -> None:
    value = test.value
    for key in value:
        if key == "__unsupported":
            for column in value[key]:
                problems.add(test.where(), f"CSV column {column!r} has no genai-gate equivalent")
        elif key not in TEST_KEYS:
            problems.add(test.where(key), f"test field {key!r} has no genai-gate equivalent")
    options = value.get("options") or {}
    if isinstance(options, dict):
        for key in options:
            if key not in OPTION_KEYS and not (grader_allowed and key == "provider"):
                why = "runs promptfoo code" if "transform" in key.lower() else "is not importable"
                problems.add(test.where("options", key), f"options.{key} {why}")


def _vars(test: Node, base: Path, problems: _Problems) -> dict[str, Any]:
    """The test's vars with `file://` values loaded (a glob becomes a list: one run per file);
    paths are relative to the config's folder (promptfoo's basePath), wherever the test is."""
    raw = test.value.get("vars") or {}
    if isinstance(raw, str) and is_ref(raw):
        problems.add(
            test.where("vars"),
            "`vars: file://...` is not loaded by promptfoo 0.123 (the test runs without vars): "
            "write the vars inline, or each var as `name: file://...`",
        )
        return {}
    if not isinstance(raw, dict):
        problems.add(test.where("vars"), "vars must be a mapping")
        return {}
    loaded_vars: dict[str, Any] = {}
    for key, value in raw.items():
        if is_ref(value):
            try:
                files = resolve(value, base)
                texts = [load_var_file(path, value) for path in files]
            except (FileProblem, ConfigError) as exc:
                problems.add(test.where("vars", key), str(exc))
                continue
            loaded_vars[key] = texts[0] if len(texts) == 1 and "*" not in value else texts
        else:
            loaded_vars[key] = value
    return loaded_vars


def combinations(variables: dict[str, Any]) -> list[dict[str, Any]]:
    """promptfoo's var expansion: an array whose first item is a string gives one run per item
    (the cartesian product over such vars, first var slowest); other arrays stay whole."""
    axes = [
        [(key, item) for item in value]
        if isinstance(value, list) and value and isinstance(value[0], str)
        else [(key, value)]
        for key, value in variables.items()
    ]
    return [dict(combo) for combo in itertools.product(*axes)]


def _convert_test(
    number: int,
    test: Node,
    default: Node,
    prompts: list[Prompt],
    conversion: Conversion,
    problems: _Problems,
) -> None:
    if not isinstance(test.value, dict):
        problems.add(test.where(), "expected a test mapping")
        return
    _check_keys(test, problems)
    options = test.value.get("options") or {}
    base = conversion.base
    variables = {**_vars(default, base, problems), **_vars(test, base, problems)}
    asserts: list[tuple[Node, int]] = []
    if not options.get("disableDefaultAsserts"):
        asserts += [(default, i) for i in range(len(default.value.get("assert") or []))]
    asserts += [(test, i) for i in range(len(test.value.get("assert") or []))]
    if not asserts:
        problems.add(test.where(), "test has no assertions (promptfoo would only show the output)")
        return
    threshold = test.value.get("threshold", default.value.get("threshold"))
    description = str(test.value.get("description") or "")
    combos = combinations(variables)
    expanded = [k for k, v in variables.items() if len(combos) > 1 and isinstance(v, list)]
    for combo_no, raw_combo in enumerate(combos, start=1):
        try:
            combo = render_vars(raw_combo)
        except TemplateRefused as exc:
            problems.add(test.where("vars"), str(exc))
            continue
        scorers = [_scorer(node, i, combo, conversion, problems) for node, i in asserts]
        for prompt_no, prompt in enumerate(prompts, start=1):
            case_input = _render_prompt(prompt, combo, options, problems)
            if case_input is None or any(s is None for s in scorers):
                continue
            parts = [f"{number:03d}"] + ([_slug(description)] if description else [])
            parts += [f"v{combo_no}"] if len(combos) > 1 else []
            parts += [f"p{prompt_no}"] if len(prompts) > 1 else []
            words = [description] if description else []
            words += [", ".join(f"{k}={combo[k]}" for k in expanded)] if expanded else []
            words += [f"prompt: {prompt.label}"] if len(prompts) > 1 else []
            case: dict[str, Any] = {
                "id": "-".join(parts),
                "input": case_input,
                "scorers": [s.spec for s in scorers if s is not None],
            }
            if words:
                case["description"] = "; ".join(words)
            if threshold is not None:
                case["threshold"] = float(threshold)
            if any(s.spec["type"] == "groundedness" for s in scorers if s is not None):
                context = combo.get("context")
                case["context"] = context if isinstance(context, list) else [str(context or "")]
            tags = _tags(test.value.get("metadata"))
            if tags:
                case["tags"] = tags
            conversion.cases.append(ImportedCase(case, test.where(), raw_combo, prompt_no - 1))


def _scorer(
    node: Node, index: int, combo: dict[str, Any], conversion: Conversion, problems: _Problems
) -> Mapped | None:
    where = node.where("assert", index)
    assertion = node.value["assert"][index]
    if not isinstance(assertion, dict) or "type" not in assertion:
        problems.add(where, "an assertion must be a mapping with a `type`")
        return None
    assertion = {k: v for k, v in assertion.items() if k != "__column"}
    if "__column" in node.value["assert"][index]:
        where = Where(where.path, where.line, node.value["assert"][index]["__column"])
    if is_ref(assertion.get("value")):
        problems.add(where, "assertion value from a file:// reference is not importable")
        return None
    try:
        mapped = map_assertion(assertion, combo)
    except (Unmappable, TemplateRefused) as exc:
        problems.add(where, str(exc))
        return None
    if mapped.kind == "approximation":
        message = f"{assertion['type']!r} is approximated: {mapped.note}"
        if not problems.approximate:
            hint = "run `genai-gate eval-gate import-promptfoo` to review the mapping"
            problems.add(where, f"{message} ({hint})")
            return None
        note = where.problem(message)
        if note not in conversion.approximations:
            conversion.approximations.append(note)
    conversion.judged = conversion.judged or mapped.spec["type"] in {"llm-judge", "groundedness"}
    return mapped


def _render_prompt(
    prompt: Prompt, combo: dict[str, Any], options: dict[str, Any], problems: _Problems
) -> str | list[dict[str, Any]] | None:
    """Text prompts render to one user message; JSON chat prompts to their messages, each string
    rendered on its own (promptfoo escapes vars inside JSON prompts)."""
    try:
        chat = json.loads(prompt.text)
    except json.JSONDecodeError:
        chat = None
    try:
        if (
            isinstance(chat, list)
            and chat
            and all(isinstance(m, dict) and "role" in m for m in chat)
        ):
            if options.get("prefix") or options.get("suffix"):
                problems.add(prompt.where, "prefix/suffix on a chat prompt is not importable")
                return None
            return [_render_leaves(m, combo) for m in chat]
        text = render(prompt.text, combo)
    except TemplateRefused as exc:
        problems.add(prompt.where, str(exc))
        return None
    rendered_chat = _chat(text)  # e.g. `{{ previous_messages | dump }}`
    if rendered_chat is not None and not (options.get("prefix") or options.get("suffix")):
        return rendered_chat
    return f"{options.get('prefix') or ''}{text}{options.get('suffix') or ''}"


def _chat(text: str) -> list[dict[str, Any]] | None:
    """A rendered prompt that is a JSON list of chat messages (promptfoo sends it as such)."""
    if not text.lstrip().startswith("["):
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    if (
        isinstance(value, list)
        and value
        and all(isinstance(m, dict) and "role" in m for m in value)
    ):
        return value
    return None


def _render_leaves(value: Any, combo: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return render(value, combo)
    if isinstance(value, list):
        return [_render_leaves(v, combo) for v in value]
    if isinstance(value, dict):
        return {k: _render_leaves(v, combo) for k, v in value.items()}
    return value


def _tags(metadata: Any) -> list[str]:
    """promptfoo metadata as tags: list items as they are, other values as `key:value`."""
    if not isinstance(metadata, dict):
        return []
    tags: list[str] = []
    for key, value in metadata.items():
        if isinstance(value, list):
            tags += [str(v) for v in value]
        elif isinstance(value, (str, int, float, bool)):
            tags.append(f"{key}:{value}")
    return tags


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "test"
