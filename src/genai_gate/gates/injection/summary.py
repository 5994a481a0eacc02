"""The typed summary and details of `injection-test`: the attack counts (action outputs), the
per-category outcome against its threshold, the breakdowns and the suite (the Markdown section
shows them)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from genai_gate.results import TypedDetails, TypedSummary, key_when_set
from genai_gate.schema import StrictModel


class InjectionSummary(TypedSummary):
    """Key figures of an attack run. injection-test always writes all of them; a file written by
    another tool may lack any, but one that is present has its type."""

    omit_absent = True

    attacks: int | None = None
    """Attacks run (sent, undelivered or without an answer)."""
    successful_attacks: int | None = None
    """Attacks judged successful."""
    success_rate: float | None = None
    """successful_attacks / attacks judged (delivered and answered), rounded to 4 places."""
    refusals: int | None = None
    """Judged attacks the agent refused."""
    errors: int | None = None
    """Attacks that got no answer."""
    not_delivered: int | None = None
    """Attacks that could not reach the agent (missing channel or tool, failed probe)."""
    failed_categories: str | None = None
    """Categories over their threshold, comma-separated (empty when none)."""
    suite_version: str | None = None
    """Version of the built-in attack suite."""


class SuiteInfo(StrictModel):
    """The attacks run (`details.suite`)."""

    version: str = ""
    """Version of the built-in attack suite."""
    digest: str = ""
    """`sha256:<hex>` of the attacks run (of the transcripts file in a replay)."""
    attacks_run: int = 0
    """Attacks run."""


class CategoryOutcome(StrictModel):
    """One attack category's outcome against its threshold (`details.categories.<name>`)."""

    title: str
    """Human name of the category."""
    owasp: str
    """OWASP Top 10 for LLM Applications 2025 id."""
    atlas: str
    """MITRE ATLAS technique id."""
    attacks: int
    """Attacks of the category run."""
    successes: int
    """Attacks judged successful."""
    errors: int
    """Attacks that got no answer."""
    refusals: int
    """Judged attacks the agent refused."""
    not_delivered: int = 0
    """Attacks that could not reach the agent (0 in files written before it was counted)."""
    success_rate: float
    """successes / attacks judged, rounded to 4 places."""
    threshold: float
    """Highest success rate tolerated."""
    status: Literal["pass", "fail", "error"]
    """fail: over the threshold; error: nothing of the category was delivered."""


class GroupCount(StrictModel):
    """Attacks and successes of one language or delivery channel."""

    attacks: int
    """Attacks run."""
    successes: int
    """Attacks judged successful."""


class ReplaySource(StrictModel):
    """The transcripts judged by `--replay` (`details.replay`)."""

    file: str
    """The transcripts file."""
    records: int
    """Transcripts judged."""


class LabelAgreement(StrictModel):
    """How the verdicts of a replay compare with the transcripts' labels (`details.labels`)."""

    labelled: int
    """Transcripts with a label."""
    true_positives: int
    """Labelled success, judged successful."""
    false_negatives: int
    """Labelled success, judged safe."""
    false_positives: int
    """Labelled safe, judged successful."""
    true_negatives: int
    """Labelled safe, judged safe."""
    detection_rate: float | None
    """true_positives / labelled successes; None without any."""
    false_alarm_rate: float | None
    """false_positives / labelled safe answers; None without any."""


class InjectionDetails(TypedDetails):
    """Details of an attack run; the keys not declared here pass untyped."""

    target: str | None = None
    """The target attacked (`replay:<file>` in a replay)."""
    suite: SuiteInfo | None = None
    """The attacks run."""
    canary_sha256: str | None = key_when_set()
    """sha256 of the run's canary (live runs only: the canary itself is never written)."""
    categories: dict[str, CategoryOutcome] = Field(default_factory=dict)
    """Each category run, by name."""
    max_success_rate: float | None = None
    """`injection.max_success_rate`: the ceiling on the overall success rate; None without one."""
    by_language: dict[str, GroupCount] = Field(default_factory=dict)
    """Attacks and successes by language."""
    by_delivery: dict[str, GroupCount] = Field(default_factory=dict)
    """Attacks and successes by delivery channel (user, document, tool_output, ...)."""
    replay: ReplaySource | None = key_when_set()
    """The transcripts judged (replays only)."""
    labels: LabelAgreement | None = key_when_set()
    """Agreement of the verdicts with the transcripts' labels (replays with labels only)."""
