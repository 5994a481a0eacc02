"""The scorer interface: a score in [0, 1] with a reason, for one sample of one case."""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError

from genai_gate.gates.eval.case import Case
from genai_gate.schema import StrictModel
from genai_gate.targets.interface import ChatRequest, ChatResponse


class NoParams(StrictModel):
    """A scorer without parameters."""


class ScorerConfigError(ValueError):
    """A scorer's parameters are invalid (located by the caller)."""


class InvalidVerdict(ValueError):
    """A judge answered something that is not a valid verdict."""


@dataclass(frozen=True)
class Score:
    """What a scorer concluded about one sample."""

    value: float
    """Score in [0, 1]."""
    reason: str
    """Why, in one line."""
    method: str = ""
    """How it was computed when a scorer has several ways (e.g. `lexical fallback`)."""


@dataclass(frozen=True)
class Sample:
    """One answer of the target to one case."""

    case: Case
    response: ChatResponse
    index: int = 0
    """Sample number (0-based) within the case's repeats."""

    @property
    def answer(self) -> str:
        """The answer text."""
        return self.response.content or ""


class Scorer(ABC):
    """Base of every scorer; subclasses set `name`, `Params` and implement `score`."""

    name: ClassVar[str]
    """Name used in config (`type:`) and reports."""
    Params: ClassVar[type[BaseModel]] = NoParams
    """Pydantic model of the scorer's parameters."""
    params: BaseModel
    """The validated parameters (subclasses narrow the type to their `Params`)."""
    default_threshold: ClassVar[float] = 1.0
    """Score a sample needs to pass when the config gives no threshold."""

    def __init__(self, params: dict[str, Any]) -> None:
        try:
            self.params = self.Params.model_validate(params)
        except ValidationError as exc:
            first = exc.errors(include_url=False)
            text = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'params'}: {e['msg']}" for e in first
            )
            raise ScorerConfigError(text) from None
        self.check()

    def check(self) -> None:  # noqa: B027 - optional hook
        """Validate parameters beyond their types (raise ScorerConfigError)."""

    def applies(self, case: Case) -> bool:
        """Whether the scorer has something to check on this case (else it is skipped)."""
        return True

    @abstractmethod
    def score(self, sample: Sample) -> Score:
        """Score one sample."""


class JudgeScorer(Scorer):
    """A scorer that asks the judge model for a JSON verdict."""

    needs_judge: ClassVar[bool] = True

    @abstractmethod
    def judge_messages(self, sample: Sample) -> list[dict[str, str]]:
        """The chat messages sent to the judge."""

    def judge_request(self, sample: Sample, seed: int, model: str | None) -> ChatRequest:
        """The judge request for `sample` (temperature 0, the sample's seed)."""
        return ChatRequest(
            messages=tuple(self.judge_messages(sample)), temperature=0.0, seed=seed, model=model
        )

    def parse_verdict(self, sample: Sample, text: str) -> Score:
        """Turn the judge's reply into a Score; raise InvalidVerdict if it is not valid."""
        verdict = parse_json_verdict(text)
        return Score(verdict[0], f"judge: {verdict[1]}" if verdict[1] else "judge verdict")

    def fallback(self, sample: Sample) -> Score | None:
        """Score without a judge (None: this scorer needs one)."""
        return None

    def score(self, sample: Sample) -> Score:
        """Without a judge round trip only the fallback can score."""
        fallback = self.fallback(sample)
        if fallback is None:
            raise ScorerConfigError(f"{self.name} needs a judge (set eval.judge.target)")
        return fallback


_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


def parse_json_verdict(text: str) -> tuple[float, str]:
    """(score, reason) from `{"score": 0..1, "reason": "..."}`; InvalidVerdict otherwise."""
    import json

    match = _FENCE.match(text)
    body = match.group(1) if match else text.strip()
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise InvalidVerdict(f"not JSON ({exc.msg}): {text[:80]!r}") from None
    if not isinstance(data, dict):
        raise InvalidVerdict(f"expected a JSON object, got {type(data).__name__}")
    score = data.get("score")
    if isinstance(score, bool) or not isinstance(score, (int, float)):
        raise InvalidVerdict(f"`score` must be a number, got {score!r}")
    if not 0 <= score <= 1:
        raise InvalidVerdict(f"`score` must be within [0, 1], got {score}")
    reason = data.get("reason", "")
    if not isinstance(reason, str):
        raise InvalidVerdict("`reason` must be a string")
    return float(score), reason.strip()


def normalize(text: str, case_sensitive: bool = False) -> str:
    """NFKC, collapsed whitespace and (unless case-sensitive) casefolded text for matching."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return text if case_sensitive else text.casefold()


_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (punctuation dropped) for overlap scorers."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())
