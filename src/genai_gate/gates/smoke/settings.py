"""The `smoke:` section of genai-gate.yaml."""

from __future__ import annotations

from genai_gate.schema import StrictModel


class SmokeSettings(StrictModel):
    """Settings of the smoke gate (owned by that gate; extend here)."""
