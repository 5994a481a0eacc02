"""What a release contains (prompts, models, tools, dependencies) at HEAD or at a git ref,
and the changes between two such states."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from genai_gate.config import LoadedConfig
from genai_gate.errors import ConfigError, UsageError
from genai_gate.gates.audit.record import Changes, DependencyChange, ModelChange, PromptChange
from genai_gate.gates.audit.settings import AuditSettings
from genai_gate.integrations import git
from genai_gate.registry.prompts import (
    load_prompts,
    read_sources_at_ref,
    relative_to,
    validate_prompt,
)
from genai_gate.yamlio import parse_yaml

_TOOL_NAME = re.compile(r"""["']function["']\s*:\s*\{\s*["']name["']\s*:\s*["']([\w.-]+)["']""")
_REQ_PLAIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^;#\s][^;#]*)?")
_REQ_QUOTED = re.compile(r"""^\s*["']([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?([^"';]*)""")


@dataclass
class PromptState:
    """A prompt as shipped."""

    version: str
    content_hash: str
    model: str


@dataclass
class ReleaseState:
    """The parts of a release the audit record tracks."""

    prompts: dict[str, PromptState] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    """Model name -> exact version."""
    tools: set[str] = field(default_factory=set)
    dependencies: dict[tuple[str, str], str] = field(default_factory=dict)
    """(file, package) -> specifier."""


def tool_names(text: str) -> set[str]:
    """Names of OpenAI-format tool schemas (`"function": {"name": ...}`) in JSON or Python."""
    return set(_TOOL_NAME.findall(text))


def dependency_pins(name: str, text: str) -> dict[str, str]:
    """package -> specifier from a requirements file, or the quoted lists of pyproject.toml."""
    pins: dict[str, str] = {}
    toml = name.endswith(".toml")
    for raw in text.splitlines():
        line = raw.split(" \\")[0].strip()
        if not line or line.startswith(("#", "-", "[")):
            continue
        match = (_REQ_QUOTED if toml else _REQ_PLAIN).match(line)
        if match and (not toml or line[0] in "\"'"):
            pins[match.group(1).lower().replace("_", "-")] = (match.group(2) or "").strip()
    return pins


def models_from_registry(text: str, where: str) -> dict[str, str]:
    """name -> version of the entries of a model registry file (lenient: for old refs too)."""
    data, _ = parse_yaml(text, where)
    entries = data.get("models") if isinstance(data, dict) else None
    out: dict[str, str] = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and "name" in entry:
            out[str(entry["name"])] = str(entry.get("version", ""))
    return out


class ReleaseReader:
    """Reads release states of the repository that holds the config."""

    def __init__(self, config: LoadedConfig, settings: AuditSettings) -> None:
        self.config = config
        self.settings = settings
        try:
            self.repo = git.repo_root(config.root)
        except UsageError:  # not in git: the working tree still has a state, refs do not
            self.repo = config.root

    def head(self) -> ReleaseState:
        """The state of the working tree (strict: invalid prompts are a config error)."""
        state = ReleaseState()
        folder = self.config.resolve(self.config.model.registry.prompts)
        if folder.exists():
            for pid, prompt in load_prompts(folder, self.config.root).prompts.items():
                state.prompts[pid] = PromptState(
                    prompt.version, prompt.content_hash(), prompt.model
                )
        models = self.config.resolve(self.config.model.registry.models)
        if models.exists():
            state.models = models_from_registry(models.read_text("utf-8"), str(models))
        for rel, text in self._files_at(None).items():
            self._add_file(state, rel, text)
        return state

    def at(self, ref: str) -> ReleaseState:
        """The state at git `ref` (lenient: files that do not parse there are left out)."""
        git.resolve_ref(self.repo, ref)
        state = ReleaseState()
        folder = self.config.resolve(self.config.model.registry.prompts)
        sources, _, _ = read_sources_at_ref(folder, self.config.root, ref)
        for source in sources:
            prompt, problems = validate_prompt(source)
            if prompt is not None and not problems:
                state.prompts[prompt.prompt_id] = PromptState(
                    prompt.version, prompt.content_hash(), prompt.model
                )
        registry = self._repo_path(self.config.model.registry.models)
        blob = git.show(self.repo, ref, registry)
        if blob is not None:
            try:
                state.models = models_from_registry(blob.decode("utf-8"), f"{ref}:{registry}")
            except (UnicodeDecodeError, ConfigError):
                state.models = {}
        for rel, text in self._files_at(ref).items():
            self._add_file(state, rel, text)
        return state

    def _repo_path(self, config_relative: str) -> str:
        return relative_to(self.config.resolve(config_relative), self.repo)

    def _files_at(self, ref: str | None) -> dict[str, str]:
        """Tool and dependency files (repository-relative name -> text) at `ref` or on disk."""
        s = self.settings
        names = [self._repo_path(p) for p in [*s.tool_files, *s.dependency_files]]
        out: dict[str, str] = {}
        if ref is None:
            for name in names:
                path = self.repo / name
                if path.is_file():
                    out[name] = path.read_text("utf-8", errors="replace")
            return out
        for name, blob in git.read_files(self.repo, ref, names).items():
            out[name] = blob.decode("utf-8", errors="replace")
        return out

    def _add_file(self, state: ReleaseState, rel: str, text: str) -> None:
        s = self.settings
        if rel in {self._repo_path(p) for p in s.tool_files}:
            state.tools |= tool_names(text)
        if rel in {self._repo_path(p) for p in s.dependency_files}:
            for package, spec in dependency_pins(rel, text).items():
                state.dependencies[(rel, package)] = spec


def diff(base: ReleaseState, head: ReleaseState, base_ref: str) -> Changes:
    """The changes from `base` to `head`."""
    prompts = [
        PromptChange(
            prompt_id=pid,
            old_version=base.prompts[pid].version if pid in base.prompts else None,
            new_version=head.prompts[pid].version if pid in head.prompts else None,
        )
        for pid in sorted(set(base.prompts) | set(head.prompts))
        if base.prompts.get(pid) != head.prompts.get(pid)
    ]
    models = [
        ModelChange(name=name, old_version=base.models.get(name), new_version=head.models.get(name))
        for name in sorted(set(base.models) | set(head.models))
        if base.models.get(name) != head.models.get(name)
    ]
    deps = [
        DependencyChange(
            file=key[0], name=key[1], old=base.dependencies.get(key), new=head.dependencies.get(key)
        )
        for key in sorted(set(base.dependencies) | set(head.dependencies))
        if base.dependencies.get(key) != head.dependencies.get(key)
    ]
    return Changes(
        base_ref=base_ref,
        prompts=prompts,
        models=models,
        tools_added=sorted(head.tools - base.tools),
        tools_removed=sorted(base.tools - head.tools),
        dependencies=deps,
    )
