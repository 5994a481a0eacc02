"""System prompt of an `openai` target, read from the prompt registry by prompt id."""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_gate.yamlio import load_mapping

if TYPE_CHECKING:
    from genai_gate.config import LoadedConfig


def system_prompt_text(loaded: LoadedConfig, target: str, prompt_id: str) -> str:
    """The `template` of `<registry.prompts>/<prompt_id>.yaml`.

    Variables the target cannot know (the customer's name ...) are left as written
    (`{{ customer_name }}`), so the model sees the prompt exactly as the registry holds it.
    """
    path = loaded.resolve(loaded.model.registry.prompts) / f"{prompt_id}.yaml"
    if not path.is_file():
        raise loaded.error(
            f"prompt {prompt_id!r} not found in the registry ({path})",
            "targets",
            target,
            "system_prompt",
        )
    data, _ = load_mapping(path)
    template = data.get("template")
    if not isinstance(template, str):
        raise loaded.error(
            f"{path}: prompt {prompt_id!r} has no string `template`",
            "targets",
            target,
            "system_prompt",
        )
    from genai_gate.prompts import render_unfilled

    return render_unfilled(template, str(data.get("template_format", "jinja2")))
