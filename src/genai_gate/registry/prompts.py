"""The prompt registry: a folder of prompt YAML files (`prompts/<prompt_id>.yaml`).

Loading has two levels. `read_sources` parses every file (malformed YAML, a file that is not a
mapping, a binary file or an empty folder raise ConfigError: nothing can be checked). Then
`validate_prompt` checks one file against the schema and returns located problems, which
prompt-lint reports as findings; `load_prompts` is the strict variant for other gates.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, ValidationError

from genai_gate.errors import ConfigError, located
from genai_gate.registry.problems import Problem, schema_problems
from genai_gate.schema import StrictModel
from genai_gate.yamlio import LineMap, Loc, parse_yaml, read_text

PROMPT_SUFFIXES = (".yaml", ".yml")


def _scalar_to_str(value: Any) -> Any:
    """YAML reads `1.3` as a float and `2026-10-02` as a date; keep what was written."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


ScalarStr = Annotated[str, BeforeValidator(_scalar_to_str)]


class Suppression(StrictModel):
    """Silences one rule in this file; the reason is mandatory (a missing one is a finding)."""

    rule: str
    """Rule id, e.g. `PL301`."""
    reason: str | None = None
    """Why the finding is acceptable (reviewed in the PR)."""


class LintBlock(StrictModel):
    """Per-file prompt-lint options."""

    suppress: list[Suppression] = Field(default_factory=list)
    """Rules silenced in this file, each with a reason."""


class PromptMetadata(StrictModel):
    """Who wrote the prompt and how it was validated; extra keys are allowed."""

    model_config = ConfigDict(extra="allow", frozen=True)

    author: str = Field(min_length=1)
    """Author of this version."""
    created_at: ScalarStr
    """ISO-8601 date (or date-time) of this version."""
    tested_on_dataset: str | None = None
    """Dataset the prompt was evaluated on, relative to the config file."""
    quality_score: float | None = None
    """Score obtained on that dataset, in [0, 1]."""


class Prompt(StrictModel):
    """One prompt of the registry: `prompts/<prompt_id>.yaml` (docs/prompt-registry.md)."""

    prompt_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    """Unique id (letters, digits, `.`, `_`, `-`); other files refer to the prompt by it."""
    version: ScalarStr
    """Semantic version of the prompt; bump it whenever the template or model changes."""
    description: str | None = None
    """What the prompt is for."""
    model: str = Field(min_length=1)
    """A `name` in the model registry."""
    template_format: Literal["jinja2", "python"] = "jinja2"
    """Template syntax: jinja2 or python (`str.format` fields)."""
    variables: list[str]
    """Variables the template reads."""
    response_budget_tokens: int | None = Field(default=None, ge=0)
    """Tokens reserved for the answer."""
    max_prompt_tokens: int | None = Field(default=None, gt=0)
    """Budget of the rendered template, in tokens."""
    template: str
    """The prompt text."""
    metadata: PromptMetadata
    """Author, date, dataset and score."""
    lint: LintBlock | None = None
    """Per-file lint options (suppressions)."""

    def content_hash(self) -> str:
        """sha256 of what changes behaviour: id, model, template, its format and variables."""
        return content_hash(self)


def content_hash(prompt: Prompt) -> str:
    """`sha256:<hex>` over the canonical JSON of the behaviour-relevant fields of `prompt` (the
    runtime loader `genai_gate.prompts` computes the same)."""
    from genai_gate import prompts

    return prompts.content_hash(
        prompt.prompt_id, prompt.model, prompt.template_format, prompt.template, prompt.variables
    )


@dataclass
class PromptSource:
    """One parsed prompt file, before schema validation."""

    path: Path
    """Where the file is (absolute for files on disk, repo-relative for files at a git ref)."""
    rel: str
    """Path relative to the config root, for reports."""
    data: dict[str, Any]
    lines: LineMap
    text: str

    def line_of(self, *loc: str | int) -> int | None:
        """Line of a dotted location in this file."""
        return self.lines.line_of(tuple(loc))

    def template_first_line(self) -> int | None:
        """File line of the first template line (block scalars start on the next line)."""
        key_line = self.lines.lines.get(("template",))
        if key_line is None:
            return None
        after_key = self.text.splitlines()[key_line - 1].split(":", 1)[-1].lstrip()
        return key_line + 1 if after_key[:1] in ("|", ">") else key_line

    def template_line(self, line_in_template: int | None) -> int | None:
        """File line of a 1-based line of the template."""
        first = self.template_first_line()
        if first is None:
            return None
        return first + (line_in_template or 1) - 1


def prompt_files(folder: Path) -> list[Path]:
    """The prompt files of a registry folder (recursive), sorted; ConfigError when none."""
    if not folder.exists():
        raise ConfigError(located(folder, None, "", "prompt registry folder not found"))
    if not folder.is_dir():
        raise ConfigError(located(folder, None, "", "prompt registry is not a folder"))
    files = sorted(p for p in folder.rglob("*") if p.suffix in PROMPT_SUFFIXES and p.is_file())
    if not files:
        raise ConfigError(
            located(folder, None, "", "empty prompt registry: no *.yaml or *.yml prompt files")
        )
    return files


