"""`genai-gate eval-gate` end to end on mock targets: pass, flaky, judge errors, config errors,
baseline regressions, shards and their merge, an unreachable target, --changed-only."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from support.servers import free_port

from genai_gate.cache import ResponseCache
from genai_gate.cli import main
from genai_gate.gates.eval.merge import merge_results
from genai_gate.results import GateResult, Status

DATA = Path(__file__).parent / "data" / "eval"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the eval test project (config, datasets, mock scripts) to edit freely."""
    target = tmp_path / "project"
    shutil.copytree(DATA, target)
    return target


def run(project: Path, *args: str, results: str = "results") -> tuple[int, GateResult | None]:
    out = project / results
    code = main(
        [
            "--config",
            str(project / "genai-gate.yaml"),
            "eval-gate",
            "--results-dir",
            str(out),
            "--format",
            "json",
            *args,
        ]
    )
    path = out / "eval-gate.json"
    return code, GateResult.read(path) if path.exists() else None


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def by_id(result: GateResult) -> dict[str, Any]:
    return {c.id: c for c in result.cases}


def test_default_suite_passes(project: Path) -> None:
    code, result = run(project)
    assert code == 0 and result is not None
    assert result.status is Status.PASS
    assert result.summary["cases"] == 4 and result.summary["passed"] == 4
    assert result.summary["score"] == 1.0
    history = by_id(result)["history-001"]
    assert history.details["scorers"]["tool-calls"]["score"] == 1.0
    json_case = by_id(result)["json-001"]
    assert list(json_case.details["scorers"]) == ["json-schema"]
    assert result.details["suites"]["golden"]["ci"]["method"] == "bootstrap"
    assert result.usage is not None and result.usage.requests == 4


def test_results_file_holds_one_case_per_line_and_reads_back_unchanged(project: Path) -> None:
    code, result = run(project)
    assert code == 0 and result is not None
    text = (project / "results" / "eval-gate.json").read_text(encoding="utf-8")
    data = json.loads(text)  # the standard library's parser reads what was streamed
    assert data == json.loads(result.model_dump_json(exclude_none=True)) | {
        "genai_gate_commit": result.genai_gate_commit
    }
    lines = text.splitlines()
    start = lines.index('  "cases": [')
    case_lines = lines[start + 1 : start + 1 + len(result.cases)]
    assert [json.loads(line.strip().rstrip(","))["id"] for line in case_lines] == [
        c.id for c in result.cases
    ]
    assert lines[start + 1 + len(result.cases)] == "  ],"


def test_flaky_case_reported_with_its_pass_rate(project: Path) -> None:
    edit(project / "genai-gate.yaml", 'cache: {mode: "off"}', "cache: {dir: cache}")
    code, result = run(project, "--suite", "flaky", "--repeat", "10")
    assert code == 1 and result is not None
    case = by_id(result)["capital-001"]
    assert case.status is Status.FLAKY
    assert case.details["passed_samples"] == 6 and case.details["pass_rate"] == 0.6
    assert case.reason.startswith("flaky: passed 6/10 samples")
    assert "capital-001" in (project / "results" / "eval-gate.json").read_text()
    # each sample is its own cache entry: 10 agent answers + 10 judge verdicts
    assert len(ResponseCache(project / "cache").entry_keys()) == 20
    code, again = run(project, "--suite", "flaky", "--repeat", "10")
    assert again is not None and again.usage is not None
    assert again.usage.requests == 0 and again.usage.cached_requests == 20
    assert by_id(again)["capital-001"].details["pass_rate"] == 0.6


def test_flaky_case_can_count_as_pass_by_config(project: Path) -> None:
    edit(
        project / "genai-gate.yaml",
        "      dataset: flaky.jsonl\n",
        "      dataset: flaky.jsonl\n      thresholds: {case_min_pass_rate: 0.5}\n",
    )
    code, result = run(project, "--suite", "flaky", "--repeat", "10")
    assert code == 0 and result is not None
    assert by_id(result)["capital-001"].status is Status.FLAKY


