"""Typed summaries and details (results schema version 2): written by the gates, checked on
reading, published as JSON Schema (checked here with jsonschema, a validator we did not write),
and the way one gate reads another's figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.results_schema import schema_errors

from genai_gate.errors import ConfigError
from genai_gate.gates.audit.draft import canary_from_results
from genai_gate.gates.canary.event import CanaryDetails
from genai_gate.gates.cost.summary import CostSummary
from genai_gate.results import (
    SCHEMA_VERSION,
    GateResult,
    Status,
    incomplete_error,
    write_incomplete,
)

COST = {
    "monthly_cost_usd": 41.2,
    "delta_pct": 12.5,
    "base_monthly_cost_usd": 36.62,
    "prompts": 3,
    "approved_by": None,
}


def written(tmp_path: Path, result: GateResult, **changes: Any) -> Path:
    """`result` written as a results file, with raw top-level `changes` applied to the JSON."""
    path = tmp_path / f"{result.gate}.json"
    result.write(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, **changes}), encoding="utf-8")
    return path


def cost_result(summary: dict[str, Any]) -> GateResult:
    return GateResult(gate="cost-estimate", status=Status.PASS, summary=summary)


def test_results_are_written_as_version_2() -> None:
    assert SCHEMA_VERSION == 2
    assert GateResult(gate="x", status=Status.PASS).schema_version == 2


def test_a_typed_summary_with_a_wrong_type_is_refused_on_reading(tmp_path: Path) -> None:
    path = written(tmp_path, cost_result({**COST, "delta_pct": "a lot"}))
    with pytest.raises(ConfigError) as caught:
        GateResult.read(path)
    assert f"{path}: summary.delta_pct: Input should be a valid number" in str(caught.value)


def test_an_undeclared_figure_in_a_typed_summary_is_refused(tmp_path: Path) -> None:
    path = written(tmp_path, cost_result({**COST, "monthly_cost_eur": 38.0}))
    with pytest.raises(ConfigError, match=r"summary\.monthly_cost_eur: Extra inputs"):
        GateResult.read(path)


def test_version_1_files_are_still_read_without_the_typed_checks(tmp_path: Path) -> None:
    path = written(tmp_path, cost_result({**COST, "delta_pct": "a lot"}), schema_version=1)
    assert GateResult.read(path).summary["delta_pct"] == "a lot"


def test_an_error_result_keeps_the_generic_form(tmp_path: Path) -> None:
    error = incomplete_error("cost-estimate", "interrupted", progress=[{"done": 1, "total": 2}])
    path = written(tmp_path, error)
    assert GateResult.read(path).summary == {"finished": 1, "planned": 2}
    assert schema_errors(json.loads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize(
    "progress", [None, [{"label": "a", "done": 1, "total": 2, "finished": ["k"]}]]
)
def test_the_placeholder_written_without_the_model_is_the_incomplete_error_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, progress: list[dict[str, Any]] | None
) -> None:
    monkeypatch.setenv("GENAI_GATE_COMMIT", "abc123")
    model = incomplete_error("eval-gate", "stopped", progress=progress).write(tmp_path / "m.json")
    write_incomplete(tmp_path / "p.json", "eval-gate", "stopped", progress)
    assert (tmp_path / "p.json").read_text(encoding="utf-8") == model.read_text(encoding="utf-8")
    monkeypatch.delenv("GENAI_GATE_COMMIT")
    write_incomplete(tmp_path / "p.json", "eval-gate", "stopped", progress)
    assert (
        json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))["genai_gate_commit"] is None
    )
    assert GateResult.read(tmp_path / "p.json").status is Status.ERROR


def test_the_published_schema_agrees_with_the_reader(tmp_path: Path) -> None:
    good = json.loads(written(tmp_path, cost_result(COST)).read_text(encoding="utf-8"))
    assert schema_errors(good) == []
    bad = {**good, "summary": {**COST, "delta_pct": "a lot"}}
    assert schema_errors(bad) == [
        "summary/delta_pct: 'a lot' is not valid under any of the given schemas"
    ]
    other = {**good, "gate": "job-lint", "summary": {"anything": "goes"}}
    assert schema_errors(other) == []  # a job result has no typed summary


def test_cost_summary_is_what_the_cost_gate_writes() -> None:
    summary = CostSummary(**COST)
    assert summary.as_dict() == COST  # the same figures and order as the untyped dict was
    assert CostSummary.of(cost_result(COST)).delta_pct == 12.5


def test_canary_audit_event_reaches_the_audit_record_unchanged(tmp_path: Path) -> None:
    event = {
        "event": "canary-step",
        "step": 25,
        "decision": "rollback",
        "next_traffic_pct": 0,
        "score": 0.4,
        "reason": "error rate 3x",
        "baseline": "stable",
        "canary": "canary",
        "window": {"start": "2026-01-01T00:00:00Z", "end": "2026-01-01T00:10:00Z"},
        "metrics": {"error_rate": "high"},
        "prometheus": "http://prometheus:9090",
        "success": False,
    }
    result = GateResult(gate="canary-gate", status=Status.FAIL, details={"audit_event": event})
    read = GateResult.read(written(tmp_path, result))
    assert CanaryDetails.of(read).audit_event is not None
    assert canary_from_results({"canary-gate": (read, b"")}) == event


def test_a_canary_event_without_its_step_is_no_canary_step(tmp_path: Path) -> None:
    result = GateResult(
        gate="canary-gate", status=Status.FAIL, details={"audit_event": {"decision": "hold"}}
    )
    with pytest.raises(ConfigError, match=r"details\.audit_event\.step: Field required"):
        GateResult.read(written(tmp_path, result))
    assert canary_from_results({"canary-gate": (result, b"")}) == {}


def test_cost_reads_the_eval_estimate_through_its_type(tmp_path: Path) -> None:
    from genai_gate.gates.cost.actuals import actual_vs_estimate
    from genai_gate.results import Usage

    estimate = {"cost_usd": 0.002, "input_tokens": 8000, "output_tokens": 1000}
    result = GateResult(
        gate="eval-gate",
        status=Status.PASS,
        usage=Usage(prompt_tokens=9000, completion_tokens=1000, requests=20, cost_usd=0.0025),
        details={"estimate": estimate, "progress": ["faq"]},  # undeclared keys pass untyped
    )
    [row] = actual_vs_estimate([written(tmp_path, result)], None)
    assert (row.estimated_usd, row.estimated_tokens) == (0.002, 9000)
    bad = result.model_copy(update={"details": {"estimate": {"cost_usd": "cheap"}}})
    with pytest.raises(ConfigError, match=r"details\.estimate\.cost_usd: Input should be"):
        GateResult.read(written(tmp_path, bad))


def test_canary_gate_writes_its_typed_summary_the_schema_accepts(tmp_path: Path) -> None:
    from support.servers import free_port

    from genai_gate.cli import main
    from genai_gate.gates.canary.summary import CanarySummary

    code = main(
        ["--config", str(tmp_path / "absent.yaml"), "canary-gate", "--step", "5",
         "--baseline-label", "a", "--canary-label", "b", "--end", "1700000000",
         "--prometheus-url", f"http://127.0.0.1:{free_port()}", "--results-dir", str(tmp_path)]
    )  # fmt: skip
    path = tmp_path / "canary-gate.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert code == 3 and schema_errors(document) == []
    summary = CanarySummary.of(GateResult.read(path))
    assert (summary.decision, summary.step, summary.next_traffic_pct) == ("hold", 5, 5)
    assert document["summary"] == {"decision": "hold", "step": 5, "next_traffic_pct": 5}
    judged = GateResult(gate="canary-gate", status=Status.FAIL, summary={"step": "five"})
    with pytest.raises(ConfigError, match=r"summary\.step: Input should be a valid integer"):
        GateResult.read(written(tmp_path, judged))


def test_a_smoke_summary_with_a_wrong_type_is_refused(tmp_path: Path) -> None:
    result = GateResult(gate="smoke-test", status=Status.PASS, summary={"healthy": "yes?"})
    with pytest.raises(ConfigError, match=r"summary\.healthy: Input should be a valid boolean"):
        GateResult.read(written(tmp_path, result))
