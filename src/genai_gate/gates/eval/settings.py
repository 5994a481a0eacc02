"""The `eval:` section of genai-gate.yaml."""

from __future__ import annotations

from genai_gate.schema import StrictModel


class EvalSettings(StrictModel):
    """Settings of the eval gate (owned by that gate; extend here)."""
