"""`token-f1`: token-overlap F1 between the answer and the reference answer (SQuAD style)."""

from __future__ import annotations

from collections import Counter

from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.scorers.base import Sample, Score, Scorer, tokens
from genai_gate.schema import StrictModel


class ReferenceParams(StrictModel):
    """Parameters of the reference-overlap scorers."""

    reference: str | None = None
    """Reference text; default: the case's `expected.answer`."""


def f1(answer: list[str], reference: list[str]) -> float:
    """Harmonic mean of token precision and recall (bag of tokens)."""
    common = sum((Counter(answer) & Counter(reference)).values())
    if not answer or not reference or not common:
        return 1.0 if answer == reference else 0.0
    precision, recall = common / len(answer), common / len(reference)
    return 2 * precision * recall / (precision + recall)


class ReferenceScorer(Scorer):
    """Base of scorers comparing with a reference text."""

    Params = ReferenceParams
    params: ReferenceParams
    default_threshold = 0.5

    def _reference(self, case: Case) -> str | None:
        return self.params.reference if self.params.reference is not None else case.expected.answer

    def applies(self, case: Case) -> bool:
        """Needs a reference text."""
        return self._reference(case) is not None


class TokenF1(ReferenceScorer):
    """Token F1 with the reference answer."""

    name = "token-f1"

    def score(self, sample: Sample) -> Score:
        """F1 over lower-cased word tokens."""
        value = f1(tokens(sample.answer), tokens(self._reference(sample.case) or ""))
        return Score(value, f"token F1 {value:.2f} with the reference answer")
