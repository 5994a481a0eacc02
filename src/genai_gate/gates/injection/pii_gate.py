"""The descriptor of `genai-gate pii-scan` (see `genai_gate.gates.spec`)."""

from __future__ import annotations

from genai_gate.action_types import ActionSpec, Input, Output
from genai_gate.gates.spec import GateSpec

GATE = GateSpec(
    name="pii-scan",
    help="find personal data in text or results files",
    command="genai_gate.gates.injection.pii_command",
    writes_results=True,
    config=None,
    section=None,
    merger=None,
    summary="genai_gate.gates.injection.pii_summary:PiiSummary",
    details="genai_gate.gates.injection.pii_summary:PiiDetails",
    action=ActionSpec(
        "pii-scan",
        "pii-scan",
        "Find checksum-confirmed personal data (IBAN, DNI/NIE, cards, SSN, phones, emails).",
        (
            Input(
                "paths",
                "files or folders to scan (one per line)",
                kind="list",
                required=True,
                positional=True,
            ),
            Input("types", "only these types (one per line or comma)", "--type", "list"),
            Input("regions", "countries tried for phone numbers", "--region", "list"),
            Input("max-findings", "list at most N findings", "--max-findings", "int"),
        ),
        (Output("findings", "items of personal data found"), Output("files", "files scanned")),
    ),
    pipeline=None,
)
