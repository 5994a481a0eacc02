"""`exact`: the answer equals the expected text (whitespace- and, by default, case-insensitive)."""

from __future__ import annotations

from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.scorers.base import Sample, Score, Scorer, normalize
from genai_gate.schema import StrictModel


class ExactParams(StrictModel):
    """Parameters of `exact`."""

    value: str | None = None
    """Expected text; default: the case's `expected.answer`."""
    case_sensitive: bool = False
    normalize: bool = True
    """Compare NFKC text with collapsed whitespace; false: the raw texts (as promptfoo does)."""


class Exact(Scorer):
    """1 when the whole answer equals the expected text, else 0."""

    name = "exact"
    Params = ExactParams
    params: ExactParams

    def _expected(self, case: Case) -> str | None:
        return self.params.value if self.params.value is not None else case.expected.answer

    def applies(self, case: Case) -> bool:
        """Needs a value or a reference answer."""
        return self._expected(case) is not None

    def score(self, sample: Sample) -> Score:
        """Compare normalised texts."""
        expected = self._expected(sample.case) or ""
        sensitive = self.params.case_sensitive
        if self.params.normalize:
            same = normalize(sample.answer, sensitive) == normalize(expected, sensitive)
        else:
            same = (
                sample.answer == expected
                if sensitive
                else sample.answer.lower() == expected.lower()
            )
        if same:
            return Score(1.0, "answer equals the expected text")
        return Score(0.0, f"answer differs from {expected[:60]!r}")
