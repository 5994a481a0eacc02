"""Typed results of cost-estimate and smoke-test: what each command writes is accepted by the
published JSON Schema (checked with jsonschema) and read back through its types into the same
JSON; version-1 files still render; a wrong type or an undeclared smoke detail is refused, named."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.example_repo import EXAMPLE, example_repo, git
from support.results_schema import read_back, schema_errors
from support.servers import free_port, start_server, stop

from genai_gate.cli import main
from genai_gate.errors import ConfigError
from genai_gate.gates.cost.details import CostDetails
from genai_gate.gates.cost.report import markdown_section
from genai_gate.gates.cost.summary import CostSummary
from genai_gate.gates.smoke.summary import SmokeDetails, SmokeSummary
from genai_gate.results import GateResult

NEW_PROMPT = "prompts/new-prompt.yaml"


@pytest.fixture
def cost_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """cost-estimate of the example versus its base commit, where head adds a prompt without
    traffic (priced at its response budget) and removes one."""
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)
    repo = example_repo(tmp_path / "repo")
    classifier = (repo / "prompts" / "complaint-classifier.yaml").read_text(encoding="utf-8")
    (repo / NEW_PROMPT).write_text(
        classifier.replace("prompt_id: complaint-classifier", "prompt_id: new-prompt"),
        encoding="utf-8",
    )
    (repo / "prompts" / "transaction-summary.yaml").unlink()
    config = repo / "genai-gate.yaml"
    lines = config.read_text(encoding="utf-8").splitlines(True)
    config.write_text("".join(x for x in lines if "transaction-summary:" not in x), "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "head")
    results = tmp_path / "results"
    code = main(
        ["--config", str(config), "cost-estimate", "--base-ref", "HEAD~1", "--pr-labels",
         "cost-approved", "--results-dir", str(results), "--format", "json"]
    )  # fmt: skip
    assert code == 0
    return results / "cost-estimate.json"


def test_cost_estimate_rows_totals_and_labels_read_typed(cost_file: Path) -> None:
    document, summary, details = read_back(cost_file, CostSummary, CostDetails)
    rows = {row.prompt_id: row for row in details.prompts}
    assert {p: r.change for p, r in rows.items() if r.change != "unchanged"} == {
        "new-prompt": "added",
        "transaction-summary": "removed",
    }
    added = rows["new-prompt"]
    assert (added.output_source, added.monthly_usd, added.requests_per_day) == (
        "response_budget",
        None,
        None,
    )
    [written] = [r for r in document["details"]["prompts"] if r["prompt_id"] == "new-prompt"]
    assert isinstance(written["input_tokens"], int)  # whole template tokens stay an integer
    assert added.input_tokens == written["input_tokens"] == added.template_tokens
    assert details.total is not None and summary.monthly_cost_usd == round(
        details.total.monthly_usd, 2
    )
    assert details.labels is not None and details.labels.labels == ["cost-approved"]
    assert details.labels.source == "--pr-labels" and details.base_ref == "HEAD~1"
    assert details.limits is not None and details.limits.approval_labels == ["cost-approved"]
    assert details.actuals == [] and details.base_skipped == []


def test_a_version_1_cost_file_renders_the_same_section(cost_file: Path, tmp_path: Path) -> None:
    raw = json.loads(cost_file.read_text(encoding="utf-8"))
    old = tmp_path / "v1.json"
    old.write_text(json.dumps({**raw, "schema_version": 1}), encoding="utf-8")
    section = markdown_section(GateResult.read(old))
    assert section == markdown_section(GateResult.read(cost_file))
    assert "| `new-prompt` | gpt-4.1 | 63 | $0.001086 | - | added: - (-/month) |" in section
    assert "| `transaction-summary` | gpt-4o-mini | 57 → - | - | - | removed:" in section


def test_a_wrong_type_in_a_prompt_row_is_refused_naming_it(cost_file: Path) -> None:
    raw = json.loads(cost_file.read_text(encoding="utf-8"))
    raw["details"]["prompts"][1]["per_request_usd"] = "cheap"
    cost_file.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        GateResult.read(cost_file)
    assert "details.prompts.1.per_request_usd: Input should be a valid number" in str(caught.value)
    assert schema_errors(raw) != []


def test_monitor_cost_refuses_an_estimate_row_of_the_wrong_type(
    cost_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = json.loads(cost_file.read_text(encoding="utf-8"))
    raw["details"]["prompts"][0]["change"] = "cheaper"
    cost_file.write_text(json.dumps(raw), encoding="utf-8")
    code = main(
        ["--config", str(tmp_path / "absent.yaml"), "monitor", "cost", "--estimate",
         str(cost_file), "--prompt", "bank-support-system", "--prometheus-url",
         f"http://127.0.0.1:{free_port()}", "--results-dir", str(tmp_path / "monitor")]
    )  # fmt: skip
    assert code == 2
    assert f"{cost_file}: details.prompts.0.change: Input should be 'added'" in (
        capsys.readouterr().err
    )


@pytest.fixture(scope="module")
def agent(mock_url: str) -> Iterator[str]:
    command = [sys.executable, "-m", "bank_agent.server", "--port", "0", "--llm-url", mock_url]
    process, url = start_server(command, r"(http://127\.0\.0\.1:\d+)", cwd=EXAMPLE)
    yield url
    stop(process)


def smoke_file(tmp_path: Path, url: str) -> tuple[int, Path]:
    results = tmp_path / "results"
    code = main(
        ["--config", str(tmp_path / "absent.yaml"), "smoke-test", "--url", url, "--dataset",
         str(EXAMPLE / "evals" / "golden.jsonl"), "--results-dir", str(results), "--format",
         "json"]
    )  # fmt: skip
    return code, results / "smoke-test.json"


def test_smoke_test_summary_reads_typed_and_its_details_are_empty(
    tmp_path: Path, agent: str
) -> None:
    code, path = smoke_file(tmp_path, agent)
    assert code == 0
    document, summary, details = read_back(path, SmokeSummary, SmokeDetails)
    assert (summary.healthy, summary.cases, summary.failed) == (True, 5, 0)
    assert details.as_dict() == document["details"] == {}
    assert set(document["cases"][0]["details"]["checks"]) == {"llm", "kb", "prompt"}


def test_an_undeclared_smoke_detail_is_refused_naming_it(tmp_path: Path, agent: str) -> None:
    _, path = smoke_file(tmp_path, agent)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["details"]["checks"] = {"llm": True}
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"details\.checks: Extra inputs are not permitted"):
        GateResult.read(path)
    assert schema_errors(raw) != []
    path.write_text(json.dumps({**raw, "schema_version": 1}), encoding="utf-8")
    assert GateResult.read(path).details == {"checks": {"llm": True}}  # version 1: unchecked
