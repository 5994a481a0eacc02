"""The `github` reporter: outputs, step summary, annotations, masks, stop-commands."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

import pytest

from genai_gate.context import Context
from genai_gate.report import github, markdown, publish, workflow
from genai_gate.results import CaseResult, Finding, GateResult, Location, Severity, Status


def parse_output_file(text: str) -> dict[str, str]:
    """Parse $GITHUB_OUTPUT the way the runner does (key=value and key<<DELIM heredocs)."""
    values: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delimiter = line.split("<<", 1)
            body = []
            while lines[i] != delimiter:
                body.append(lines[i])
                i += 1
            i += 1
            assert key not in values, f"output {key} set twice"
            values[key] = "\n".join(body)
        else:
            key, value = line.split("=", 1)
            values[key] = value
    return values


def unescape_data(value: str) -> str:
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(value: str) -> str:
    return unescape_data(value.replace("%3A", ":").replace("%2C", ","))


def finding(i: int, severity: Severity = Severity.ERROR, path: str = "prompts/a.yaml") -> Finding:
    return Finding(
        rule_id=f"PL{i:03d}",
        severity=severity,
        message=f"problem {i}",
        location=Location(path=path, line=i + 1),
    )


def test_outputs_hold_status_results_file_and_every_summary_key(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = GateResult(  # figures of any type: a gate without a typed summary (a job's)
        gate="job-tests",
        status=Status.PASS,
        summary={"pass_rate": 0.975, "cases": 40, "flaky": False, "regressed_cases": ["a", "b"]},
    )
    env = {"GITHUB_OUTPUT": str(out)}
    github.publish(result, tmp_path / "job-tests.json", environ=env, out=io.StringIO())
    values = parse_output_file(out.read_text())
    assert values == {
        "status": "pass",
        "results-file": str(tmp_path / "job-tests.json"),
        "pass-rate": "0.975",
        "cases": "40",
        "flaky": "false",
        "regressed-cases": '["a","b"]',
    }


def test_heredoc_delimiter_never_collides_with_the_value(tmp_path: Path, monkeypatch) -> None:
    fixed = uuid.UUID("12345678-1234-5678-1234-567812345678")
    hostile = f"x\nghadelimiter_{fixed}\nstatus=pass\nstatus<<EOF\npass\nEOF"
    calls = iter([fixed, fixed, uuid.UUID(int=7), uuid.UUID(int=8), uuid.UUID(int=9)])
    monkeypatch.setattr(workflow.uuid, "uuid4", lambda: next(calls))
    text = workflow.format_outputs({"title": hostile, "status": "fail"})
    assert parse_output_file(text) == {"title": hostile, "status": "fail"}
    assert f"title<<ghadelimiter_{fixed}\n" not in text  # the colliding delimiter was replaced


def test_output_values_with_heredoc_text_round_trip_through_publish(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sneaky = "ok\nghadelimiter_0\nstatus=pass\n"
    result = GateResult(gate="cost-estimate", status=Status.FAIL, summary={"note": sneaky})
    github.publish(result, None, environ={"GITHUB_OUTPUT": str(out)}, out=io.StringIO())
    values = parse_output_file(out.read_text())
    assert values["status"] == "fail"
    assert values["note"] == sneaky


def test_invalid_summary_key_is_refused() -> None:
    result = GateResult(gate="x", status=Status.PASS, summary={"bad key\n": 1})
    with pytest.raises(ValueError, match="cannot be an output name"):
        github.outputs(result, None)


def test_annotations_are_capped_at_ten_per_level_with_a_note() -> None:
    findings = [finding(i) for i in range(25)]
    findings += [finding(100 + i, Severity.WARNING) for i in range(3)]
    findings += [finding(200 + i, Severity.NOTE) for i in range(12)]
    result = GateResult(
        gate="prompt-lint", status=Status.FAIL, title="25 errors", findings=findings
    )
    lines = github.annotations(result)
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    notices = [line for line in lines if line.startswith("::notice ")]
    assert len(errors) == 10 and len(warnings) == 3 and len(notices) == 10
    # 26 error annotations (gate failure + 25 findings): 9 shown, the 10th notes 17 omitted
    assert "17 more error annotations omitted" in errors[-1]
    assert "3 more notice annotations omitted" in notices[-1]
    assert errors[0].startswith("::error title=prompt-lint failed::25 errors")


def test_annotation_escapes_data_and_properties() -> None:
    nasty = Finding(
        rule_id="R1",
        severity=Severity.ERROR,
        message="100% broken\r\nnext line ::error::x",
        rule_name="a:b,c",
        location=Location(path="dir,with:odd/file.yaml", line=3, column=5),
    )
    result = GateResult(gate="g", status=Status.PASS, findings=[nasty])
    (line,) = github.annotations(result)
    assert "\n" not in line and "\r" not in line
    match = re.fullmatch(r"::error (?P<props>[^:]*)::(?P<msg>.*)", line)
    assert match, line
    props = dict(p.split("=", 1) for p in match["props"].split(","))
    assert unescape_property(props["file"]) == "dir,with:odd/file.yaml"
    assert props["line"] == "3" and props["col"] == "5"
    assert unescape_property(props["title"]) == "g: a:b,c"
    assert unescape_data(match["msg"]) == "R1: 100% broken\r\nnext line ::error::x"


def test_untrusted_text_is_printed_only_inside_stop_commands(monkeypatch) -> None:
    reason = "model said:\n::add-mask::oops\n::error::pwned\n::set-env name=X::1"
    result = GateResult(
        gate="injection-test",
        status=Status.FAIL,
        title="1 attack succeeded",
        cases=[CaseResult(id="leak-1", status=Status.FAIL, reason=reason)],
    )
    tokens = iter(["pwned", "0" * 32])  # first random token occurs in the text: must be redrawn
    monkeypatch.setattr(workflow.secrets, "token_hex", lambda n: next(tokens))
    text = github.render(result)
    lines = text.splitlines()
    start = lines.index("::stop-commands::" + "0" * 32)
    end = lines.index("::" + "0" * 32 + "::")
    outside = lines[:start] + lines[end + 1 :]
    assert all(not re.search(r"pwned|oops|set-env", line) for line in outside)
    inside = "\n".join(lines[start + 1 : end])
    assert "::error::pwned" in inside
    assert "model said:" in inside


def test_masks_come_first_and_cover_each_line_of_a_secret(tmp_path: Path) -> None:
    out = io.StringIO()
    result = GateResult(gate="eval-gate", status=Status.PASS, title="ok")
    github.publish(result, None, secrets=["s3cr3t-key", "line1\nline2", ""], environ={}, out=out)
    lines = out.getvalue().splitlines()
    masks = [line for line in lines if line.startswith("::add-mask::")]
    assert lines[: len(masks)] == masks
    assert "::add-mask::s3cr3t-key" in masks
    assert "::add-mask::line1" in masks and "::add-mask::line2" in masks
    assert "::add-mask::" not in lines  # no empty mask


def test_step_summary_appends_markdown_within_the_limit(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step output\n")
    cases = [
        CaseResult(id=f"case-{i:05d}", status=Status.FAIL, reason="é" * 400) for i in range(6000)
    ]
    result = GateResult(gate="eval-gate", status=Status.FAIL, cases=cases)
    github.publish(result, None, environ={"GITHUB_STEP_SUMMARY": str(summary)}, out=io.StringIO())
    data = summary.read_bytes()
    assert data.startswith(b"# earlier step output\n")
    assert len(data) <= markdown.STEP_SUMMARY_LIMIT
    assert "Truncated" in data.decode("utf-8")


def test_step_summary_that_is_already_full_gets_a_one_line_note(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_bytes(b"x" * (markdown.STEP_SUMMARY_LIMIT - 6000))
    result = GateResult(gate="eval-gate", status=Status.PASS)
    github.publish(result, None, environ={"GITHUB_STEP_SUMMARY": str(summary)}, out=io.StringIO())
    data = summary.read_bytes()
    assert len(data) <= markdown.STEP_SUMMARY_LIMIT
    assert data.endswith(b"eval-gate: pass (report omitted: step summary is full)\n")


def _published_in_actions(tmp_path: Path, monkeypatch, capsys, fmt: str, reason: str) -> str:
    """What `publish` prints in GitHub Actions (`fmt`) for a failed eval-gate case with `reason`."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    ctx = Context(config_path=tmp_path / "none.yaml", results_dir=tmp_path, formats=[fmt])
    result = GateResult(
        gate="eval-gate",
        status=Status.FAIL,
        cases=[CaseResult(id="c", status=Status.FAIL, reason=reason)],
    )
    publish(result, ctx, tmp_path / "eval-gate.json")
    return capsys.readouterr().out


