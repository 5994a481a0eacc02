"""One attack as judged: the attack, what the agent did, and the verdict or why there is none.

Produced by `attack_run`, read by the report and by the LLM judge that adds its verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from genai_gate.gates.injection.suite import Attack
from genai_gate.runner import Outcome

if TYPE_CHECKING:
    from genai_gate.gates.injection.deterministic_judge import Verdict


@dataclass
class Judged:
    """One attack with its outcome and verdict (None when the request failed)."""

    attack: Attack
    outcome: Outcome | None
    verdict: Verdict | None
    error: str | None = None
    undelivered: str | None = None
    """Why the attack never reached the agent (then there is no verdict and no error)."""
