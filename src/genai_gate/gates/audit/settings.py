"""The `audit:` section of genai-gate.yaml."""

from __future__ import annotations

from genai_gate.schema import StrictModel


class AuditSettings(StrictModel):
    """Settings of the audit gate (owned by that gate; extend here)."""
