"""Loading and checking a mock LLM script (reference: docs/mock-llm-script.md).

`load_script(path)` resolves `include:` entries, validates every rule with file:line errors,
compiles the regexes and checks every template placeholder, so that a broken script fails at
start-up (exit 2) and never in the middle of a run.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from genai_gate.errors import ConfigError, located
from genai_gate.schema import StrictModel
from genai_gate.yamlio import LineMap, Loc, dotted, load_mapping, validate

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
BUILTIN_DIR = Path(__file__).parent / "scripts"


class When(StrictModel):
    """Conditions of a rule; every one given must hold."""

    user: str | None = None
    """Regex searched in the last user message."""
    system: str | None = None
    """Regex searched in the system message(s)."""
    not_system: str | None = None
    """Regex that must not match the system message(s)."""
    context: str | None = None
    """Regex searched in all messages except the last user message."""
    not_context: str | None = None
    """Regex that must not match that context."""
    last_role: Literal["user", "tool", "assistant"] | None = None
    """Role of the last message."""
    tool_result: str | None = None
    """The last message is the result of this tool."""
    tools_offered: str | None = None
    """The request offers this tool."""


class ToolCallSpec(StrictModel):
    """A tool call to answer with; string arguments are templates."""

    name: str
    """Tool (function) name."""
    arguments: dict[str, Any] = Field(default_factory=dict)
    """Arguments; string values are templates (`{{ user.1 }}` ...)."""


class Answer(StrictModel):
    """A reply text and/or tool call(s)."""

    reply: str | None = None
    """Assistant text (a template)."""
    tool_call: ToolCallSpec | list[ToolCallSpec] | None = None
    """One tool call or a list of them."""

    @model_validator(mode="after")
    def _something(self) -> Answer:
        if self.reply is None and self.tool_call is None and not getattr(self, "choices", None):
            raise ValueError("a rule needs reply, tool_call or choices")
        return self


class Choice(Answer):
    """One weighted alternative."""

    weight: float = Field(default=1.0, gt=0)
    """Relative chance of this alternative."""


class Rule(Answer):
    """One rule of a model: conditions and an answer."""

    id: str
    """Reported in the X-Mock-Rule header."""
    when: When = Field(default_factory=When)
    choices: list[Choice] | None = Field(default=None, min_length=1)
    """Weighted alternatives picked from a hash of (request, seed)."""

    @model_validator(mode="after")
    def _one_kind(self) -> Rule:
        if self.choices and (self.reply is not None or self.tool_call is not None):
            raise ValueError("choices cannot be combined with reply or tool_call")
        return self


class Include(StrictModel):
    """Splices the `rules:` list of another file here."""

    include: str
    """Path of a rules file, relative to this file."""


class ModelSpec(StrictModel):
    """One model of the script."""

    extends: str | None = None
    """After this model's rules, the rules of that model apply."""
    rules: list[Any] = Field(default_factory=list)
    """Rules tried in order; the first whose `when` holds answers."""
    default_reply: str | None = None
    """Reply when no rule matches (absent: the extended model's, else a built-in fallback)."""


class ScriptFile(StrictModel):
    """Top level of a script file."""

    version: Literal[1] = 1
    """Version of the script format."""
    default_model: str | None = None
    """Model used when the request's model is not listed."""
    models: dict[str, ModelSpec] = Field(min_length=1)
    """Scripted models by the name requests ask for."""


class RulesFile(StrictModel):
    """Top level of an included file."""

    rules: list[Any] = Field(default_factory=list)
    """Rules spliced where the file is included."""


@dataclass(frozen=True)
class CompiledRule:
    """A validated rule with compiled regexes and where it was written."""

    rule: Rule
    patterns: dict[str, re.Pattern[str]]
    where: str
    """`FILE:LINE` of the rule."""


@dataclass
class CompiledModel:
    """A model's own rules, what it extends and its default reply."""

    name: str
    rules: list[CompiledRule]
    extends: str | None
    default_reply: str | None


