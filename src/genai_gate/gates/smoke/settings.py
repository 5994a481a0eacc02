"""The `smoke:` section of genai-gate.yaml: the deployed endpoint and what it must answer."""

from __future__ import annotations

from pydantic import Field

from genai_gate.schema import StrictModel


class SmokeSettings(StrictModel):
    """Settings of the smoke test of a freshly deployed environment."""

    url: str | None = None
    """Base URL of the deployed agent; `--url` overrides it."""
    health_path: str = "/health"
    """GET path answering `{"status": "ok", "checks": {name: {"ok": true, ...}}}`."""
    chat_path: str = "/v1/chat"
    """POST path taking a python-target request and answering `{content, tool_calls, usage}`."""
    require_checks: bool = True
    """The health answer must list its dependency checks (an empty list is a failure)."""
    dataset: str | None = None
    """Golden dataset (JSONL or YAML, eval format) the cases come from, relative to the config."""
    cases: list[str] = Field(default_factory=list)
    """Ids of the dataset cases to send; empty: the first `sample` cases."""
    sample: int = Field(default=5, ge=1, le=100)
    """How many cases to send when `cases` is empty."""
    concurrency: int = Field(default=4, ge=1, le=64)
    """Cases in flight at once."""
    max_latency_p95_ms: float = Field(default=10_000.0, gt=0)
    """Highest allowed 95th percentile of case latency."""
    error_budget: float = Field(default=0.0, ge=0, le=1)
    """Share of cases allowed to fail (HTTP error or wrong answer) before the test fails."""
    connect_timeout_s: float = Field(default=2.0, gt=0, le=60)
    """Timeout to connect (short: an unreachable endpoint must fail fast, exit 3)."""
    timeout_s: float = Field(default=60.0, gt=0, le=600)
    """Time limit of one request, connect and complete answer included."""
    run_timeout_s: float = Field(default=300.0, gt=0, le=3600)
    """Time limit of the whole smoke test (then exit 3)."""
    bearer_token_env: str | None = None
    """Variable whose value is sent as `Authorization: Bearer ...` (never the token itself)."""
