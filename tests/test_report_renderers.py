"""Console, Markdown, JSON and JUnit renderers; per-gate sections; truncation."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from genai_gate.report import (
    console,
    document,
    junit,
    markdown,
    print_pipeline_summary,
    render,
    sections,
)
from genai_gate.results import (
    CaseResult,
    ErrorKind,
    Finding,
    GateResult,
    Location,
    Severity,
    Status,
    Timings,
    Usage,
)


@pytest.fixture(autouse=True)
def no_registered_sections(monkeypatch):
    """These tests exercise the generic renderers, not the gates' own sections."""
    monkeypatch.setattr(sections, "SECTIONS", {})


def eval_result() -> GateResult:
    return GateResult(
        gate="eval-gate",
        status=Status.FAIL,
        title="3/5 cases passed, mean 0.71",
        summary={"score": 0.71, "pass_rate": 0.6},
        cases=[
            CaseResult(id="ok-1", status=Status.PASS, score=1.0, latency_ms=120.0),
            CaseResult(id="bad-1", status=Status.FAIL, score=0.2, reason="missing [bold]fact[/]"),
            CaseResult(id="err-1", status=Status.ERROR, reason="judge returned malformed JSON"),
            CaseResult(id="flaky-1", status=Status.FLAKY, score=0.6, reason="6/10 samples"),
            CaseResult(id="skip-1", status=Status.SKIPPED, reason="unchanged prompt"),
        ],
        usage=Usage(prompt_tokens=1200, completion_tokens=300, requests=5, cost_usd=0.0012),
        timings=Timings(started_at="2026-11-27T00:00:00+00:00", duration_s=2.5),
    )


def extra_for_tests(result: GateResult) -> str:
    return f"**Regressions:** {len(result.cases)} cases compared"


def test_console_shows_headline_figures_findings_and_failing_cases_literally() -> None:
    result = eval_result()
    result.findings.append(
        Finding(rule_id="E1", severity=Severity.WARNING, message="slow", location=None)
    )
    text = console.render(result)
    assert "eval-gate FAIL  3/5 cases passed, mean 0.71" in text
    assert "pass_rate" in text and "0.6" in text
    assert "missing [bold]fact[/]" in text  # rich markup in model output is not interpreted
    assert "bad-1" in text and "err-1" in text and "flaky-1" in text
    assert "ok-1" not in text and "skip-1" not in text
    assert "failing cases (3 of 5)" in text
    assert "findings (1)" in text
    assert "$0.0012" in text and "2.5 s" in text


def test_markdown_lists_errors_then_failures_then_flaky_and_escapes_text() -> None:
    result = eval_result()
    result.cases[1].reason = "a | b <script>alert(1)</script> @octocat\nsecond line"
    text = markdown.render(result)
    assert text.startswith("## ❌ eval-gate: fail — 3/5 cases passed, mean 0.71\n")
    assert text.index("`err-1`") < text.index("`bad-1`") < text.index("`flaky-1`")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "a \\| b" in text
    assert "@octocat" not in text and "@\u200boctocat" in text
    assert "second line" in text and "\nsecond line" not in text
    assert text.rstrip().endswith("</sub>")


def test_markdown_is_cut_below_the_limit_with_a_note_saying_what_was_cut() -> None:
    result = eval_result()
    result.cases = [
        CaseResult(id=f"c{i:05d}", status=Status.FAIL, reason="x" * 300) for i in range(5000)
    ]
    result.findings = [
        Finding(rule_id="F", severity=Severity.ERROR, message="m", location=Location(path="a"))
    ]
    limit = 200_000
    text = markdown.render(result, limit=limit)
    assert len(text.encode("utf-8")) <= limit
    assert "**Truncated** to stay under 200,000 bytes" in text
    assert "cut short: eval-gate: failing cases (" in text
    assert "of 5004 lines shown" in text
    assert text.rstrip().endswith("</sub>")  # the footer survives
    assert "**Findings (1)**" in text  # blocks before the cut are whole


def test_default_markdown_limit_is_below_one_mebibyte() -> None:
    result = eval_result()
    result.cases = [
        CaseResult(id=f"c{i:05d}", status=Status.FAIL, reason="é" * 300) for i in range(5000)
    ]
    text = markdown.render(result)
    assert len(text.encode("utf-8")) < 1024 * 1024
    assert "Truncated" in text


def test_fit_names_omitted_blocks_and_closes_open_details() -> None:
    blocks = [
        document.Block("intro", "hello"),
        document.Block("big", "<details><summary>x</summary>\n\n" + "line\n" * 400),
        document.Block("tail", "never shown"),
    ]
    text = document.fit(blocks, 1000, limit_desc="1,000 characters")
    assert len(text) <= 1000
    assert "omitted: tail" in text and "cut short: big (" in text
    assert text.count("<details>") == text.count("</details>") == 1
    assert text.index("</details>") < text.index("**Truncated**")
    small = document.fit(blocks[:1], 1000)
    assert small == "hello\n"


