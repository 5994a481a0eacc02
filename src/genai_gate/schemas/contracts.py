"""The contracts an agent implements, as models: what a `python` target (and the deployed agent's
chat endpoint) receives and returns, and what its health endpoint answers.

genai-gate builds these payloads itself (`ChatRequest.cache_payload`, `python.to_response`,
`smoke.probe`); the models exist so the contract is published as JSON Schema (`docs/`), and
tests check them against the code and against the example agent's real answers.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Contract(BaseModel):
    model_config = ConfigDict(extra="allow")


class AgentRequest(_Contract):
    """The request dict a `python` target's callable gets (`function(request, **options)`) and
    the JSON body the smoke test POSTs to the deployed agent's chat path."""

    messages: list[dict[str, Any]]
    """OpenAI chat messages (`{"role": ..., "content": ...}`), tool results included."""
    tools: list[dict[str, Any]] = Field(default_factory=list)
    """OpenAI tool definitions offered to the model (empty for most eval cases)."""
    temperature: float | None = None
    """Sampling temperature asked for by the gate (None: the agent's own)."""
    max_tokens: int | None = None
    """Completion token limit asked for by the gate (None: the agent's own)."""
    seed: int | None = None
    """Seed of this sample (`eval.seed + k` for sample k), for reproducible answers."""
    model: str | None = None
    """Model override (None: the agent's configured model)."""
    context: list[str] = Field(default_factory=list)
    """Documents the test case supplies as retrieved context (add them to your retrieval)."""
    tool_outputs: dict[str, str] = Field(default_factory=dict)
    """Canned outputs for named tools (injection tests plant indirect attacks here)."""
    session: dict[str, str] = Field(default_factory=dict)
    """Who the user is (e.g. `customer_id`): scope tools to it."""


class ReplyToolCall(_Contract):
    """A tool call the agent made."""

    name: str
    """Tool (function) name."""
    arguments: dict[str, Any] | str = Field(default_factory=dict)
    """Arguments as an object, or the JSON text the model produced."""
    id: str = ""
    """Call id, when the model gave one."""


class ReplyUsage(_Contract):
    """Tokens the agent spent (summed over its model calls)."""

    prompt_tokens: int = 0
    """Input tokens."""
    completion_tokens: int = 0
    """Output tokens."""


class AgentReply(_Contract):
    """What the callable returns (a plain string is also accepted: the answer text) and what
    the deployed chat endpoint answers as JSON."""

    content: str = ""
    """The answer text shown to the user."""
    tool_calls: list[ReplyToolCall] = Field(default_factory=list)
    """Tool calls made while answering, in order (scored by `tool-calls`, checked by
    injection-test's tool policy)."""
    usage: ReplyUsage | None = None
    """Token usage, for cost figures (absent: counted as 0)."""
    model: str | None = None
    """Model that answered."""


class HealthCheck(_Contract):
    """One dependency check of the health answer."""

    ok: bool
    """Whether the dependency works."""


class HealthAnswer(_Contract):
    """What the deployed agent answers on `smoke.health_path` (GET)."""

    status: Literal["ok", "healthy", "pass", "up"] | str
    """Overall status; `ok`, `healthy`, `pass` or `up` (any case) count as healthy."""
    checks: dict[str, HealthCheck | bool | str] | list[dict[str, Any]] = Field(default_factory=dict)
    """Dependency checks by name (`{"db": {"ok": true}}`), or a list of `{"name", "ok"}`;
    with `smoke.require_checks` an empty set fails the smoke test."""
