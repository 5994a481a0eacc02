"""The `toy:` section of genai-gate.yaml."""

from __future__ import annotations

from genai_gate.schema import StrictModel


class ToySettings(StrictModel):
    """Settings of `toy-gate`."""

    greeting: str = "hello"
    """What to say."""
