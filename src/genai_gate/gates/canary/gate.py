"""The descriptor of `genai-gate canary-gate` (see `genai_gate.gates.spec`)."""

from __future__ import annotations

from genai_gate.action_types import ActionSpec, Input, Output
from genai_gate.gates.spec import ConfigSection, GateSpec

GATE = GateSpec(
    name="canary-gate",
    help="judge a canary step from Prometheus metrics",
    command="genai_gate.gates.canary.command",
    writes_results=True,
    config=ConfigSection(
        key="canary",
        settings="genai_gate.gates.canary.settings:CanarySettings",
        doc="Prometheus queries and rules of `canary-gate`.",
    ),
    section="genai_gate.gates.canary.report:markdown_section",
    merger=None,
    summary="genai_gate.gates.canary.summary:CanarySummary",
    details="genai_gate.gates.canary.event:CanaryDetails",
    action=ActionSpec(
        "canary-gate",
        "canary-gate",
        "Judge one canary step from Prometheus metrics: promote, hold or roll back.",
        (
            Input("step", "canary traffic % being judged", "--step", "int", required=True),
            Input("baseline-label", "baseline deployment label", "--baseline-label", required=True),
            Input("canary-label", "canary deployment label", "--canary-label", required=True),
            Input("prometheus-url", "Prometheus base URL (default: config)", "--prometheus-url"),
            Input("window", "judged period, e.g. 10m (default: config)", "--window"),
            Input("end", "end of the window, RFC 3339 or unix seconds (default: now)", "--end"),
            Input(
                "baseline-end",
                "end of the baseline's window (default: end): the previous release before a switch",
                "--baseline-end",
            ),
        ),
        (
            Output("decision", "promote, hold or rollback"),
            Output("step", "traffic % judged"),
            Output("next-traffic-pct", "traffic % to move to"),
            Output("score", "share of passing metrics (empty when metrics are unavailable)"),
            Output("failed-metrics", "metrics judged harmful, comma-separated"),
            Output("baseline-requests", "baseline requests in the window"),
            Output("canary-requests", "canary requests in the window"),
        ),
    ),
    pipeline=None,
)
