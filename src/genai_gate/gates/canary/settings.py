"""The `canary:` section of genai-gate.yaml."""

from __future__ import annotations

from genai_gate.schema import StrictModel


class CanarySettings(StrictModel):
    """Settings of the canary gate (owned by that gate; extend here)."""