def parse_source(text: str, path: Path, rel: str) -> PromptSource:
    """Parse one prompt file's text; ConfigError when it is not YAML or not a mapping."""
    data, lines = parse_yaml(text, path)
    if not isinstance(data, dict):
        kind = "an empty file" if data is None else f"a {type(data).__name__}"
        raise ConfigError(
            located(path, 1, "", f"a prompt file must be a mapping of fields, got {kind}")
        )
    return PromptSource(path=path, rel=rel, data=data, lines=lines, text=text)


def read_sources(folder: Path, root: Path) -> list[PromptSource]:
    """Parse every prompt file of `folder`; all unreadable files are reported in one ConfigError."""
    sources: list[PromptSource] = []
    problems: list[str] = []
    # once: resolving each file costs lstat calls, relpath a normalisation per file
    prefix = Path(os.path.relpath(folder.resolve(), root.resolve())).as_posix() + "/"
    prefix = "" if prefix == "./" else prefix
    for path in prompt_files(folder):
        try:
            rel = prefix + path.relative_to(folder).as_posix()
            sources.append(parse_source(read_text(path), path, rel))
        except ConfigError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems)
    return sources


def relative_to(path: Path, root: Path) -> str:
    """`path` relative to `root` (with `..` when outside), POSIX separators."""
    return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()


def validate_prompt(source: PromptSource) -> tuple[Prompt | None, list[Problem]]:
    """Validate one file; unknown keys are reported but do not stop the other checks."""
    try:
        return Prompt.model_validate(source.data), []
    except ValidationError as exc:
        problems = schema_problems(exc, source.lines)
        unknown = [e["loc"] for e in exc.errors() if e["type"] == "extra_forbidden"]
        if len(unknown) < len(problems):
            return None, problems
    try:
        return Prompt.model_validate(_without(source.data, unknown)), problems
    except ValidationError:  # pragma: no cover - removing keys cannot add errors
        return None, problems


def _without(data: dict[str, Any], locations: list[Loc]) -> dict[str, Any]:
    """A copy of `data` without the keys at `locations` (nested mappings copied as needed)."""
    copy = dict(data)
    for loc in locations:
        node: dict[Any, Any] = copy
        for part in loc[:-1]:
            node[part] = dict(node[part])
            node = node[part]
        node.pop(loc[-1], None)
    return copy


@dataclass
class PromptRegistry:
    """Valid prompts by id, with their sources."""

    prompts: dict[str, Prompt]
    sources: dict[str, PromptSource]


def load_prompts(folder: Path, root: Path) -> PromptRegistry:
    """Load every prompt strictly: any schema problem or duplicate id raises ConfigError."""
    return registry_from_sources(read_sources(folder, root))


def registry_from_sources(sources: list[PromptSource]) -> PromptRegistry:
    """Validate parsed sources strictly into a registry (ConfigError lists every problem)."""
    prompts: dict[str, Prompt] = {}
    by_id: dict[str, PromptSource] = {}
    problems: list[str] = []
    for source in sources:
        prompt, found = validate_prompt(source)
        problems += [located(source.path, p.line, p.field, p.message) for p in found]
        if prompt is None or found:
            continue
        if prompt.prompt_id in prompts:
            first = by_id[prompt.prompt_id]
            problems.append(
                located(
                    source.path,
                    source.line_of("prompt_id"),
                    "prompt_id",
                    f"duplicate prompt_id {prompt.prompt_id!r} (also in {first.rel})",
                )
            )
            continue
        prompts[prompt.prompt_id] = prompt
        by_id[prompt.prompt_id] = source
    if problems:
        raise ConfigError(problems)
    return PromptRegistry(prompts=prompts, sources=by_id)


def read_sources_at_ref(
    folder: Path, root: Path, ref: str, unchanged: dict[str, str] | None = None
) -> tuple[list[PromptSource], list[str], list[str]]:
    """Parse the prompt files of `folder` as they were at git `ref`.

    Files whose blob equals the head text `unchanged[rel]` are neither read nor parsed: their
    relative paths are returned instead. Returns (sources, unchanged paths, problems): a broken
    base file is the base's problem, so callers report or skip it. Sources carry the
    work-tree paths the files had, so `rel` matches the head files.
    """
    from genai_gate.integrations import git

    unchanged = unchanged or {}
    repo = git.repo_root(folder if folder.exists() else root)
    git.resolve_ref(repo, ref)
    blobs = git.ls_tree_blobs(repo, ref, relative_to(folder, repo))
    same: list[str] = []
    wanted: dict[str, str] = {}
    for name, blob in blobs.items():
        if not name.endswith(PROMPT_SUFFIXES):
            continue
        rel = relative_to(repo / name, root)
        head_text = unchanged.get(rel)
        if head_text is not None and git.blob_id(head_text.encode("utf-8")) == blob:
            same.append(rel)
        else:
            wanted[name] = blob
    contents = git.read_blobs(repo, wanted.values())
    sources: list[PromptSource] = []
    problems: list[str] = []
    for name, blob in wanted.items():
        data = contents[blob]
        path = repo / name
        try:
            if b"\x00" in data:
                raise UnicodeDecodeError("utf-8", data, 0, 1, "binary file")
            sources.append(parse_source(data.decode("utf-8-sig"), path, relative_to(path, root)))
        except UnicodeDecodeError:
            problems.append(located(f"{ref}:{name}", None, "", "not UTF-8 text"))
        except ConfigError as exc:
            problems.extend(exc.problems)
    return sources, same, problems