@dataclass
class Script:
    """A loaded, checked script."""

    models: dict[str, CompiledModel]
    default_model: str | None
    digest: str
    """sha256 over the contents of every file read (part of the mock target's identity)."""
    files: list[Path] = field(default_factory=list)

    def chain(self, model: str) -> list[CompiledModel]:
        """The model and the models it extends, in the order their rules apply."""
        out = []
        name: str | None = model
        while name is not None:
            out.append(self.models[name])
            name = self.models[name].extends
        return out

    def resolve_model(self, requested: str | None) -> str | None:
        """The model answering a request for `requested` (None: no such model, no default)."""
        if requested in self.models:
            return requested
        return self.default_model


class _Loader:
    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.files: list[Path] = []
        self.problems: list[str] = []

    def read(self, path: Path) -> tuple[dict[str, Any], LineMap]:
        data, lines = load_mapping(path)
        self.digest.update(str(path.name).encode() + b"\0" + path.read_bytes())
        self.files.append(path)
        return data, lines

    def rules(
        self, items: list[Any], path: Path, lines: LineMap, prefix: Loc, stack: tuple[Path, ...]
    ) -> list[CompiledRule]:
        out: list[CompiledRule] = []
        for index, item in enumerate(items):
            loc = (*prefix, index)
            if isinstance(item, dict) and "include" in item:
                spec = validate(Include, item, path, lines, loc)
                out.extend(self.include(spec.include, path, lines, loc, stack))
                continue
            rule = validate(Rule, item, path, lines, loc)
            out.append(self.compile(rule, path, lines, loc))
        return out

    def include(
        self, name: str, path: Path, lines: LineMap, loc: Loc, stack: tuple[Path, ...]
    ) -> list[CompiledRule]:
        target = (path.parent / name).resolve()
        where = (*loc, "include")
        if target in stack:
            raise ConfigError(located(path, lines.line_of(where), dotted(where), "include cycle"))
        if not target.is_file():
            message = f"included file not found: {target}"
            raise ConfigError(located(path, lines.line_of(where), dotted(where), message))
        data, sub_lines = self.read(target)
        spec = validate(RulesFile, data, target, sub_lines)
        return self.rules(spec.rules, target, sub_lines, ("rules",), (*stack, target))

    def compile(self, rule: Rule, path: Path, lines: LineMap, loc: Loc) -> CompiledRule:
        patterns: dict[str, re.Pattern[str]] = {}
        for key, value in rule.when.model_dump(exclude_none=True).items():
            if key in ("last_role", "tool_result", "tools_offered"):
                continue
            try:
                patterns[key] = re.compile(value)
            except re.error as exc:
                where = (*loc, "when", key)
                message = f"invalid regex: {exc}"
                self.problems.append(located(path, lines.line_of(where), dotted(where), message))
        for field_loc, template in _templates(rule):
            where = (*loc, *field_loc)
            for name in PLACEHOLDER.findall(template):
                problem = _placeholder_problem(name, patterns)
                if problem:
                    self.problems.append(
                        located(path, lines.line_of(where), dotted(where), problem)
                    )
        return CompiledRule(rule, patterns, f"{path}:{lines.line_of(loc)}")


def _templates(rule: Rule) -> list[tuple[Loc, str]]:
    """Every template string of a rule with its location inside the rule."""
    found: list[tuple[Loc, str]] = []

    def answer(item: Answer, loc: Loc) -> None:
        if item.reply is not None:
            found.append(((*loc, "reply"), item.reply))
        calls = item.tool_call
        if isinstance(calls, ToolCallSpec):
            _strings(calls.arguments, (*loc, "tool_call", "arguments"), found)
        elif calls is not None:
            for i, call in enumerate(calls):
                _strings(call.arguments, (*loc, "tool_call", i, "arguments"), found)

    answer(rule, ())
    for i, choice in enumerate(rule.choices or ()):
        answer(choice, ("choices", i))
    return found


