"""The interface every target implements, and the request / response types the runner passes."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from genai_gate.errors import InfraError


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One tool call the model asked for."""

    name: str
    """Tool (function) name."""
    arguments: dict[str, Any]
    """Parsed JSON arguments (empty when they were not valid JSON; see `raw_arguments`)."""
    raw_arguments: str = ""
    """Arguments exactly as the model produced them."""
    id: str = ""
    """Call id assigned by the endpoint."""


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """A chat-completions request in OpenAI message format."""

    messages: tuple[dict[str, Any], ...]
    """`{"role": ..., "content": ...}` messages, including tool results."""
    tools: tuple[dict[str, Any], ...] = ()
    """OpenAI tool definitions offered to the model."""
    temperature: float | None = None
    max_tokens: int | None = None
    seed: int | None = None
    model: str | None = None
    """Overrides the target's configured model when set."""
    context: tuple[str, ...] = ()
    """Documents supplied by the test case as retrieved context (an agent adds them to its own
    retrieval; a plain model target sends them as a system message)."""
    tool_outputs: dict[str, str] = field(default_factory=dict)
    """Canned outputs for named tools, to plant indirect injections (agent targets only)."""
    session: dict[str, str] = field(default_factory=dict)
    """Who the user is (e.g. `customer_id`), for agents that scope tools to the session."""

    def tool_exchange(self) -> list[dict[str, Any]]:
        """`tool_outputs` as the assistant tool calls and tool results a model would have seen
        (for plain model targets, which run no tools of their own)."""
        if not self.tool_outputs:
            return []
        calls = [
            {"id": f"call_{i}", "type": "function", "function": {"name": name, "arguments": "{}"}}
            for i, name in enumerate(self.tool_outputs)
        ]
        results = [
            {"role": "tool", "tool_call_id": f"call_{i}", "content": output}
            for i, output in enumerate(self.tool_outputs.values())
        ]
        return [{"role": "assistant", "content": None, "tool_calls": calls}, *results]

    def cache_payload(self) -> dict[str, Any]:
        """Everything that determines the answer: the full request (part of the cache key)."""
        return {
            "messages": list(self.messages),
            "tools": list(self.tools),
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "seed": self.seed,
            "model": self.model,
            "context": list(self.context),
            "tool_outputs": self.tool_outputs,
            "session": self.session,
        }


@dataclass(frozen=True, slots=True)
class TokenUsage:
    """Tokens reported by the endpoint (or counted by the target when it reports none)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @classmethod
    def from_json(cls, usage: Any) -> TokenUsage:
        """From an OpenAI-style `usage` object; missing, null or zero counts are 0."""
        usage = usage or {}
        return cls(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))


@dataclass(frozen=True, slots=True)
class ChatResponse:
    """What the target answered."""

    content: str
    """Assistant text (empty when the model only called tools)."""
    tool_calls: tuple[ToolCall, ...] = ()
    """Tool calls the model made, in order."""
    usage: TokenUsage = field(default_factory=TokenUsage)
    model: str | None = None
    """Model that answered, as reported by the endpoint."""
    latency_ms: float = 0.0
    """Wall time of the request (0 for a cache hit's replay is not used: the original is kept)."""
    cached: bool = False
    """True when served from the response cache."""


class TargetError(InfraError):
    """A request to the target failed."""

    retryable: bool = False

    def __init__(self, message: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class TransientError(TargetError):
    """429, 5xx or a timeout: worth retrying with backoff (honouring Retry-After)."""

    retryable = True


class ConnectionFailure(TransientError):
    """Could not connect at all; consecutive ones open the circuit breaker."""


class PermanentError(TargetError):
    """A 4xx (other than 429) or an invalid response: retrying will not help."""


class Target(ABC):
    """The agent under test."""

    name: str
    """Name of the target in genai-gate.yaml."""

    @abstractmethod
    def identity(self) -> dict[str, Any]:
        """What distinguishes this target's answers (type, endpoint, model, prompt digest).

        Part of every cache key: never include secrets.
        """

    @abstractmethod
    async def complete(self, request: ChatRequest) -> ChatResponse:
        """Send one request; raise a TargetError subclass on failure."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release connections; the runner calls it once at the end."""
