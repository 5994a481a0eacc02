"""One golden-dataset case (a line of a JSONL dataset; reference: docs/dataset.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from genai_gate.gates.eval.settings import ScorerSpec
from genai_gate.schema import StrictModel

_FIELDS_SETS: dict[frozenset[str], set[str]] = {}
"""One `fields_set` per combination of fields given, shared by the dataset models that give it."""


class _DatasetModel(StrictModel):
    """A model a dataset holds thousands of: instances share their `fields_set`."""

    def model_post_init(self, context: Any, /) -> None:
        """Share the set of given fields with the instances that gave the same (a frozen model
        never changes it; a copy gets a set of its own): 216 bytes less per instance."""
        given = self.__pydantic_fields_set__
        shared = _FIELDS_SETS.setdefault(frozenset(given), given)
        object.__setattr__(self, "__pydantic_fields_set__", shared)


class Message(_DatasetModel):
    """An OpenAI chat message given as a case input."""

    model_config = StrictModel.model_config | {"extra": "allow"}

    role: Literal["system", "user", "assistant", "tool"]
    """Who speaks."""
    content: str | None = None
    """The message text (None for an assistant message that only calls tools)."""


class ExpectedToolCall(_DatasetModel):
    """A tool call the agent must make; `arguments` lists only the constrained arguments."""

    name: str
    """Tool (function) name."""
    arguments: dict[str, Any] = Field(default_factory=dict)
    """Expected argument values; a value `{"regex": "..."}` or `{"any": true}` is a constraint."""


class Expected(_DatasetModel):
    """What a correct answer looks like; every field is optional and checked only when given."""

    answer: str | None = None
    """Reference answer text (for overlap scorers and the judge)."""
    facts: list[str] | None = None
    """Strings that must all appear (case-insensitive)."""
    any_of: list[str] | None = None
    """Strings of which at least one must appear."""
    not_contains: list[str] | None = None
    """Strings that must not appear."""
    tool_calls: list[ExpectedToolCall] | None = None
    """Tool calls the agent must make; `[]` means no tool may be called; absent: not checked."""
    tool_order: bool = False
    """When true the expected tool calls must happen in the given order."""
    regex: str | None = None
    """A regular expression the answer must match."""
    number: float | None = None
    """A number the answer must state (see the `numeric` scorer for tolerance)."""
    json_schema: dict[str, Any] | None = None
    """A JSON Schema the answer (parsed as JSON) must satisfy."""


class Case(_DatasetModel):
    """One eval case."""

    id: str = Field(min_length=1)
    """Stable identifier, unique within the dataset."""
    input: str | list[Message]
    """The user message, or a full list of chat messages."""
    session: dict[str, str] = Field(default_factory=dict)
    """Who the user is (e.g. `customer_id`), passed to the target."""
    context: list[str] = Field(default_factory=list)
    """Documents given to the agent as retrieved context."""
    tool_outputs: dict[str, str] = Field(default_factory=dict)
    """Canned outputs for named tools (agent targets)."""
    expected: Expected = Expected()
    """What a correct answer contains; `scorers: auto` derives the scorers from it."""
    tags: list[str] = Field(default_factory=list)
    """Labels for filtering (`eval.suites.<name>.tags`) and per-tag figures."""
    prompt: str | None = None
    """Prompt registry id this case exercises (used by `--changed-only`)."""
    weight: float = Field(default=1.0, ge=0)
    """Weight of the case in suite means and pass rates."""
    scorers: list[ScorerSpec] | None = None
    """Scorers for this case only (replace the suite's)."""
    threshold: float | None = Field(default=None, ge=0, le=1)
    """When set, a sample passes when its weighted score reaches this, even if single scorers
    fail (promptfoo's test `threshold`); unset: every scorer must pass."""
    description: str | None = None
    """What the case checks, in words (shown beside the id in reports)."""

    @field_validator("input")
    @classmethod
    def _input_not_empty(cls, value: str | list[Message]) -> str | list[Message]:
        if isinstance(value, list) and not value:
            raise ValueError("input messages must not be empty")
        return value

    def messages(self) -> list[dict[str, Any]]:
        """The input as OpenAI chat messages."""
        if isinstance(self.input, str):
            return [{"role": "user", "content": self.input}]
        return [m.model_dump(exclude_none=True) for m in self.input]

    def question(self) -> str:
        """The last user message (what the judge is told was asked)."""
        for message in reversed(self.messages()):
            if message.get("role") == "user":
                return str(message.get("content") or "")
        return ""
