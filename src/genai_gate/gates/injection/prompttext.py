"""The static text of a system prompt template: what a leak of it would repeat."""

from __future__ import annotations

import re


def prompt_static_text(template: str) -> str:
    """A prompt template without its jinja2 / str.format placeholders and tags."""
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "\n", template, flags=re.S)
    return re.sub(r"\{[A-Za-z_][\w.]*\}", "\n", text)