def test_malformed_judge_verdicts_are_errors_never_passes(project: Path) -> None:
    edit(project / "genai-gate.yaml", "script: judge-mock.yaml", "script: judge-broken.yaml")
    code, result = run(project, "--suite", "flaky", "--repeat", "2")
    assert code == 1 and result is not None
    case = by_id(result)["capital-001"]
    assert case.status is Status.ERROR
    assert "llm-judge: invalid judge verdict after 2 attempts: not JSON" in case.reason
    assert result.summary["errors"] == 1 and result.summary["passed"] == 0
    assert any("error budget" in f for f in result.details["failures"])
    # two samples x two attempts each
    assert result.usage is not None and result.usage.requests == 2 + 4


def test_error_budget_excuses_errored_cases(project: Path) -> None:
    edit(
        project / "agent-mock.yaml",
        'reply: \'{"balance": 1250.4, "currency": "EUR"}\'',
        "reply: 'x'",
    )
    edit(project / "genai-gate.yaml", "      thresholds: {min_score: 0.85}\n", "")
    path = project / "golden.jsonl"
    path.write_text(path.read_text() + '{"id": "nothing", "input": "hello"}\n')
    code, result = run(project)
    assert code == 1 and result is not None
    assert by_id(result)["nothing"].status is Status.ERROR
    code, result = run(project, "--max-errors", "1")
    assert result is not None and result.status is Status.FAIL  # json-001 still fails
    edit(project / "golden.jsonl", '{"id": "json-001"', '{"id": "json-001", "weight": 0')
    code, result = run(project, "--max-errors", "1")
    assert code == 0 and result is not None and result.summary["errors"] == 1


def test_unknown_scorer_is_a_located_config_error(project: Path, capsys: Any) -> None:
    edit(project / "genai-gate.yaml", "- {type: contains-all}", "- {type: contains-al}")
    code, _ = run(project, "--suite", "flaky")
    assert code == 2
    err = capsys.readouterr().err
    assert "genai-gate.yaml:19: eval.suites.flaky.scorers.0: unknown scorer 'contains-al'" in err


def test_broken_dataset_line_is_a_located_error(project: Path, capsys: Any) -> None:
    path = project / "golden.jsonl"
    lines = path.read_text().splitlines()
    lines[2] = lines[2][:-1]
    path.write_text("\n".join(lines) + "\n")
    code, result = run(project)
    assert code == 2
    assert f"{path.resolve()}:3: invalid JSON" in capsys.readouterr().err
    assert result is not None and result.status is Status.ERROR and result.incomplete


def test_judge_scorer_without_judge_is_a_config_error(project: Path, capsys: Any) -> None:
    edit(project / "genai-gate.yaml", "  judge: {target: judge, retries: 1}\n", "")
    code, _ = run(project, "--suite", "flaky")
    assert code == 2
    assert "needs a judge: set eval.judge.target" in capsys.readouterr().err


def test_regression_against_baseline_names_the_cases(project: Path) -> None:
    code, _base = run(project, results="base")
    assert code == 0
    edit(project / "agent-mock.yaml", "1,250.40 EUR on account", "1,250.40 on account")
    baseline = project / "base" / "eval-gate.json"
    code, head = run(project, "--baseline", str(baseline), "--format", "markdown")
    assert code == 1 and head is not None
    assert head.summary["regressed"] == 1 and head.summary["fixed"] == 0
    assert head.findings[0].rule_id == "eval/regression"
    assert "balance-001 regressed" in head.findings[0].message
    case = by_id(head)["balance-001"]
    assert case.details["baseline"] == {"status": "pass", "score": 1.0, "change": "regressed"}
    assert "missing 'EUR'" in case.reason
    from genai_gate.report.markdown import render

    text = render(head)
    assert text.index("Regressions (1)") < text.index("### Suites")
    # shown once: with its input, the masked answer, the expected facts and its dataset line
    assert text.count("balance-001") == 1 and "fail, regressed (was 1.00)" in text
    assert "**where:** golden.jsonl:1<br>**input:** What is my balance?<br>" in text
    assert "**answer:** Your balance is 1,250.40 on account ACC-1001-01." in text
    assert "**expected:** facts: 1,250.40, EUR;" in text
    # restoring passes again, with the baseline comparison all unchanged
    edit(project / "agent-mock.yaml", "1,250.40 on account", "1,250.40 EUR on account")
    code, fixed = run(project, "--baseline", str(baseline))
    assert code == 0 and fixed is not None and fixed.summary["regressed"] == 0


