"""The descriptor of `genai-gate security-scan` (see `genai_gate.gates.spec`)."""

from __future__ import annotations

from genai_gate.action_types import ActionSpec, Input, Output
from genai_gate.gates.spec import GateSpec

GATE = GateSpec(
    name="security-scan",
    help="SAST (bandit, semgrep) and dependency audit (pip-audit), SARIF per tool",
    command="genai_gate.gates.security.command",
    writes_results=True,
    config=None,
    section="genai_gate.gates.security.report:markdown_section",
    merger=None,
    summary="genai_gate.gates.security.summary:SecuritySummary",
    details="genai_gate.gates.security.summary:SecurityDetails",
    action=ActionSpec(
        "security-scan",
        "security-scan",
        "Scan the code (bandit, semgrep with genai-gate's rules) and the locked dependencies "
        "(pip-audit, OSV); SARIF per tool.",
        (
            Input(
                "tools",
                "tools to run, comma-separated (default: bandit,semgrep,pip-audit)",
                "--tools",
            ),
            Input(
                "fail-on-severity",
                "findings of this severity or worse fail the gate (default: high)",
                "--fail-on-severity",
                "choice",
                choices=("low", "medium", "high", "critical"),
            ),
            Input(
                "scan-requirements",
                "pinned requirements files audited by pip-audit, one per line "
                "(default: requirements.lock or requirements.txt in path)",
                "--requirements",
                "list",
            ),
            Input("path", "source folder scanned by bandit and semgrep (default: .)", "--path"),
            Input("sarif-dir", "write <sarif-dir>/<tool>.sarif for every tool run", "--sarif-dir"),
            Input(
                "osv-url",
                "OSV query endpoint for pip-audit (default: the public OSV API)",
                "--osv-url",
            ),
        ),
        (
            Output("findings", "findings of all tools"),
            Output("blocking", "findings at or above fail-on-severity"),
            Output("critical", "critical findings"),
            Output("high", "high findings"),
            Output("medium", "medium findings"),
            Output("low", "low findings"),
            Output("tools", "tools run, comma-separated"),
        ),
    ),
    pipeline=None,
)
