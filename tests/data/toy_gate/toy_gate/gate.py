"""The toy gate's descriptor: every hook, so every derived table must show it."""

from __future__ import annotations

from genai_gate.action_types import ActionSpec, Input, Output
from genai_gate.gates.spec import ConfigSection, GateSpec

GATE = GateSpec(
    name="toy-gate",
    help="greet, and count the greetings",
    command="toy_gate.command",
    writes_results=True,
    config=ConfigSection(
        key="toy", settings="toy_gate.settings:ToySettings", doc="Settings of `toy-gate`."
    ),
    section="toy_gate.report:markdown_section",
    merger="toy_gate.report:merge_results",
    summary="toy_gate.report:ToySummary",
    details=None,
    action=ActionSpec(
        "toy-gate",
        "toy-gate",
        "Greet, and count the greetings.",
        (Input("greeting", "what to say (default: toy.greeting)", "--greeting"),),
        (Output("greetings", "greetings said"),),
    ),
    pipeline=25,
)
