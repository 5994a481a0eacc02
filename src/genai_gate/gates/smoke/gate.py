"""The descriptor of `genai-gate smoke-test` (see `genai_gate.gates.spec`)."""

from __future__ import annotations

from genai_gate.action_types import ActionSpec, Input, Output
from genai_gate.gates.spec import ConfigSection, GateSpec

GATE = GateSpec(
    name="smoke-test",
    help="check a freshly deployed environment",
    command="genai_gate.gates.smoke.command",
    writes_results=True,
    config=ConfigSection(
        key="smoke",
        settings="genai_gate.gates.smoke.settings:SmokeSettings",
        doc="The deployed endpoint `smoke-test` checks.",
    ),
    section=None,
    merger=None,
    summary="genai_gate.gates.smoke.summary:SmokeSummary",
    details="genai_gate.gates.smoke.summary:SmokeDetails",
    action=ActionSpec(
        "smoke-test",
        "smoke-test",
        "Check a freshly deployed environment: health, then a few golden cases.",
        (
            Input("url", "base URL of the deployment (default: smoke.url)", "--url"),
            Input("dataset", "golden dataset (default: smoke.dataset)", "--dataset"),
        ),
        (
            Output("healthy", "true when /health is ok"),
            Output("cases", "golden cases sent"),
            Output("failed", "cases failed"),
        ),
    ),
    pipeline=None,
)
