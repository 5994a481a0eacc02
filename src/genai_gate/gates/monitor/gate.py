"""The descriptor of `genai-gate monitor` (see `genai_gate.gates.spec`)."""

from __future__ import annotations

from genai_gate.gates.spec import ConfigSection, GateSpec

GATE = GateSpec(
    name="monitor",
    help="post-deploy monitoring: Prometheus alerting rules, degradation issue",
    command="genai_gate.gates.monitor.command",
    writes_results=False,
    config=ConfigSection(
        key="monitor",
        settings="genai_gate.gates.monitor.settings:MonitorSettings",
        doc="Alerting rules and production checks of `monitor`.",
    ),
    section=None,
    merger=None,
    summary=None,
    details=None,
    action=None,
    pipeline=None,
)
