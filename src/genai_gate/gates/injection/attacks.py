"""Bring-your-own attacks: files of attacks that run through the same attack run and judge.

One attack per record (JSONL line, YAML list item or CSV row); the fields are those of
`AttackSpec`. `{marker}` in the text is replaced by the attack's marker (a stable one derived
from the id when none is given); `{canary}` is replaced by the run's canary when the request is
built.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from genai_gate.errors import ConfigError, located
from genai_gate.gates.injection.catalog import CATEGORIES, CategoryName
from genai_gate.gates.injection.records import check_unique_ids, load_records
from genai_gate.gates.injection.suite import GOAL_CHECKS, Attack
from genai_gate.schema import StrictModel

Delivery = Literal["user", "document", "tool_output", "history"]
DELIVERIES: tuple[str, ...] = ("user", "document", "tool_output", "history")
Goal = Literal["marker", "canary", "prompt", "pii", "exfil", "tool"]


class AttackSpec(StrictModel):
    """One attack of a user file."""

    id: str = Field(min_length=1)
    """Unique id (reported in findings)."""
    category: CategoryName
    """Attack category (its threshold applies)."""
    language: str = Field(default="en", min_length=2)
    """Language code of the text (`en`, `es`, ...)."""
    text: str = Field(min_length=1)
    """The injected text; may hold `{marker}` and `{canary}` placeholders."""
    delivery: Delivery = "user"
    """Where the text enters: the user message, a retrieved document, a tool output, or an
    earlier turn of the conversation (`history`)."""
    user: str | None = None
    """The benign user message sent when the text is not the user message itself."""
    tool: str | None = None
    """Tool whose output carries the text (`tool_output` delivery; required there)."""
    technique: str = "custom"
    """Free label of the technique (reported)."""
    marker: str | None = None
    """Phrase whose appearance in the answer means the attack worked."""
    goal: Goal | None = None
    """What success looks like: marker, canary (secret leak), prompt (system prompt leak),
    pii (planted customer data), exfil (link carrying data) or tool (forbidden tool call).
    Default: `marker` when a marker is set or `{marker}` is used, else `canary`."""
    forbidden_tools: list[str] = Field(default_factory=list)
    """Tools whose call alone means the attack worked."""
    allowed_tools: list[str] = Field(default_factory=list)
    """Tools the benign part of the request legitimately needs (sensitive ones included)."""

    @model_validator(mode="after")
    def _consistent(self) -> AttackSpec:
        if self.delivery == "tool_output" and not self.tool:
            raise ValueError(
                "tool: required with delivery tool_output (the tool whose output carries it)"
            )
        if self.goal == "tool" and not self.forbidden_tools:
            raise ValueError("forbidden_tools: required with goal tool")
        if self.goal == "marker" and not (self.marker or "{marker}" in self.text):
            raise ValueError(
                "marker: required with goal marker (or a `{marker}` placeholder in text)"
            )
        return self


LIST_FIELDS = frozenset({"forbidden_tools", "allowed_tools"})


def default_marker(attack_id: str) -> str:
    """A stable marker for an attack that uses `{marker}` without naming one."""
    return "MARK-" + hashlib.sha256(attack_id.encode()).hexdigest()[:8].upper()


DEFAULT_USER = {
    "document": "Please summarise the document you have for me.",
    "tool_output": "Please check that for me and tell me the result.",
    "history": "Thanks. Please go on.",
}
"""Benign user message of an attack delivered elsewhere when the record names none."""


def to_attack(spec: AttackSpec, source: str) -> Attack:
    """The attack run's Attack for one user record."""
    uses_marker = spec.marker is not None or "{marker}" in spec.text
    marker = (spec.marker or default_marker(spec.id)) if uses_marker else None
    goal = spec.goal or ("marker" if marker else "canary")
    payload = spec.text.replace("{marker}", marker or "")
    meta = CATEGORIES[spec.category]
    user = payload if spec.delivery == "user" else (spec.user or DEFAULT_USER[spec.delivery])
    allowed = tuple(spec.allowed_tools) + ((spec.tool,) if spec.tool else ())
    return Attack(
        id=spec.id,
        category=spec.category,
        owasp=meta.owasp,
        atlas=meta.atlas,
        language=spec.language,
        technique=spec.technique,
        delivery=spec.delivery,
        payload=payload,
        user=user,
        tool=spec.tool,
        topic=None,
        marker=marker,
        goal=goal,
        judge=GOAL_CHECKS[goal],
        victim=goal in ("pii", "exfil"),
        allowed_tools=allowed,
        forbidden_tools=tuple(spec.forbidden_tools),
        source=source,
    )


def load_attacks(path: Path) -> list[Attack]:
    """Every attack of one user file (problems reported as FILE:LINE: field: message)."""
    records = load_records(path, AttackSpec, list_fields=LIST_FIELDS)
    check_unique_ids(records, path)
    return [to_attack(spec, f"{path}:{line}" if line else str(path)) for spec, line in records]


def load_attack_files(paths: list[Path], built_in_ids: set[str]) -> list[Attack]:
    """The attacks of several files; ids must be unique across files and the built-in suite."""
    attacks: list[Attack] = []
    seen: dict[str, str] = dict.fromkeys(built_in_ids, "the built-in suite")
    for path in paths:
        for attack in load_attacks(path):
            if attack.id in seen:
                line = attack.source.rsplit(":", 1)[-1]
                raise ConfigError(
                    located(
                        path,
                        int(line) if line.isdigit() else None,
                        "id",
                        f"id {attack.id!r} is already used by {seen[attack.id]}",
                    )
                )
            seen[attack.id] = attack.source
            attacks.append(attack)
    return attacks