def test_new_and_removed_cases(project: Path) -> None:
    code, _ = run(project, results="base")
    path = project / "golden.jsonl"
    lines = path.read_text().splitlines()
    lines[3] = lines[3].replace('"json-001"', '"json-002"')
    path.write_text("\n".join(lines) + "\n")
    code, head = run(project, "--baseline", str(project / "base" / "eval-gate.json"))
    assert code == 0 and head is not None
    assert by_id(head)["json-002"].details["baseline"] == {"change": "new"}
    assert head.details["removed"] == [
        {"suite": "golden", "id": "json-001", "status": "pass", "score": 1.0}
    ]
    assert head.summary["new"] == 1 and head.summary["removed"] == 1


def test_significant_regression_by_paired_test(project: Path) -> None:
    many = [
        json.dumps(
            {"id": f"b{i:02d}", "input": "What is my balance?", "expected": {"facts": ["EUR"]}}
        )
        for i in range(12)
    ]
    (project / "golden.jsonl").write_text("\n".join(many) + "\n")
    edit(
        project / "genai-gate.yaml",
        "      thresholds: {min_score: 0.85}",
        "      thresholds: {min_pass_rate: 0.0}",
    )
    run(project, results="base")
    edit(project / "agent-mock.yaml", "1,250.40 EUR on account", "1,250.40 on account")
    code, head = run(project, "--baseline", str(project / "base" / "eval-gate.json"))
    assert code == 1 and head is not None
    test = head.details["suites"]["golden"]["paired_test"]
    assert test["significant_regression"] and test["worse"] == 12
    assert any("significant regression" in f for f in head.details["failures"])


def test_shards_merge_into_the_unsharded_result(project: Path) -> None:
    many = [
        json.dumps(
            {
                "id": f"case-{i:02d}",
                "input": "What is my balance?" if i % 3 else "When open?",
                "expected": {"facts": ["EUR"]},
            }
        )
        for i in range(20)
    ]
    (project / "golden.jsonl").write_text("\n".join(many) + "\n")
    _code, whole = run(project, results="whole")
    assert whole is not None and whole.status is Status.FAIL
    shards = []
    for index in range(3):
        _, shard = run(project, "--shard", f"{index + 1}/3", results=f"shard{index}")
        assert shard is not None and shard.details["shard"] == {"index": index, "count": 3}
        shards.append(shard)
    assert sum(len(s.cases) for s in shards) == 20 and all(s.cases for s in shards)
    merged = merge_results(list(reversed(shards)))
    for field in ("status", "title", "findings"):
        assert getattr(merged, field) == getattr(whole, field), field
    assert without_latency(merged.summary) == without_latency(whole.summary)
    assert cases_without_latency(merged) == cases_without_latency(whole)
    assert merged.details["suites"] == whole.details["suites"]
    files = [str(project / f"shard{i}" / "eval-gate.json") for i in range(3)]
    out = project / "merged.json"
    assert main(["report", "merge", *files, "--output-file", str(out), "--format", "json"]) == 1
    via_cli = GateResult.read(out)
    assert without_latency(via_cli.summary) == without_latency(whole.summary)
    assert via_cli.status is whole.status
    with pytest.raises(Exception, match="missing shard"):
        merge_results(shards[:2])


def cases_without_latency(result: GateResult) -> list[dict[str, Any]]:
    return [c.model_dump(exclude={"latency_ms"}) for c in result.cases]


def without_latency(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in summary.items() if not k.startswith("latency")}


def test_unreachable_target_exits_3_with_partial_results(project: Path) -> None:
    port = free_port()
    edit(
        project / "genai-gate.yaml",
        "  agent: {type: mock, script: agent-mock.yaml}",
        f"  agent: {{type: openai, base_url: 'http://127.0.0.1:{port}/v1', model: m}}",
    )
    edit(
        project / "genai-gate.yaml",
        "runner:\n",
        "runner:\n  circuit_breaker_failures: 2\n  backoff_base_s: 0.01\n",
    )
    started = time.monotonic()
    code, result = run(project)
    assert code == 3 and time.monotonic() - started < 15
    assert result is not None and result.incomplete and result.status is Status.ERROR
    assert "unreachable" in (result.error or "")
    assert len(result.cases) == 4 and all(c.status is Status.ERROR for c in result.cases)
    assert result.summary["passed"] == 0
    never_sent = [c for c in result.cases if c.details.get("not_run")]
    assert never_sent, "the breaker stops the run before every case is sent"
    flagged = {f.properties.get("case") for f in result.findings}
    assert flagged.isdisjoint(c.id for c in never_sent)  # one error for the run, not one per case
    assert f"{4 - len(never_sent)} of 4 cases ran" in result.title


