"""genai-gate: gated, auditable delivery for GenAI agents."""

__version__ = "0.1.0"
