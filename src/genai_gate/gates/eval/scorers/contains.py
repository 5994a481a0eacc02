"""`contains`, `contains-all`, `contains-any`, `not-contains`: substrings of the answer.

Matching is on NFKC-normalised text with collapsed whitespace, case-insensitive by default.
`contains-all` defaults to the case's `expected.facts`, `contains-any` to `expected.any_of`,
`not-contains` to `expected.not_contains`.
"""

from __future__ import annotations

from pydantic import model_validator

from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.scorers.base import Sample, Score, Scorer, normalize
from genai_gate.schema import StrictModel


class ContainsParams(StrictModel):
    """Parameters of the contains family."""

    value: str | None = None
    """One expected string (shorthand for `values: [value]`)."""
    values: list[str] | None = None
    """Expected strings; default: taken from the case's `expected`."""
    case_sensitive: bool = False
    normalize: bool = True
    """Match on NFKC text with collapsed whitespace; false: raw substrings (as promptfoo does)."""

    @model_validator(mode="after")
    def _one_of(self) -> ContainsParams:
        if self.value is not None and self.values is not None:
            raise ValueError("give `value` or `values`, not both")
        return self


def _raw(text: str, case_sensitive: bool) -> str:
    """The text as written (lower-cased unless case-sensitive, like JS `toLowerCase`)."""
    return text if case_sensitive else text.lower()


class _ContainsBase(Scorer):
    Params = ContainsParams
    params: ContainsParams
    field: str = ""

    def _values(self, case: Case) -> list[str] | None:
        if self.params.value is not None:
            return [self.params.value]
        if self.params.values is not None:
            return self.params.values
        return getattr(case.expected, self.field) if self.field else None

    def applies(self, case: Case) -> bool:
        """Needs strings from the parameters or from the case's `expected`."""
        return bool(self._values(case))

    def _found(self, sample: Sample) -> tuple[list[str], list[str]]:
        sensitive = self.params.case_sensitive
        prepare = normalize if self.params.normalize else _raw
        answer = prepare(sample.answer, sensitive)
        values = self._values(sample.case) or []
        found = [v for v in values if prepare(v, sensitive) in answer]
        missing = [v for v in values if v not in found]
        return found, missing


class Contains(_ContainsBase):
    """1 when every given string appears (partial credit per string)."""

    name = "contains"
    field = "facts"

    def score(self, sample: Sample) -> Score:
        """Share of expected strings found."""
        found, missing = self._found(sample)
        total = len(found) + len(missing)
        if not missing:
            return Score(1.0, f"contains {', '.join(repr(v) for v in found)}")
        return Score(len(found) / total, f"missing {', '.join(repr(v) for v in missing)}")


class ContainsAll(Contains):
    """Every fact must appear; the score is the share found."""

    name = "contains-all"


class ContainsAny(_ContainsBase):
    """At least one string must appear."""

    name = "contains-any"
    field = "any_of"

    def score(self, sample: Sample) -> Score:
        """1 when any expected string is found."""
        found, missing = self._found(sample)
        if found:
            return Score(1.0, f"contains {found[0]!r}")
        return Score(0.0, f"contains none of {', '.join(repr(v) for v in missing)}")


class NotContains(_ContainsBase):
    """None of the strings may appear."""

    name = "not-contains"
    field = "not_contains"

    def score(self, sample: Sample) -> Score:
        """1 when no forbidden string is found, else 0."""
        found, _ = self._found(sample)
        if found:
            return Score(0.0, f"contains forbidden {', '.join(repr(v) for v in found)}")
        return Score(1.0, "contains none of the forbidden strings")
