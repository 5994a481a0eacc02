"""The recorded answer of a production transcript: the part every replay file shares.

`injection-test --replay` and `eval-gate --replay` read recorded conversations instead of calling
a target. Both record the agent's answer the same way (`id`, `response`, `tool_calls`), so one
exporter writes both files; each adds what its judge needs (the attack and planted secrets, or
the eval case's input and expectations).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from genai_gate.schema import StrictModel
from genai_gate.targets.interface import ChatResponse, ToolCall


class RecordedToolCall(StrictModel):
    """One tool call the agent made."""

    name: str = Field(min_length=1)
    """Tool (function) name."""
    arguments: dict[str, Any] = Field(default_factory=dict)
    """Arguments the agent passed."""


class RecordedAnswer(StrictModel):
    """What the agent answered in the recorded conversation."""

    response: str = ""
    """The agent's answer text."""
    tool_calls: list[RecordedToolCall] = Field(default_factory=list)
    """Tool calls made while answering, in order."""

    def chat_response(self) -> ChatResponse:
        """The recorded answer as a target would have returned it."""
        calls = tuple(ToolCall(call.name, dict(call.arguments)) for call in self.tool_calls)
        return ChatResponse(self.response, calls)
