"""promptfoo `providers:` as genai-gate targets: OpenAI chat models map, the rest is refused.

`openai:<model>` and `openai:chat:<model>` become an `openai` target (key from
`OPENAI_API_KEY`, promptfoo's default, or the provider's `apiKeyEnvar`). Provider options that
change the request and have no target field (`response_format`, `functions`, `tools`, ...) are
refused rather than dropped: the migrated suite would test something else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from genai_gate.gates.eval.promptfoo.files import Node, Where, is_ref

_CONFIG_KEYS = {
    "temperature": "temperature",
    "max_tokens": "max_tokens",
    "seed": "seed",
    "apiBaseUrl": "base_url",
    "apiKeyEnvar": "api_key_env",
}
_OPENAI = re.compile(r"openai:(?:chat:)?([^:]+)")


@dataclass(frozen=True)
class Provider:
    """One promptfoo provider as a genai-gate target definition."""

    name: str
    """Target name (the provider's label, else its model)."""
    target: dict[str, Any]
    where: Where


def map_providers(config: Node, report: Callable[[Where, str], None]) -> list[Provider]:
    """The config's providers as targets; `report(where, message)` gets each refusal."""
    if "providers" not in config.value:
        return []
    nodes = config.entries("providers")
    found: list[Provider] = []
    for node in nodes:
        provider = map_provider(node, report)
        if provider is not None:
            found.append(provider)
    return found


def map_provider(node: Node, report: Callable[[Where, str], None]) -> Provider | None:
    """One provider (an id string or `{id, label, config}`) as a target, or None (reported)."""
    value = node.value
    options: dict[str, Any] = {}
    label = None
    if isinstance(value, dict):
        label = value.get("label")
        options = value.get("config") or {}
        extra = sorted(set(value) - {"id", "label", "config"})
        for key in extra:
            report(node.where(key), f"provider field {key!r} is not importable")
        value = value.get("id")
    if not isinstance(value, str) or is_ref(value):
        report(node.where(), "provider must be an id string or {id, label, config}")
        return None
    match = _OPENAI.fullmatch(value)
    if match is None:
        report(
            node.where(),
            f"provider {value!r} has no genai-gate target type (importable: openai:<model>, "
            "openai:chat:<model>; other agents: an `openai`, `http` or `python` target)",
        )
        return None
    target: dict[str, Any] = {
        "type": "openai",
        "model": match.group(1),
        "api_key_env": "OPENAI_API_KEY",
    }
    for key, option in options.items():
        if key in _CONFIG_KEYS:
            target[_CONFIG_KEYS[key]] = option
        else:
            report(node.where("config", key), f"provider option {key!r} is not importable")
    return Provider(str(label or match.group(1)), target, node.where())
