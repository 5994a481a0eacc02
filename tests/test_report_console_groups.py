"""The console groups cases that failed the same way into one row."""

from __future__ import annotations

import io

from genai_gate.report.console import print_result
from genai_gate.results import CaseResult, GateResult, Status


def test_identical_failures_share_one_row_and_distinct_ones_keep_theirs() -> None:
    cases = [
        CaseResult(id=f"c{i}", status=Status.ERROR, score=0.0, reason="target: not run")
        for i in range(200)
    ]
    cases.append(CaseResult(id="odd", status=Status.FAIL, score=0.5, reason="missing fact"))
    result = GateResult(gate="eval-gate", status=Status.ERROR, cases=cases)
    out = io.StringIO()
    print_result(result, file=out)
    text = out.getvalue()
    assert "c0, c1, c2 … +197 more" in text
    assert "c3," not in text
    assert "odd" in text and "missing fact" in text
    assert "failing cases (201 of 201)" in text
