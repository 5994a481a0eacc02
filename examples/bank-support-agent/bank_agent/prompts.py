"""The agent's prompt registry: `prompts/<prompt_id>.yaml` files rendered with jinja2."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
"""Registry shipped with the agent; `$BANK_AGENT_PROMPTS_DIR` or the `prompts_dir` option
point the agent at another copy (e.g. the base branch's prompts)."""

# Prompts are plain text sent to the model, never HTML: escaping would corrupt them (`&`, `<`).
_ENV = jinja2.Environment(  # nosec B701 - plain-text prompt templates, not HTML
    undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False
)


@dataclass(frozen=True)
class Prompt:
    """One prompt registry entry."""

    prompt_id: str
    version: str
    model: str
    variables: tuple[str, ...]
    template: jinja2.Template

    def render(self, **values: Any) -> str:
        """The template with its variables filled in (a missing or unknown variable is an error)."""
        unknown = set(values) - set(self.variables)
        missing = set(self.variables) - set(values)
        if unknown or missing:
            raise ValueError(
                f"prompt {self.prompt_id}: unknown variables {sorted(unknown)}, "
                f"missing variables {sorted(missing)}"
            )
        return self.template.render(**values)


def prompts_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """Registry folder: the `prompts_dir` option, else `$BANK_AGENT_PROMPTS_DIR`, else built in."""
    chosen = option or os.environ.get("BANK_AGENT_PROMPTS_DIR")
    return Path(chosen).resolve() if chosen else PROMPTS_DIR


@lru_cache(maxsize=32)
def _parse(path: Path, mtime_ns: int) -> Prompt:
    del mtime_ns  # part of the cache key only: an edited prompt file is parsed again
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("template"), str):
        raise ValueError(f"{path}: not a prompt registry file (no `template:` text)")
    if data.get("template_format", "jinja2") != "jinja2":
        raise ValueError(f"{path}: only jinja2 templates are supported by this agent")
    return Prompt(
        prompt_id=str(data["prompt_id"]),
        version=str(data["version"]),
        model=str(data.get("model", "")),
        variables=tuple(data.get("variables") or ()),
        template=_ENV.from_string(data["template"]),
    )


def load_prompt(prompt_id: str, directory: Path | None = None) -> Prompt:
    """Load (and cache until the file changes) one prompt of the registry."""
    path = (directory or PROMPTS_DIR) / f"{prompt_id}.yaml"
    return _parse(path, path.stat().st_mtime_ns)