def test_registered_section_is_shown_after_the_figures(monkeypatch) -> None:
    monkeypatch.setitem(sections.SECTIONS, "eval-gate", f"{__name__}:extra_for_tests")
    text = markdown.render(eval_result())
    assert text.index("| figure | value |") < text.index("**Regressions:** 5 cases compared")
    assert text.index("**Regressions:**") < text.index("**Failing cases")
    assert "Regressions: 5 cases compared" in console.render(eval_result())


def test_a_section_hook_returning_something_else_than_text_is_an_error(monkeypatch) -> None:
    monkeypatch.setitem(sections.SECTIONS, "eval-gate", "json:dumps")
    with pytest.raises(TypeError):
        markdown.render(eval_result())
    monkeypatch.setitem(sections.SECTIONS, "eval-gate", "no-colon")
    with pytest.raises(ValueError, match="module:function"):
        markdown.render(eval_result())


def test_json_render_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "eval-gate.json"
    path.write_text(render(eval_result(), "json"))
    assert GateResult.read(path) == eval_result()


def test_junit_parses_back_with_cases_as_testcases() -> None:
    result = eval_result()
    result.cases[1].reason = "bad \x00 control \x1b chars"
    root = ET.fromstring(junit.render(result))
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "genai-gate.eval-gate"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("5", "2", "1")
    assert suite.get("skipped") == "1" and suite.get("time") == "2.500"
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert cases["ok-1"].get("time") == "0.120" and len(cases["ok-1"]) == 0
    assert cases["bad-1"].find("failure").get("message") == "score 0.2: bad  control  chars"
    assert cases["flaky-1"].find("failure").get("type") == "flaky"
    assert cases["err-1"].find("error") is not None
    assert cases["skip-1"].find("skipped") is not None
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props == {"score": "0.71", "pass_rate": "0.6"}
    assert root.get("tests") == "5"


def test_junit_flaky_case_that_counts_as_pass_passes_with_a_note() -> None:
    result = eval_result()
    result.cases[3].details["counts_as_pass"] = True
    suite = ET.fromstring(junit.render(result)).find("testsuite")
    flaky = next(c for c in suite.findall("testcase") if c.get("name") == "flaky-1")
    assert flaky.find("failure") is None
    assert flaky.find("system-out").text.startswith("flaky, counts as pass")
    assert suite.get("failures") == "1"


def test_junit_without_cases_reports_findings_and_run_errors() -> None:
    result = GateResult(
        gate="prompt-lint",
        status=Status.ERROR,
        error="registry folder missing",
        error_kind=ErrorKind.USAGE,
        findings=[
            Finding(
                rule_id="PL1",
                severity=Severity.ERROR,
                message="boom",
                location=Location(path="p.yaml", line=2),
            ),
            Finding(rule_id="PL2", severity=Severity.WARNING, message="meh"),
        ],
    )
    suite = ET.fromstring(junit.render(result)).find("testsuite")
    names = [c.get("name") for c in suite.findall("testcase")]
    assert names == ["PL1 p.yaml:2", "PL2 -", "prompt-lint run"]
    assert (suite.get("failures"), suite.get("errors")) == ("1", "1")
    assert suite.findall("testcase")[1].find("system-out").text == "warning: meh"


def test_junit_for_a_passing_gate_without_cases_or_findings() -> None:
    result = GateResult(gate="cost-estimate", status=Status.PASS, title="$12/month")
    suite = ET.fromstring(junit.render(result)).find("testsuite")
    (case,) = suite.findall("testcase")
    assert case.get("name") == "cost-estimate" and len(case) == 0


def test_pipeline_summary_lists_gates_that_did_not_run() -> None:
    out = io.StringIO()
    ran = [
        GateResult(gate="prompt-lint", status=Status.PASS, title="12 prompts ok"),
        GateResult(
            gate="injection-test", status=Status.ERROR, error="target down", title="0/60 ran"
        ),
    ]
    print_pipeline_summary(ran, ["prompt-lint", "injection-test", "eval-gate"], file=out)
    text = out.getvalue()
    assert "12 prompts ok" in text and "0/60 ran" in text
    assert text.index("target down") < text.index("0/60 ran")  # the reason comes first
    assert "eval-gate" in text and "not run" in text
    assert "overall: error" in text


def test_render_rejects_unknown_formats() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(eval_result(), "html")


def test_json_output_is_the_results_file_format() -> None:
    data = json.loads(render(eval_result(), "json"))
    assert data["schema_version"] == 2 and data["gate"] == "eval-gate"
