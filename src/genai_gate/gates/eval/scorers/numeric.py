"""`numeric`: the answer states a number within a tolerance of the expected one.

Numbers are read with thousands separators (`1,250.40`, `1.250,40`, `1 250.40`); the sample
passes when any number in the answer is within `abs_tol` or `rel_tol` of the expected value.
"""

from __future__ import annotations

import math
import re

from pydantic import Field

from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.scorers.base import Sample, Score, Scorer
from genai_gate.schema import StrictModel

_NUMBER = re.compile(r"[-\u2212]?\d+(?:[.,\u00a0]\d+)*")


class NumericParams(StrictModel):
    """Parameters of `numeric`."""

    value: float | None = None
    """Expected number; default: the case's `expected.number`."""
    abs_tol: float = Field(default=0.0, ge=0)
    rel_tol: float = Field(default=1e-9, ge=0)


def numbers_in(text: str) -> list[float]:
    """Every number written in `text`; an ambiguous `1,250` / `1.250` yields both readings."""
    out: list[float] = []
    for match in _NUMBER.finditer(text):
        out += _readings(match.group(0).replace("\u2212", "-").replace("\u00a0", ""))
    return out


def _readings(raw: str) -> list[float]:
    if "," in raw and "." in raw:  # the last separator is the decimal one
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        group = "." if decimal == "," else ","
        return [float(raw.replace(group, "").replace(decimal, "."))]
    for sep in (",", "."):
        parts = raw.split(sep)
        if len(parts) == 1:
            continue
        grouped = all(len(p) == 3 for p in parts[1:])
        if len(parts) > 2:
            return [float(raw.replace(sep, ""))] if grouped else []
        as_decimal = float(raw.replace(sep, "."))
        return [as_decimal, float(raw.replace(sep, ""))] if grouped else [as_decimal]
    return [float(raw)]


class Numeric(Scorer):
    """1 when some number in the answer is close enough to the expected value."""

    name = "numeric"
    Params = NumericParams
    params: NumericParams

    def _expected(self, case: Case) -> float | None:
        return self.params.value if self.params.value is not None else case.expected.number

    def applies(self, case: Case) -> bool:
        """Needs an expected number."""
        return self._expected(case) is not None

    def score(self, sample: Sample) -> Score:
        """Look for a close number."""
        want = self._expected(sample.case)
        assert want is not None
        found = numbers_in(sample.answer)
        tol = {"rel_tol": self.params.rel_tol, "abs_tol": self.params.abs_tol}
        close = [n for n in found if math.isclose(n, want, **tol)]
        if close:
            return Score(1.0, f"states {close[0]:g} (expected {want:g})")
        listed = ", ".join(f"{n:g}" for n in found[:5]) or "no number"
        return Score(0.0, f"expected {want:g}, answer has {listed}")
