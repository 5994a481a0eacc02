"""`regex`: the answer matches (or with `negate`, does not match) a regular expression."""

from __future__ import annotations

import re

from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.scorers.base import Sample, Score, Scorer, ScorerConfigError
from genai_gate.schema import StrictModel


class RegexParams(StrictModel):
    """Parameters of `regex`."""

    pattern: str | None = None
    """Python regular expression searched in the answer; default: the case's `expected.regex`."""
    ignore_case: bool = False
    negate: bool = False
    """Pass when the pattern does NOT match."""
    ascii_classes: bool = False
    """`\\d`, `\\w`, `\\b` match ASCII only, as in JavaScript (promptfoo's `regex`)."""


class Regex(Scorer):
    """1 when the pattern is found (or not found, with `negate`)."""

    name = "regex"
    Params = RegexParams
    params: RegexParams

    def check(self) -> None:
        """Compile the configured pattern now, so a bad one is a config error."""
        if self.params.pattern is not None:
            self._compile(self.params.pattern)

    def _compile(self, pattern: str) -> re.Pattern[str]:
        try:
            flags = re.IGNORECASE if self.params.ignore_case else 0
            return re.compile(pattern, flags | (re.ASCII if self.params.ascii_classes else 0))
        except re.error as exc:
            raise ScorerConfigError(f"invalid regular expression {pattern!r}: {exc}") from None

    def _pattern(self, case: Case) -> str | None:
        return self.params.pattern if self.params.pattern is not None else case.expected.regex

    def applies(self, case: Case) -> bool:
        """Needs a pattern from the parameters or the case."""
        return self._pattern(case) is not None

    def score(self, sample: Sample) -> Score:
        """Search the pattern in the answer."""
        pattern = self._pattern(sample.case) or ""
        found = self._compile(pattern).search(sample.answer) is not None
        verb = "matches" if found else "does not match"
        return Score(1.0 if found != self.params.negate else 0.0, f"{verb} /{pattern}/")
