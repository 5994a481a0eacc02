"""The typed summary and details of `audit-log`: what each action reports (the action outputs).

One model covers every action: a field belongs to the actions its docstring names and is absent
from the others' results.
"""

from __future__ import annotations

from typing import Any

from genai_gate.results import TypedDetails, TypedSummary


class AuditSummary(TypedSummary):
    """Key figures of one `audit-log` action."""

    seq: int | None = None
    """record: sequence number of the new record."""
    hash: str | None = None
    """record: hash of the new record."""
    size: int | None = None
    """record: records in the log after the append."""
    root: str | None = None
    """record, verify, prove: Merkle root of the log (of the proof's tree)."""
    checkpoint: str | None = None
    """record, verify: digest of the latest signed checkpoint (publish it)."""
    records: int | None = None
    """verify: records in the log."""
    checkpoints: int | None = None
    """verify: checkpoints in the log."""
    problems: int | None = None
    """verify, and any action whose trail fails verification: integrity problems found."""
    head: str | None = None
    """verify: hash of the last record."""
    proof_file: str | None = None
    """prove: the proof file written."""
    proof_bytes: int | None = None
    """prove: its size."""
    path_hashes: int | None = None
    """prove: hashes on the path from the record to the root."""
    checks: int | None = None
    """verify-proof: checks made."""
    failed: int | None = None
    """verify-proof: checks failed."""
    actions: int | None = None
    """repair: repairs made."""
    key_id: str | None = None
    """keygen: id of the new key (sha256 of the raw public key)."""
    private_key_file: str | None = None
    """keygen: the private key file (mode 0600)."""
    public_key_file: str | None = None
    """keygen: the public key file to publish."""
    met: int | None = None
    """check: evidence items met."""
    missing: int | None = None
    """check: evidence items missing."""
    deployment_frequency: float | None = None
    """dora: successful production deployments per week (None without data)."""
    lead_time_hours: float | None = None
    """dora: median hours from commit to 100% traffic."""
    change_failure_rate_pct: float | None = None
    """dora: share of changes rolled back or linked to an incident (%)."""
    time_to_restore_minutes: float | None = None
    """dora: median minutes to restore service."""
    success_rate_pct: float | None = None
    """dora: share of deployments that reached 100% traffic and stayed (%)."""
    chart: str | None = None
    """dora: the PNG scorecard."""
    targets_missed: int | None = None
    """dora: metrics off their targets."""
    found: bool | None = None
    """previous: the trail holds a successful deploy to the environment."""
    manifest_file: str | None = None
    """previous: JSON file of the previous release and its manifest."""
    previous_version: str | None = None
    """previous: version of the release a rollback restores."""
    previous_sha: str | None = None
    """previous: its commit."""
    previous_image_digest: str | None = None
    """previous: its image digest."""
    previous_kb_snapshot: str | None = None
    """previous: its knowledge-base snapshot id."""
    previous_prompts: str | None = None
    """previous: its prompts, id@version comma-separated."""


class AuditDetails(TypedDetails):
    """What the Markdown section of an `audit-log` result shows."""

    action: str | None = None
    """The action that ran (record, verify, check, dora, ...)."""
    record: dict[str, Any] | None = None
    """record: the record appended, as written to the log."""
    markdown: str | None = None
    """dora: the metrics table."""
    chart: str | None = None
    """dora: the PNG scorecard."""
