"""The descriptor of `genai-gate audit-log` (see `genai_gate.gates.spec`)."""

from __future__ import annotations

from genai_gate.action_types import GITHUB_TOKEN, ActionSpec, Input, Output
from genai_gate.gates.spec import ConfigSection, GateSpec

GATE = GateSpec(
    name="audit-log",
    help="record, verify, prove and check deployment records; DORA metrics",
    command="genai_gate.gates.audit.command",
    writes_results=True,
    config=ConfigSection(
        key="audit",
        settings="genai_gate.gates.audit.settings:AuditSettings",
        doc="Store and signing of `audit-log`.",
    ),
    section="genai_gate.gates.audit.report:markdown_section",
    merger=None,
    summary="genai_gate.gates.audit.summary:AuditSummary",
    details="genai_gate.gates.audit.summary:AuditDetails",
    action=ActionSpec(
        "audit-log",
        "audit-log",
        "Append to, verify or check the tamper-evident deployment audit log.",
        (
            Input(
                "action",
                "record, verify, check, dora or previous",
                kind="choice",
                required=True,
                choices=("record", "verify", "check", "dora", "previous"),
                positional=True,
            ),
            Input("event", "record: deploy, canary-step or rollback", "--event"),
            Input("environment", "environment (staging, production)", "--environment"),
            Input("version", "release version", "--version"),
            Input("outcome", "record: success or failure", "--outcome"),
            Input("sha", "commit deployed (default: HEAD)", "--sha"),
            Input("deployer", "who deployed (default: github.actor)", "--deployer"),
            Input(
                "deployment-id",
                "groups one deployment's records (default: run id)",
                "--deployment-id",
            ),
            Input("ticket", "change ticket id", "--ticket"),
            Input("approvers", "approver logins (one per line or comma)", "--approver", "list"),
            Input("approvals", "read environment approvals: auto, github or none", "--approvals"),
            Input("image-digest", "container image digest (sha256:...)", "--image-digest"),
            Input("kb-snapshot", "knowledge-base snapshot id", "--kb-snapshot"),
            Input("base-ref", "git ref of the previous release", "--base-ref"),
            Input("rollback-command", "how to roll back", "--rollback-command"),
            Input("traffic-percent", "traffic on the new release", "--traffic-percent", "int"),
            Input("canary-outcome", "promote, hold or rollback", "--canary-outcome"),
            Input("canary-score", "canary score", "--canary-score"),
            Input("notes", "free text", "--notes"),
            Input("pr", "check: pull request number", "--pr", "int"),
            Input(
                "manifest-file",
                "previous: where the previous release's manifest is written (JSON)",
                "--manifest-file",
            ),
            Input(
                "checkpoint",
                "verify: checkpoint digests published earlier that the log must still contain "
                "(one per line)",
                "--checkpoint",
                "list",
            ),
            Input(
                "chain-only", "verify: chain only (no key)", "--chain-only", "bool", default="false"
            ),
            Input("store", "store kind: local or git", "--store"),
            Input("log-dir", "local store folder", "--log-dir"),
            Input("branch", "git store branch (default genai-audit)", "--branch"),
            Input("remote", "git store remote (default origin)", "--remote"),
            Input(
                "signing-key",
                "HMAC key signing the checkpoints (a secret)",
                kind="secret",
                env="GENAI_GATE_AUDIT_KEY",
            ),
            GITHUB_TOKEN,
        ),
        (
            Output("seq", "record: sequence number of the new record"),
            Output("hash", "record: hash of the new record"),
            Output("root", "record / verify: Merkle root of the log"),
            Output("checkpoint", "record: digest of the new signed checkpoint (publish it)"),
            Output("size", "record: records in the log after the append"),
            Output("records", "verify: records in the log"),
            Output("found", "previous: true when the trail holds a successful deploy"),
            Output("manifest-file", "previous: JSON file of the previous release and its manifest"),
            Output("previous-version", "previous: version of the release a rollback restores"),
            Output("previous-sha", "previous: its commit"),
            Output("previous-image-digest", "previous: its image digest"),
            Output("previous-kb-snapshot", "previous: its knowledge-base snapshot id"),
            Output("previous-prompts", "previous: its prompts, id@version comma-separated"),
        ),
        subaction="action",
        output_source="record",
    ),
    pipeline=None,
)
