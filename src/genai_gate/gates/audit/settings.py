"""The `audit:` section of genai-gate.yaml: where the log lives, how it is signed, the policy."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from genai_gate.schema import StrictModel

DEFAULT_GATES = ["prompt-lint", "injection-test", "eval-gate", "cost-estimate"]


class StoreSettings(StrictModel):
    """Where the audit log is kept."""

    kind: Literal["local", "git"] = "local"
    """local: a folder with audit.jsonl and checkpoints.jsonl; git: a branch pushed to a remote."""
    path: str = ".genai-gate/audit"
    """local store: folder of the log, relative to the config file."""
    branch: str = "genai-audit"
    """git store: branch holding the log (protect it: no force pushes, no deletion)."""
    remote: str = "origin"
    """git store: remote name or URL the branch is pushed to."""
    repo: str = "."
    """git store: local git repository used to talk to the remote, relative to the config file."""
    max_attempts: int = Field(default=1000, ge=1, le=100000)
    """git store: compare-and-swap attempts lost to other writers before giving up (exit 3)."""
    network_attempts: int = Field(default=8, ge=0, le=100)
    """git store: retries in a row of a fetch or push whose connection failed or dropped."""
    deadline_s: float = Field(default=900.0, gt=0)
    """git store: longest time an append keeps retrying (exit 3 after it)."""
    backoff_base_s: float = Field(default=0.05, ge=0)
    """git store: first retry delay; doubles per attempt, with full jitter."""
    backoff_max_s: float = Field(default=2.0, ge=0)
    """git store: longest retry delay."""


class PolicySettings(StrictModel):
    """Evidence `audit-log check` requires before a production deploy."""

    require_pr_approval: bool = True
    """The PR has `min_approvals` approving reviews and no pending change request."""
    min_approvals: int = Field(default=1, ge=1)
    """Approving reviews needed, counted once per reviewer (latest review wins)."""
    approval_on_head: bool = False
    """Approvals count only when given on the exact head commit being deployed."""
    required_gates: list[str] = Field(default_factory=lambda: list(DEFAULT_GATES))
    """Gates whose results file must say `pass` for the exact sha being deployed."""
    require_security_scan: bool = True
    """A `security-scan` results file that passed on the exact sha being deployed."""
    cost_limit_pct: float = Field(default=50.0, ge=0)
    """Projected cost increase above which `cost_approval_label` is required on the PR."""
    cost_approval_label: str = "cost-approved"
    """PR label approving a cost increase over the limit."""
    ticket_pattern: str | None = r"\b[A-Z][A-Z0-9]+-\d+\b"
    """Regex a change ticket id must match in the PR title or body; null to skip the check."""
    privacy_review_label: str = "privacy-reviewed"
    """PR label required when a new data source or knowledge-base snapshot ships."""
    approval_environments: list[str] = Field(default_factory=lambda: ["production"])
    """Environments whose deploys need an approval through GitHub environment protection."""

    @field_validator("ticket_pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"invalid regular expression: {exc}") from None
        return value


class DoraTargets(StrictModel):
    """Targets `audit-log dora` compares the metrics with."""

    deployments_per_week: float = Field(default=1.0, gt=0)
    """Deployment frequency target: at least this many production deployments a week."""
    lead_time_hours: float = Field(default=2.0, gt=0)
    """Median lead time (commit to 100% traffic) must be below this."""
    change_failure_rate_pct: float = Field(default=5.0, ge=0)
    """Share of changes rolled back or linked to an incident must be below this."""
    time_to_restore_minutes: float = Field(default=15.0, gt=0)
    """Median time to restore service must be below this."""
    success_rate_pct: float = Field(default=95.0, ge=0, le=100)
    """Share of deployments that reach 100% traffic and stay must be above this."""
    window_days: int = Field(default=90, ge=1)
    """Period the metrics cover, ending now."""
    environment: str = "production"
    """Environment whose deployments count."""


class AuditSettings(StrictModel):
    """Settings of the audit-log command."""

    # defaults built unvalidated: the nested models' validators are built only when a config
    # is read, not on import (`audit-log record` without a config builds none)
    store: StoreSettings = StoreSettings.model_construct()
    """Where the log is kept."""
    signing_key_env: str = "GENAI_GATE_AUDIT_KEY"
    """Environment variable holding the Ed25519 private key that signs checkpoints (a secret:
    in GitHub, a secret of the `production` environment)."""
    public_keys: list[str] = Field(default_factory=list)
    """Files (relative to the config) with the published Ed25519 public keys, old and new:
    `verify` accepts checkpoints signed by any of them and no other."""
    public_keys_env: str = "GENAI_GATE_AUDIT_PUBLIC_KEYS"
    """Environment variable that may hold published public keys too (e.g. a repository
    variable), one per line or as PEM blocks."""
    legacy_hmac_key_env: str | None = None
    """Environment variable with the HMAC secret of checkpoints written before Ed25519; unset,
    such checkpoints are findings."""
    policy: PolicySettings = PolicySettings.model_construct()
    """Evidence required by `audit-log check`."""
    dora: DoraTargets = DoraTargets.model_construct()
    """Targets of `audit-log dora`."""
    data_sources: list[str] = Field(default_factory=list)
    """Files or folders (relative to the config) the agent reads customer or business data from."""
    knowledge_base: str | None = None
    """Knowledge-base folder (relative to the config); its content hash is the snapshot id."""
    tool_files: list[str] = Field(default_factory=list)
    """Files with OpenAI-format tool schemas (JSON or Python literals), for `tools added`."""
    dependency_files: list[str] = Field(
        default_factory=lambda: ["requirements.txt", "requirements.lock", "pyproject.toml"]
    )
    """Requirements files (relative to the config) whose pins are compared with the base ref."""
