"""Failing-case evidence: masked and truncated input/answer, expected facts, dataset line, shown
once in console, Markdown (step summary and PR comment) and JUnit."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.evidence import MAX_TEXT, case_evidence
from genai_gate.report import console, junit, markdown
from genai_gate.report.comment import render_body
from genai_gate.results import CaseResult, Finding, GateResult, Severity, Status

TOKEN = "ghp_" + "a1B2" * 9
ANSWER = f"Sure! Your IBAN is ES9121000418450200051332, token {TOKEN}, write to ana@example.com"


def failing_result() -> GateResult:
    case = Case.model_validate(
        {
            "id": "001-iban-question",
            "description": "IBAN question",
            "input": "What is my IBAN?",
            "expected": {"facts": ["ES91"], "not_contains": ["ghp_"]},
        }
    )
    details = {"suite": "golden", **case_evidence(case, ANSWER, "golden.jsonl:7")}
    details["baseline"] = {"status": "pass", "score": 1.0, "change": "regressed"}
    failing = CaseResult(id=case.id, status=Status.FAIL, score=0.5, reason="leaked a token",
                         details=details)  # fmt: skip
    passing = CaseResult(id="002-ok", status=Status.PASS, score=1.0)
    finding = Finding(
        rule_id="eval/regression",
        severity=Severity.ERROR,
        message="golden/001-iban-question regressed: leaked a token",
        properties={"case": case.id},
    )
    return GateResult(
        gate="eval-gate", status=Status.FAIL, cases=[failing, passing], findings=[finding]
    )


def test_evidence_is_masked_and_truncated() -> None:
    case = Case.model_validate({"id": "x", "input": "q " * 400, "expected": {"regex": "EUR"}})
    evidence = case_evidence(case, ANSWER, "data.jsonl:3")
    assert TOKEN not in evidence["answer"] and "ghp_… (40 chars)" in evidence["answer"]
    assert "ES9121000418450200051332" not in evidence["answer"]
    assert "ana@example.com" not in evidence["answer"]
    assert len(evidence["input"]) == MAX_TEXT and evidence["input"].endswith("…")
    assert evidence["expected"] == ["regex: EUR"] and evidence["source"] == "data.jsonl:3"


def test_markdown_and_comment_show_each_failure_once_with_evidence() -> None:
    result = failing_result()
    for text in (markdown.render(result), render_body([result])):
        assert text.count("001-iban-question") == 1  # not again as a finding
        assert "fail, regressed (was 1.00)" in text
        assert "**description:** IBAN question<br>**where:** golden.jsonl:7" in text
        assert "**input:** What is my IBAN?" in text
        assert "**expected:** facts: ES91; not\\_contains: ghp\\_" in text
        assert TOKEN not in text and "ana@example.com" not in text


def test_console_shows_evidence_once() -> None:
    text = console.render(failing_result(), width=300)
    assert text.count("001-iban-question") == 1
    assert "where: golden.jsonl:7" in text and "input: What is my IBAN?" in text
    assert "answer: Sure! Your IBAN is" in text and TOKEN not in text


def test_junit_failure_carries_evidence_and_dataset_line() -> None:
    root = ET.fromstring(junit.render(failing_result()))
    case = root.find(".//testcase[@name='001-iban-question']")
    assert case is not None and case.get("file") == "golden.jsonl" and case.get("line") == "7"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "regressed: score 0.5: leaked a token"
    assert "input: What is my IBAN?" in (failure.text or "")
    assert "expected: facts: ES91; not_contains: ghp_" in (failure.text or "")
    assert TOKEN not in (failure.text or "")


def test_report_states_the_gate_rules_and_which_are_defaults() -> None:
    from genai_gate.gates.eval.report import markdown_section
    from genai_gate.gates.eval.settings import EvalSettings
    from genai_gate.gates.eval.verdict import policy

    settings = EvalSettings.model_validate(
        {
            "suites": {
                "golden": {"dataset": "golden.jsonl"},
                "tone": {"dataset": "tone.jsonl", "thresholds": {"min_pass_rate": 0.9}},
            }
        }
    )
    pol = policy(settings, ["golden", "tone"], 0, baseline=True, repeat=1)
    text = markdown_section(
        GateResult(gate="eval-gate", status=Status.PASS, details={"policy": pol})
    )
    assert "- golden: min_pass_rate 1: every case must pass (*default*); no significant " in text
    assert "regression: on (*default*)" in text
    assert "- tone: min_pass_rate 0.9; no significant regression: on (*default*)" in text