PROMPT = """\
prompt_id: {pid}
version: 1.0.0
model: m
variables: []
template: "{text}"
metadata: {{author: a, created_at: "2026-01-01"}}
"""


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_changed_only_reuses_unchanged_cases_from_the_baseline(project: Path) -> None:
    prompts = project / "prompts"
    prompts.mkdir()
    (prompts / "support-system.yaml").write_text(
        PROMPT.format(pid="support-system", text="Be kind.")
    )
    (prompts / "faq-system.yaml").write_text(PROMPT.format(pid="faq-system", text="Be brief."))
    git(project, "init", "-q")
    git(
        project,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@e",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "0",
    )
    git(project, "add", "prompts")
    git(project, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "base")
    code, base = run(project, results="base")
    assert code == 0
    (prompts / "faq-system.yaml").write_text(PROMPT.format(pid="faq-system", text="Be very brief."))
    baseline = str(project / "base" / "eval-gate.json")
    code, head = run(project, "--changed-only", "--base-ref", "HEAD", "--baseline", baseline)
    assert code == 0 and head is not None
    cases = by_id(head)
    assert head.details["changed_only"]["changed_prompts"] == ["faq-system"]
    assert cases["balance-001"].details["reused"] == "baseline"
    assert cases["history-001"].details["reused"] == "baseline"
    assert "reused" not in cases["hours-001"].details  # its prompt changed
    assert "reused" not in cases["json-001"].details  # names no prompt: always runs
    assert head.usage is not None and head.usage.requests == 2
    assert base is not None and [c.id for c in head.cases] == [c.id for c in base.cases]
    code, _ = run(project, "--changed-only", "--base-ref", "no-such-ref")
    assert code == 2


def test_groundedness_uses_the_judge_when_configured(project: Path) -> None:
    edit(
        project / "genai-gate.yaml",
        "      dataset: golden.jsonl\n",
        "      dataset: golden.jsonl\n"
        "      scorers: [{type: groundedness}, {type: not-contains}]\n",
    )
    code, result = run(project)
    assert result is not None
    hours = by_id(result)["hours-001"].details["scorers"]
    assert hours["groundedness"] == {
        "score": 0.9,
        "threshold": 0.7,
        "weight": 1.0,
        "reason": "judge: the answer meets the rubric",
    }
    no_context = by_id(result)["balance-001"]
    assert no_context.status is Status.ERROR and "no scorer applies" in no_context.reason
    assert code == 1


def test_case_level_scorers_and_their_errors(project: Path, capsys: Any) -> None:
    path = project / "golden.jsonl"
    custom = {"type": "tests.test_eval_scorers:ShortAnswer"}
    case = {"id": "custom-001", "input": "When are you open?", "scorers": [custom]}
    path.write_text(path.read_text() + json.dumps(case) + "\n")
    code, result = run(project)
    assert result is not None
    scorers = by_id(result)["custom-001"].details["scorers"]
    assert list(scorers) == ["tests.test_eval_scorers:ShortAnswer"]
    assert scorers["tests.test_eval_scorers:ShortAnswer"]["score"] == 0.0  # a long answer
    assert code == 1
    broken = {"id": "bad-001", "input": "hi", "scorers": [{"type": "regex", "pattern": "("}]}
    path.write_text(path.read_text() + json.dumps(broken) + "\n")
    code, _ = run(project)
    assert code == 2
    err = capsys.readouterr().err
    assert f"{path.resolve()}:6: scorers: 0: invalid regular expression '('" in err


def test_unknown_judge_target_is_located(project: Path, capsys: Any) -> None:
    edit(project / "genai-gate.yaml", "judge: {target: judge,", "judge: {target: jduge,")
    code, _ = run(project)
    assert code == 2
    err = capsys.readouterr().err
    assert "genai-gate.yaml:11: eval.judge.target: unknown judge target 'jduge'" in err


def test_missing_dataset_is_located_in_the_config(project: Path, capsys: Any) -> None:
    (project / "flaky.jsonl").unlink()
    code, _ = run(project, "--suite", "flaky")
    assert code == 2
    assert (
        "genai-gate.yaml:17: eval.suites.flaky.dataset: dataset not found"
        in capsys.readouterr().err
    )