def test_publish_in_actions_wraps_console_output_in_stop_commands(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    out = _published_in_actions(tmp_path, monkeypatch, capsys, "console", "::error::injected")
    lines = out.splitlines()
    assert lines[0].startswith("::stop-commands::")
    token = lines[0].removeprefix("::stop-commands::")
    assert lines[-1] == f"::{token}::"
    assert any("injected" in line for line in lines[1:-1])


def test_publish_masks_the_secrets_the_config_names(tmp_path: Path, monkeypatch, capsys) -> None:
    config = tmp_path / "genai-gate.yaml"
    config.write_text(
        "version: 1\n"
        "targets:\n"
        "  llm: {type: openai, model: m, base_url: 'http://127.0.0.1:1/v1', "
        "api_key_env: GG_TEST_KEY}\n"
    )
    monkeypatch.setenv("GG_TEST_KEY", "sk-test-0123456789")
    for name in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    ctx = Context(config_path=config, results_dir=tmp_path, formats=["github"])
    assert ctx.config.model.targets  # loaded, as a gate would have done
    publish(GateResult(gate="eval-gate", status=Status.PASS), ctx, tmp_path / "r.json")
    assert capsys.readouterr().out.splitlines()[0] == "::add-mask::sk-test-0123456789"


def test_json_printed_in_actions_stays_parseable(tmp_path: Path, monkeypatch, capsys) -> None:
    reason = "line one\n::error::injected"
    out = _published_in_actions(tmp_path, monkeypatch, capsys, "json", reason)
    assert GateResult.model_validate_json(out).cases[0].reason == reason
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())


def test_junit_printed_in_actions_is_wrapped(tmp_path: Path, monkeypatch, capsys) -> None:
    out = _published_in_actions(tmp_path, monkeypatch, capsys, "junit", "x\n::error::injected")
    lines = out.splitlines()
    assert any(line.startswith("::error::injected") for line in lines)  # only the wrapper stops it
    token = lines[0].removeprefix("::stop-commands::")
    assert lines[0] != token and lines[-1] == f"::{token}::"
