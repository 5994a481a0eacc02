"""Annotations within GitHub's limits, counted across the steps of a job; no repeats in a merge.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step and 50 per job,
summed over the job's steps (actions/toolkit, docs/problem-matchers.md, "Limitations"); the
rest vanish silently. act does not enforce either limit, so the commands are counted here the
way the runner parses them: one `::error ` / `::warning ` / `::notice ` line each.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from genai_gate.cli import main
from genai_gate.report import github
from genai_gate.results import Finding, GateResult, Location, Severity, Status

ANNOTATION = re.compile(r"^::(error|warning|notice)[ :].*$", re.MULTILINE)


def findings(count: int, severity: Severity, prefix: str = "F") -> list[Finding]:
    return [
        Finding(
            rule_id=f"{prefix}{i:03d}",
            severity=severity,
            message=f"problem {i}",
            location=Location(path="src/agent.py", line=i + 1),
        )
        for i in range(count)
    ]


def job_env(tmp_path: Path, step: str) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true",
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
        "GITHUB_RUN_ID": "77",
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_JOB": "checks",
        "GITHUB_ACTION": step,
        "GITHUB_STEP_SUMMARY": str(tmp_path / f"summary-{step}.md"),
    }


def publish(result: GateResult, env: dict[str, str], **kwargs: bool) -> list[str]:
    """Annotation commands one step prints."""
    (Path(env["RUNNER_TEMP"])).mkdir(exist_ok=True)
    out = io.StringIO()
    github.publish(result, None, environ=env, out=out, **kwargs)
    text = out.getvalue().split("::stop-commands::")[0]  # the report after it is inert
    return [m.group(0) for m in ANNOTATION.finditer(text)]


def test_six_steps_of_one_job_print_at_most_50_annotations(tmp_path: Path) -> None:
    printed: list[list[str]] = []
    for step in range(6):
        result = GateResult(
            gate=f"gate-{step}",
            status=Status.PASS,
            findings=findings(12, Severity.ERROR) + findings(4, Severity.WARNING, "W"),
        )
        printed.append(publish(result, job_env(tmp_path, f"__run_{step}")))
    counts = [len(lines) for lines in printed]
    assert counts == [14, 14, 14, 8, 0, 0]  # 10 errors + 4 warnings a step, until 50
    assert sum(counts) == 50
    for lines in printed:
        assert sum(line.startswith("::error") for line in lines) <= 10
    summary = (tmp_path / "summary-__run_3.md").read_text()
    assert (
        "> **Annotations:** 9 not shown (5 errors, 4 warnings): GitHub shows 10 per level per step "
        in (summary)
    )
    summary = (tmp_path / "summary-__run_5.md").read_text()
    assert "> **Annotations:** 16 not shown (12 errors, 4 warnings)" in summary
    assert "Every finding is listed in this summary and in the results file." in summary


def test_two_results_printed_by_one_step_share_its_ten_per_level(tmp_path: Path) -> None:
    env = job_env(tmp_path, "__run")
    first = publish(
        GateResult(gate="a", status=Status.PASS, findings=findings(7, Severity.NOTE)), env
    )
    second = publish(
        GateResult(gate="b", status=Status.PASS, findings=findings(7, Severity.NOTE)), env
    )
    assert len(first) == 7
    assert len(second) == 3  # 2 findings and the note that 5 were omitted
    assert (
        "5 more notice annotations omitted (GitHub shows 10 per level per step, 50 per job)"
        in (second[-1])
    )
    assert "> **Annotations:** 5 not shown (5 notices)" in (
        Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    )


def test_a_new_job_starts_with_a_fresh_budget(tmp_path: Path) -> None:
    env = job_env(tmp_path, "__run")
    for _ in range(5):
        publish(
            GateResult(gate="a", status=Status.PASS, findings=findings(10, Severity.ERROR)), env
        )
    assert (
        publish(GateResult(gate="a", status=Status.PASS, findings=findings(1, Severity.ERROR)), env)
        == []
    )
    next_job = {**env, "GITHUB_JOB": "security"}
    lines = publish(
        GateResult(gate="a", status=Status.PASS, findings=findings(1, Severity.ERROR)), next_job
    )
    assert len(lines) == 1


def shard(index: int, count: int, items: list[Finding]) -> GateResult:
    return GateResult(
        gate="prompt-lint",
        status=Status.FAIL,
        title=f"shard {index}",
        summary={"findings": len(items)},
        findings=items,
        details={"shard": {"index": index, "count": count}},
    )


def test_report_merge_does_not_repeat_the_shards_annotations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = []
    for index in range(2):
        result = shard(index, 2, findings(3, Severity.ERROR, prefix=f"S{index}-"))
        shard_lines = publish(result, job_env(tmp_path, f"__shard{index}"))
        assert len(shard_lines) == 4  # the gate's own error + its 3 findings
        files.append(result.write(tmp_path / f"shard-{index}.json"))
    env = job_env(tmp_path / "merge-job", "__merge")
    Path(env["RUNNER_TEMP"]).mkdir(parents=True)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("GITHUB_OUTPUT", raising=False)
    merged = str(tmp_path / "merged.json")
    code = main(
        ["report", "merge", *map(str, files), "--output-file", merged, "--format", "github"]
    )
    assert code == 1
    out = capsys.readouterr().out.split("::stop-commands::")[0]
    lines = ANNOTATION.findall(out)
    assert lines == ["error"], out  # only the merged verdict, not the 6 findings again
    assert "title=prompt-lint failed::" in out
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert "the findings were annotated by the shard steps; the merge does not repeat them" in (
        summary
    )
    assert "S1-002" in summary  # the findings are still listed in the merged summary


def test_a_damaged_state_file_costs_accuracy_not_the_report(tmp_path: Path) -> None:
    env = job_env(tmp_path, "__run")
    publish(GateResult(gate="a", status=Status.PASS, findings=findings(1, Severity.ERROR)), env)
    (state,) = Path(env["RUNNER_TEMP"]).glob("genai-gate-annotations-*.json")
    state.write_text("{not json")
    lines = publish(
        GateResult(gate="a", status=Status.PASS, findings=findings(3, Severity.ERROR)), env
    )
    assert len(lines) == 3


def test_outside_actions_nothing_is_kept_between_commands(tmp_path: Path) -> None:
    env = {k: v for k, v in job_env(tmp_path, "__run").items() if k != "GITHUB_ACTIONS"}
    result = GateResult(gate="a", status=Status.PASS, findings=findings(30, Severity.WARNING))
    for _ in range(3):
        assert len(publish(result, env)) == 10  # a fresh step every time
    assert list(Path(env["RUNNER_TEMP"]).iterdir()) == []
