"""The typed summary and details of `eval-gate` results: what the CLI writes fits the published
JSON Schema (checked with jsonschema), reads back typed, and keeps absent keys absent; a wrong
type is refused naming the field; version 1 files and unfinished runs still render."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_result_types import schema_errors

from genai_gate.cli import main
from genai_gate.errors import ConfigError
from genai_gate.gates.eval.details import BaselineSource, EvalDetails, EvalSummary
from genai_gate.gates.eval.report import markdown_section
from genai_gate.results import GateResult, Status, incomplete_error

DATA = Path(__file__).parent / "data" / "eval"


def eval_run(project: Path, results: str, *args: str) -> dict[str, Any]:
    """Run eval-gate on the test project; the results file as raw JSON."""
    out = project / results
    argv = ["--config", str(project / "genai-gate.yaml"), "eval-gate", "--results-dir", str(out)]
    main([*argv, "--format", "json", *args])
    return dict(json.loads((out / "eval-gate.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A baseline run and a head run compared with it, in a copy of the eval test project."""
    project = tmp_path_factory.mktemp("eval") / "project"
    shutil.copytree(DATA, project)
    eval_run(project, "base")
    head = eval_run(project, "head", "--baseline", str(project / "base" / "eval-gate.json"))
    return project, head


def test_a_compared_run_reads_typed_and_fits_the_published_schema(runs) -> None:
    project, document = runs
    assert schema_errors(document) == []
    result = GateResult.read(project / "head" / "eval-gate.json")
    summary, details = EvalSummary.of(result), EvalDetails.of(result)
    assert (summary.cases, summary.passed, summary.regressed, summary.removed) == (4, 4, 0, 0)
    base = str(project / "base" / "eval-gate.json")
    assert details.baseline == BaselineSource(source="file", path=base)
    assert details.policy is not None and details.policy.baseline is True
    assert details.suites is not None
    golden = details.suites["golden"]
    assert golden.changes is not None and golden.changes.unchanged == 4
    assert golden.thresholds.min_score == 0.85 and golden.ci.of == "mean score"
    assert details.policy.defaulted["golden"] == [
        "case_min_pass_rate", "min_pass_rate", "no_significant_regression"
    ]  # fmt: skip
    assert summary.as_dict() == document["summary"] and details.as_dict() == document["details"]
    for absent in ("estimate", "shard", "changed_only", "replay"):
        assert absent not in document["details"]  # left out, not written as null
    assert "estimated_cost_usd" not in document["summary"]


@pytest.mark.parametrize(
    ("part", "path", "value", "message"),
    [
        ("summary", ["passed"], "all", "summary.passed: Input should be a valid integer"),
        ("details", ["suites", "golden", "ci", "low"], "x", "details.suites.golden.ci.low: Input"),
        ("details", ["baseline", "source"], "git", "details.baseline.source: Input should be"),
    ],
)
def test_a_wrong_type_in_an_eval_result_is_refused_naming_the_field(
    runs, tmp_path: Path, part: str, path: list[str], value: Any, message: str
) -> None:
    _, document = runs
    changed = json.loads(json.dumps(document))
    holder = changed[part]
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    file = tmp_path / "eval-gate.json"
    file.write_text(json.dumps(changed), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        GateResult.read(file)
    assert f"{file}: {message}" in str(caught.value)
    assert schema_errors(changed) != []


def test_a_version_1_file_without_the_listed_defaults_is_read_and_rendered(
    runs, tmp_path: Path
) -> None:
    _, document = runs
    older = json.loads(json.dumps(document))
    older["schema_version"] = 1
    del older["details"]["policy"]["defaulted"]  # results files before the defaults were listed
    file = tmp_path / "eval-gate.json"
    file.write_text(json.dumps(older), encoding="utf-8")
    text = markdown_section(GateResult.read(file))
    assert "- golden: min_pass_rate 1: every case must pass; min_score 0.85; no significant" in text
    assert "(*default*)" not in text
    assert "**Versus baseline:** 0 regressed, 0 fixed, 0 new, 0 removed, 4 unchanged." in text


def test_an_unfinished_run_renders_without_its_figures() -> None:
    stopped = incomplete_error("eval-gate", "interrupted", progress=[{"done": 1, "total": 4}])
    assert stopped.summary == {"finished": 1, "planned": 4}
    assert markdown_section(stopped) == ""
    judged = GateResult(gate="eval-gate", status=Status.FAIL, summary={"finished": 1})
    with pytest.raises(ConfigError, match=r"summary\.finished: Extra inputs are not permitted"):
        markdown_section(judged)  # a finished run must carry the eval figures
