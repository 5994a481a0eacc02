"""The descriptor of `genai-gate cost-estimate` (see `genai_gate.gates.spec`)."""

from __future__ import annotations

from genai_gate.action_types import ActionSpec, Input, Output
from genai_gate.gates.spec import ConfigSection, GateSpec

GATE = GateSpec(
    name="cost-estimate",
    help="estimate token and dollar cost, base vs head",
    command="genai_gate.gates.cost.command",
    writes_results=True,
    config=ConfigSection(
        key="cost",
        settings="genai_gate.gates.cost.settings:CostSettings",
        doc="Traffic profile and limits of `cost-estimate`.",
    ),
    section="genai_gate.gates.cost.report:markdown_section",
    merger=None,
    summary="genai_gate.gates.cost.summary:CostSummary",
    details="genai_gate.gates.cost.details:CostDetails",
    action=ActionSpec(
        "cost-estimate",
        "cost-estimate",
        "Estimate token and dollar cost of the prompts, base vs head; fail on spikes.",
        (
            Input("base-ref", "git ref to compare with (the PR base)", "--base-ref"),
            Input(
                "pr-labels", "PR labels, comma-separated (default: from the event)", "--pr-labels"
            ),
            Input(
                "actual",
                "results files whose usage is compared with the estimate",
                "--actual",
                "list",
            ),
        ),
        (
            Output("monthly-cost-usd", "projected monthly cost (USD)"),
            Output("delta-pct", "change vs the base ref (%), empty without base-ref"),
            Output("prompts", "prompts priced"),
        ),
    ),
    pipeline=40,
)
