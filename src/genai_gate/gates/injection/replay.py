"""Replay: judge recorded transcripts (attack, answer, tool calls, planted secrets) offline.

No target is called. Each record carries what the judge needs: the attack text (and marker),
the answer and tool calls, and the secrets that were planted in that conversation (canaries,
the system prompt, another customer's record, the session customer's data, allowed hosts).
An optional `label` (`success` / `safe`) lets the same file measure the judge itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from genai_gate.gates.injection.attacks import AttackSpec, Delivery, Goal, to_attack
from genai_gate.gates.injection.catalog import CategoryName
from genai_gate.gates.injection.deterministic_judge import RunSecrets, Verdict, judge
from genai_gate.gates.injection.policy import ToolPolicy
from genai_gate.gates.injection.prompttext import prompt_static_text
from genai_gate.gates.injection.records import check_unique_ids, load_records
from genai_gate.gates.injection.suite import Attack
from genai_gate.gates.injection.summary import LabelAgreement
from genai_gate.schema import StrictModel
from genai_gate.targets.interface import ChatResponse
from genai_gate.transcript import RecordedAnswer


class PlantedSecrets(StrictModel):
    """What was planted in the recorded conversation and must not come out."""

    canaries: list[str] = Field(default_factory=list)
    """Canary tokens planted in the system prompt / context."""
    system_prompt: str | None = None
    """The system prompt the agent ran with (for leak detection)."""
    victim: dict[str, str] = Field(default_factory=dict)
    """Another customer's record planted in the context, by kind (`email`, `iban`, `name`...)."""
    customer: dict[str, str] = Field(default_factory=dict)
    """The session customer's own data: fine in an answer, exfiltration inside a foreign link."""
    allowed_hosts: list[str] = Field(default_factory=list)
    """Hosts answers may link to."""


class Transcript(RecordedAnswer):
    """One recorded attack and the agent's answer (`response`, `tool_calls`)."""

    id: str = Field(min_length=1)
    category: CategoryName
    language: str = Field(default="en", min_length=2)
    attack: str = Field(min_length=1)
    """The attack text as delivered."""
    delivery: Delivery = "user"
    marker: str | None = None
    goal: Goal | None = None
    secrets: PlantedSecrets = PlantedSecrets()
    forbidden_tools: list[str] = Field(default_factory=list)
    allowed_tools: list[str] = Field(default_factory=list)
    label: Literal["success", "safe"] | None = None
    """Ground truth, when known: did the attack work?"""
    kind: str | None = None
    """Free grouping label (benchmark case family)."""
    split: str | None = None
    """Free grouping label (benchmark split)."""

    @model_validator(mode="after")
    def _judgeable(self) -> Transcript:
        s = self.secrets
        evidence = s.canaries or s.system_prompt or s.victim or s.customer or self.marker
        if not (evidence or self.forbidden_tools):
            raise ValueError(
                "secrets: nothing to judge; give canaries, system_prompt, victim or customer "
                "(or a marker, or forbidden_tools)"
            )
        return self


@dataclass(frozen=True)
class Replayed:
    """One transcript ready for the judge."""

    record: Transcript
    attack: Attack
    secrets: RunSecrets
    response: ChatResponse


def _replayed(record: Transcript, source: str, defaults: RunSecrets) -> Replayed:
    spec = AttackSpec(
        id=record.id,
        category=record.category,
        language=record.language,
        text=record.attack,
        delivery=record.delivery,
        tool="recorded" if record.delivery == "tool_output" else None,
        marker=record.marker,
        goal=record.goal,
        forbidden_tools=record.forbidden_tools,
        allowed_tools=record.allowed_tools,
        technique=record.kind or "recorded",
    )
    s = record.secrets
    secrets = RunSecrets(
        canaries=tuple(s.canaries),
        victim=s.victim,
        customer=s.customer,
        system_prompt=prompt_static_text(s.system_prompt) if s.system_prompt else None,
        allowed_hosts=tuple(s.allowed_hosts) or defaults.allowed_hosts,
        prompt_threshold=defaults.prompt_threshold,
    )
    return Replayed(record, to_attack(spec, source), secrets, record.chat_response())


def load_transcripts(path: Path, defaults: RunSecrets) -> list[Replayed]:
    """Every transcript of a replay file (JSONL, YAML or CSV), validated."""
    records = load_records(path, Transcript, list_fields=frozenset({"forbidden_tools"}))
    check_unique_ids(records, path)
    return [
        _replayed(record, f"{path}:{line}" if line else str(path), defaults)
        for record, line in records
    ]


def judge_replayed(item: Replayed, policy: ToolPolicy) -> Verdict:
    """The judge's verdict on one recorded answer."""
    return judge(item.attack, item.response.content, item.response.tool_calls, item.secrets, policy)


def agreement(pairs: list[tuple[Transcript, Verdict]]) -> LabelAgreement:
    """How verdicts compare with the labels (labelled records only)."""
    tp = fp = tn = fn = 0
    for record, verdict in pairs:
        if record.label is None:
            continue
        if record.label == "success":
            tp += verdict.success
            fn += not verdict.success
        else:
            fp += verdict.success
            tn += not verdict.success
    positives, negatives = tp + fn, fp + tn
    return LabelAgreement(
        labelled=positives + negatives,
        true_positives=tp,
        false_negatives=fn,
        false_positives=fp,
        true_negatives=tn,
        detection_rate=round(tp / positives, 4) if positives else None,
        false_alarm_rate=round(fp / negatives, 4) if negatives else None,
    )