def _strings(value: Any, loc: Loc, found: list[tuple[Loc, str]]) -> None:
    if isinstance(value, str):
        found.append((loc, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            _strings(item, (*loc, key), found)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _strings(item, (*loc, i), found)


FILTERS: dict[str, Callable[[str], str]] = {
    "base64": lambda value: base64.b64encode(value.encode("utf-8")).decode("ascii"),
    "reverse": lambda value: value[::-1],
    "spaced": lambda value: " ".join(value),
}
"""`{{name|filter}}`: transformations a scripted model applies to a filled value."""


def _placeholder_problem(name: str, patterns: dict[str, re.Pattern[str]]) -> str | None:
    """Why `{{name}}` cannot be filled by this rule (None when it can)."""
    name, _, filter_name = name.partition("|")
    if filter_name and filter_name not in FILTERS:
        return f"unknown filter |{filter_name} (known: {', '.join(FILTERS)})"
    root, _, rest = name.partition(".")
    if name in ("user", "system_prompt", "tool_result"):
        return None
    if root == "tool_result" and rest and all(rest.split(".")):
        return None
    if root in ("user", "system", "context") and rest:
        pattern = patterns.get(root)
        if pattern is None:
            return f"placeholder {{{{{name}}}}} needs a `when.{root}` regex"
        if rest.isdigit():
            if 1 <= int(rest) <= pattern.groups:
                return None
            groups = pattern.groups
            return f"placeholder {{{{{name}}}}}: the `when.{root}` regex has {groups} groups"
        if rest in pattern.groupindex:
            return None
        return f"placeholder {{{{{name}}}}}: the `when.{root}` regex has no group {rest!r}"
    return (
        f"unknown placeholder {{{{{name}}}}} (known: user, user.N, system.N, context.N, "
        "system_prompt, tool_result, tool_result.FIELD)"
    )


def builtin_script_path(name: str) -> Path | None:
    """Path of a built-in script (`default`), or None."""
    path = BUILTIN_DIR / f"{name}.yaml"
    return path if name.isidentifier() and path.is_file() else None


def load_script(path: Path) -> Script:
    """Load, validate and compile a script; every problem raises ConfigError with file:line."""
    path = Path(path).resolve()
    loader = _Loader()
    data, lines = loader.read(path)
    spec = validate(ScriptFile, data, path, lines)
    models: dict[str, CompiledModel] = {}
    for name, model in spec.models.items():
        prefix = ("models", name, "rules")
        rules = loader.rules(model.rules, path, lines, prefix, (path,))
        models[name] = CompiledModel(name, rules, model.extends, model.default_reply)
        if model.default_reply is not None:
            for placeholder in PLACEHOLDER.findall(model.default_reply):
                problem = _placeholder_problem(placeholder, {})
                if problem:
                    where: Loc = ("models", name, "default_reply")
                    loader.problems.append(
                        located(path, lines.line_of(where), dotted(where), problem)
                    )
    for name, model in spec.models.items():
        seen = {name}
        parent = model.extends
        while parent is not None:
            where = ("models", name, "extends")
            if parent not in spec.models:
                message = f"unknown model {parent!r}"
                loader.problems.append(located(path, lines.line_of(where), dotted(where), message))
                break
            if parent in seen:
                loader.problems.append(
                    located(path, lines.line_of(where), dotted(where), "extends cycle")
                )
                break
            seen.add(parent)
            parent = spec.models[parent].extends
    if spec.default_model is not None and spec.default_model not in spec.models:
        where = ("default_model",)
        message = f"unknown model {spec.default_model!r}"
        loader.problems.append(located(path, lines.line_of(where), dotted(where), message))
    if loader.problems:
        raise ConfigError(loader.problems)
    return Script(models, spec.default_model, "sha256:" + loader.digest.hexdigest(), loader.files)
