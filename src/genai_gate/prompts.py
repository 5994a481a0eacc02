"""Runtime prompt loading for the agent itself: the prompt that was linted and evaluated ships.

    from genai_gate import prompts

    system = prompts.load("bank-support-system").render(customer_name="Ana", ...)

`load(prompt_id)` reads `<directory>/<prompt_id>.yaml` from the same prompt registry that
`prompt-lint`, `eval-gate` and `audit-log` read (directory: the argument, else
`$GENAI_GATE_PROMPTS_DIR`, else `./prompts`). Its `content_hash` is the hash the audit record
pins, so an agent can log which reviewed prompt version answered. Importing this module loads only
the standard library; YAML and jinja2 are imported on first use (`pyyaml` and `jinja2` are the
only packages it needs).
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

PROMPTS_DIR_ENV = "GENAI_GATE_PROMPTS_DIR"
"""Environment variable naming the registry folder when `load` is not given one."""


class PromptError(ValueError):
    """A prompt that cannot be loaded or rendered (the message names the file)."""


def content_hash(
    prompt_id: str, model: str, template_format: str, template: str, variables: list[str]
) -> str:
    """`sha256:<hex>` over the RFC 8785 canonical JSON of what changes behaviour (shared by the
    registry, the audit record and this runtime loader)."""
    from genai_gate.canonical import digest  # RFC 8785, imported on first use

    payload = {
        "prompt_id": prompt_id,
        "model": model,
        "template_format": template_format,
        "template": template,
        "variables": sorted(variables),
    }
    return digest(payload)


def render_unfilled(template: str, template_format: str = "jinja2") -> str:
    """The template with unknown variables left as written (`{{ customer_name }}`): what an
    `openai` target sends as its system prompt during eval."""
    if template_format != "jinja2":
        return template
    import jinja2

    env = jinja2.Environment(undefined=jinja2.DebugUndefined, autoescape=False)
    return env.from_string(template).render()


@dataclass(frozen=True)
class Prompt:
    """One prompt of the registry, as the agent uses it at run time."""

    prompt_id: str
    version: str
    model: str
    """The model registry name the prompt was linted and evaluated with."""
    template_format: str
    variables: tuple[str, ...]
    template: str
    path: Path

    @property
    def content_hash(self) -> str:
        """The hash prompt-lint and the audit record compute for this prompt."""
        return content_hash(
            self.prompt_id, self.model, self.template_format, self.template, list(self.variables)
        )

    def render(self, **values: Any) -> str:
        """The prompt with every declared variable filled in; a missing or undeclared variable
        is a PromptError (a typo must not ship an empty placeholder)."""
        unknown = sorted(set(values) - set(self.variables))
        missing = sorted(set(self.variables) - set(values))
        if unknown or missing:
            raise PromptError(
                f"{self.path}: prompt {self.prompt_id!r}: unknown variables {unknown}, "
                f"missing variables {missing}"
            )
        if self.template_format == "python":
            return string.Formatter().vformat(self.template, (), values)
        return _jinja(self.template).render(**values)


def load(prompt_id: str, directory: str | os.PathLike[str] | None = None) -> Prompt:
    """The prompt `prompt_id` of the registry in `directory` (cached until the file changes)."""
    folder = Path(directory or os.environ.get(PROMPTS_DIR_ENV) or "prompts")
    for suffix in (".yaml", ".yml"):
        path = (folder / f"{prompt_id}{suffix}").resolve()
        if path.is_file():
            return _parse(path, path.stat().st_mtime_ns)
    raise PromptError(f"prompt {prompt_id!r} not found in {folder.resolve()}")


@lru_cache(maxsize=64)
def _parse(path: Path, mtime_ns: int) -> Prompt:
    del mtime_ns  # part of the cache key only: an edited file is read again
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PromptError(f"{path}: cannot read the prompt: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("template"), str):
        raise PromptError(f"{path}: not a prompt registry file (no `template:` text)")
    template_format = str(data.get("template_format", "jinja2"))
    if template_format not in {"jinja2", "python"}:
        raise PromptError(f"{path}: unknown template_format {template_format!r}")
    variables = data.get("variables") or []
    if not isinstance(variables, list):
        raise PromptError(f"{path}: `variables` must be a list")
    return Prompt(
        prompt_id=str(data.get("prompt_id", path.stem)),
        version=str(data.get("version", "")),
        model=str(data.get("model", "")),
        template_format=template_format,
        variables=tuple(str(v) for v in variables),
        template=data["template"],
        path=path,
    )


@lru_cache(maxsize=64)
def _jinja(template: str) -> jinja2.Template:
    import jinja2

    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    return env.from_string(template)
