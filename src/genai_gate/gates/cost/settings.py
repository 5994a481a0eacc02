"""The `cost:` section of genai-gate.yaml."""

from __future__ import annotations

from genai_gate.schema import StrictModel


class CostSettings(StrictModel):
    """Settings of the cost gate (owned by that gate; extend here)."""
