"""The typed options of `genai-gate smoke-test` (light: read by --help and by the check)."""

from __future__ import annotations

from dataclasses import dataclass

from genai_gate.options import GateOptions


@dataclass(frozen=True)
class Options(GateOptions):
    """Options of one smoke test."""

    url: str | None = None
    """Base URL of the deployment (default: smoke.url)."""
    dataset: str | None = None
    """Golden dataset to take the cases from (default: smoke.dataset)."""
