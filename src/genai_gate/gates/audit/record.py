"""The audit record: one canonical JSON line per deployment event, chained by hash."""

from __future__ import annotations

import json
from typing import Any, Final, Literal

from pydantic import Field
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema

from genai_gate.gates.audit.checkpoint import GENESIS as GENESIS
from genai_gate.schema import StrictModel

RECORD_SCHEMA: Final = 1
HEX64 = r"^[0-9a-f]{64}$"

Event = Literal["deploy", "canary-step", "rollback"]


class Approval(StrictModel):
    """One approval of the deploy."""

    user: str
    """Login of the approver."""
    state: str = "approved"
    """approved or rejected, as GitHub reports it."""
    source: Literal["environment", "pull-request", "cli"] = "environment"
    """Where the approval was read: run approvals endpoint, PR review, or a CLI option."""
    environments: list[str] = Field(default_factory=list)
    """Environments the approval covers (environment approvals)."""
    comment: str | None = None
    """Comment left with the approval."""
    at: str | None = None
    """When it was given, ISO-8601."""


class PromptChange(StrictModel):
    """A prompt added, removed or changed between the base ref and this release."""

    prompt_id: str
    old_version: str | None = None
    """Version at the base ref (null when added)."""
    new_version: str | None = None
    """Version in this release (null when removed)."""


class ModelChange(StrictModel):
    """A model added, removed or upgraded in the model registry."""

    name: str
    old_version: str | None = None
    new_version: str | None = None


class DependencyChange(StrictModel):
    """A dependency pin that changed in a requirements or lock file."""

    file: str
    """Requirements or lock file, repository-relative."""
    name: str
    old: str | None = None
    """Old specifier (null when added)."""
    new: str | None = None
    """New specifier (null when removed)."""


class Changes(StrictModel):
    """What this release changes, derived from git against a base ref."""

    base_ref: str | None = None
    """Ref the changes were computed against (the previous release)."""
    prompts: list[PromptChange] = Field(default_factory=list)
    models: list[ModelChange] = Field(default_factory=list)
    tools_added: list[str] = Field(default_factory=list)
    tools_removed: list[str] = Field(default_factory=list)
    dependencies: list[DependencyChange] = Field(default_factory=list)


class PromptPin(StrictModel):
    """A prompt shipped in the release."""

    prompt_id: str
    version: str
    content_hash: str
    """sha256 of the prompt file."""
    model: str | None = None


class ModelPin(StrictModel):
    """A model used by the release, with its exact version."""

    name: str
    version: str


class Manifest(StrictModel):
    """Exactly what is deployed."""

    code_sha: str
    image_digest: str | None = None
    """Container image digest (`sha256:...`)."""
    prompts: list[PromptPin] = Field(default_factory=list)
    models: list[ModelPin] = Field(default_factory=list)
    kb_snapshot_id: str | None = None
    """Knowledge-base snapshot served by the release."""
    data_sources: dict[str, str] = Field(default_factory=dict)
    """Data source file -> sha256 of its content."""
    config_digest: str | None = None
    """Digest of genai-gate.yaml."""


class GateEvidence(StrictModel):
    """A gate result file of this run: its digest and verdict."""

    gate: str
    status: str
    """pass, fail or error."""
    digest: str
    """sha256 of the results file bytes."""
    git_sha: str | None = None
    """Commit the gate ran on, when the results file says."""
    incomplete: bool = False


class RollbackPlan(StrictModel):
    """The previous release to return to."""

    previous_version: str | None = None
    previous_sha: str | None = None
    previous_image_digest: str | None = None
    previous_manifest: Manifest | None = None
    """What the previous release served: prompts, models, KB snapshot, config (restored too)."""
    command: str | None = None
    """How to roll back (the caller's command), when given."""


class CanaryStep(StrictModel):
    """A traffic step of a canary rollout."""

    traffic_percent: float = Field(ge=0, le=100)
    """Share of traffic on the new release at this step."""
    outcome: Literal["promote", "hold", "rollback"]
    """Decision for the step."""
    score: float | None = None
    """canary-gate score, when known."""


class RunInfo(StrictModel):
    """The GitHub Actions run that wrote the record."""

    repository: str | None = None
    run_id: str | None = None
    run_attempt: int | None = None
    workflow: str | None = None
    ref: str | None = None
    event_name: str | None = None
    server_url: str | None = None


class AuditRecord(StrictModel):
    """One line of audit.jsonl. `hash` is sha256 of the canonical JSON without `hash`."""

    schema_version: Literal[1] = RECORD_SCHEMA
    seq: int = Field(ge=0)
    """Position in the log, from 0, without gaps."""
    prev: str = Field(pattern=HEX64)
    """`hash` of the previous record (64 zeros for the first)."""
    hash: str = Field(pattern=HEX64)
    timestamp: str
    """When the event happened, ISO-8601 UTC."""
    event: Event
    """deploy (final outcome of a deployment), canary-step, or rollback."""
    deployment_id: str
    """Groups the records of one deployment (default: run id, else version@sha)."""
    environment: str
    version: str
    """Release version."""
    git_sha: str
    commit_time: str | None = None
    """Commit time of git_sha, ISO-8601 (for lead time)."""
    deployer: str
    """Who triggered the deploy (GitHub actor)."""
    approvers: list[Approval] = Field(default_factory=list)
    approval_ticket: str | None = None
    """Change ticket id."""
    changes: Changes = Changes()
    manifest: Manifest
    gates: list[GateEvidence] = Field(default_factory=list)
    rollback_plan: RollbackPlan | None = None
    canary: CanaryStep | None = None
    traffic_percent: float | None = Field(default=None, ge=0, le=100)
    """Traffic on the new release after this event."""
    success: bool
    """Whether this event succeeded (a failed step or deploy is recorded too)."""
    planned: bool = True
    """False for remediation deploys."""
    incident_id: str | None = None
    """Incident a remediation deploy restores from."""
    incident_opened_at: str | None = None
    """When that incident started, ISO-8601 (for time to restore)."""
    run: RunInfo | None = None
    genai_gate_commit: str | None = None
    """The genai-gate commit that judged the run ($GENAI_GATE_COMMIT)."""
    notes: str | None = None


class _FactoryDefaults(GenerateJsonSchema):
    """Writes the value of each `default_factory` as the field's default (record_check fills
    defaults from the schema)."""

    def get_default_value(self, schema: core_schema.WithDefaultSchema) -> Any:
        factory = schema.get("default_factory")
        if factory is not None and not schema.get("default_factory_takes_data"):
            return factory()  # type: ignore[call-arg]
        return super().get_default_value(schema)


def record_schema_text() -> str:
    """The JSON Schema of a record, as `record_check.SCHEMA_FILE` holds it."""
    schema = AuditRecord.model_json_schema(schema_generator=_FactoryDefaults)
    return json.dumps(schema, indent=1) + "\n"
