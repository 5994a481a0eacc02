"""`tool-calls`: the agent called the expected tools with the expected arguments.

Each expected call must be matched by a distinct actual call with the same name whose arguments
satisfy every listed constraint (other arguments are free). An argument constraint is a literal
value (numbers compare numerically, strings exactly), `{"regex": "..."}` or `{"any": true}`.
Calls to tools that are not expected fail the case unless `allow_extra` is set (repeated calls of
an expected tool are fine). `[]` expected means no tool may be called. With `order` the expected
calls must happen in the given order.
"""

from __future__ import annotations

import re
from typing import Any

from genai_gate.gates.eval.case import Case, ExpectedToolCall
from genai_gate.gates.eval.scorers.base import Sample, Score, Scorer
from genai_gate.schema import StrictModel
from genai_gate.targets.interface import ToolCall


class ToolCallsParams(StrictModel):
    """Parameters of `tool-calls`."""

    calls: list[ExpectedToolCall] | None = None
    """Expected calls; default: the case's `expected.tool_calls`."""
    order: bool | None = None
    """Require the expected order; default: the case's `expected.tool_order`."""
    allow_extra: bool = False
    """Tolerate calls to tools that are not expected."""


def argument_matches(expected: Any, actual: Any) -> bool:
    """Whether one actual argument value satisfies one expected constraint."""
    if isinstance(expected, dict) and set(expected) == {"regex"}:
        return actual is not None and re.fullmatch(str(expected["regex"]), str(actual)) is not None
    if isinstance(expected, dict) and set(expected) == {"any"}:
        return bool(expected["any"]) or actual is None
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        try:
            return float(actual) == float(expected)
        except (TypeError, ValueError):
            return False
    if isinstance(expected, dict) and isinstance(actual, dict):
        return all(argument_matches(v, actual.get(k)) for k, v in expected.items())
    return bool(expected == actual)


def call_matches(expected: ExpectedToolCall, actual: ToolCall) -> bool:
    """Same name and every constrained argument satisfied."""
    if expected.name != actual.name:
        return False
    return all(
        key in actual.arguments or (isinstance(value, dict) and value == {"any": False})
        for key, value in expected.arguments.items()
    ) and all(argument_matches(v, actual.arguments.get(k)) for k, v in expected.arguments.items())


class ToolCalls(Scorer):
    """Share of expected calls matched; 0 on unexpected tools or a forbidden call."""

    name = "tool-calls"
    Params = ToolCallsParams
    params: ToolCallsParams

    def _expected(self, case: Case) -> list[ExpectedToolCall] | None:
        return self.params.calls if self.params.calls is not None else case.expected.tool_calls

    def applies(self, case: Case) -> bool:
        """Checked when calls are expected, including `[]` (no call allowed)."""
        return self._expected(case) is not None

    def score(self, sample: Sample) -> Score:
        """Match expected calls against the calls made."""
        expected = self._expected(sample.case) or []
        actual = list(sample.response.tool_calls)
        made = ", ".join(c.name for c in actual) or "none"
        if not expected:
            if actual:
                return Score(0.0, f"no tool call allowed, called {made}")
            return Score(1.0, "no tool called, as expected")
        names = {e.name for e in expected}
        extra = sorted({c.name for c in actual if c.name not in names})
        if extra and not self.params.allow_extra:
            return Score(0.0, f"unexpected tool call(s): {', '.join(extra)}")
        order = self.params.order
        if order is None:
            order = sample.case.expected.tool_order
        matched, unmatched = _match(expected, actual, order)
        if not unmatched:
            return Score(1.0, f"called {made}" + (" in order" if order else ""))
        details = "; ".join(_describe(e, actual) for e in unmatched)
        return Score(matched / len(expected), f"missing {details} (called {made})")


def _match(
    expected: list[ExpectedToolCall], actual: list[ToolCall], order: bool
) -> tuple[int, list[ExpectedToolCall]]:
    used: set[int] = set()
    start = 0
    unmatched = []
    for want in expected:
        candidates = range(start, len(actual)) if order else range(len(actual))
        hit = next((i for i in candidates if i not in used and call_matches(want, actual[i])), None)
        if hit is None:
            unmatched.append(want)
            continue
        used.add(hit)
        start = hit + 1 if order else start
    return len(expected) - len(unmatched), unmatched


def _describe(want: ExpectedToolCall, actual: list[ToolCall]) -> str:
    same_name = [c for c in actual if c.name == want.name]
    if not same_name:
        return f"{want.name}()"
    wrong = [
        f"{k}={c.arguments.get(k)!r} (expected {v!r})"
        for c in same_name[:1]
        for k, v in want.arguments.items()
        if not argument_matches(v, c.arguments.get(k))
    ]
    return f"{want.name}({', '.join(wrong) or 'out of order'})"
