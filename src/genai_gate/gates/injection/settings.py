"""The `injection:` section of genai-gate.yaml."""

from __future__ import annotations

from genai_gate.schema import StrictModel


class InjectionSettings(StrictModel):
    """Settings of the injection gate (owned by that gate; extend here)."""
