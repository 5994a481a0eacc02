"""`genai-gate report merge`: shard results of one gate merged into one result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genai_gate.cli import main
from genai_gate.errors import UsageError
from genai_gate.report import merge
from genai_gate.results import (
    CaseResult,
    ErrorKind,
    Finding,
    GateResult,
    Severity,
    Status,
    Timings,
    Usage,
)


@pytest.fixture(autouse=True)
def no_registered_hooks(monkeypatch):
    """These tests exercise the generic merge; gates test their own hooks."""
    monkeypatch.setattr(merge, "MERGERS", {})


def shard(index: int, count: int = 3, gate: str = "toy-gate", **changes) -> GateResult:
    """One shard's result of a gate with no typed summary (the generic counts are free-form)."""
    cases = [
        CaseResult(id=f"s{index}-c{j}", status=Status.PASS if j else Status.FAIL) for j in range(2)
    ]
    result = GateResult(
        gate=gate,
        status=Status.FAIL,
        title=f"shard {index}",
        summary={"cases": 2, "passed": 1, "failed": 1},
        cases=cases,
        findings=[Finding(rule_id="R", severity=Severity.WARNING, message="same everywhere")],
        usage=Usage(prompt_tokens=10, completion_tokens=5, requests=2, cost_usd=0.5),
        timings=Timings(started_at=f"2026-11-27T00:0{index}:00+00:00", duration_s=10.0 + index),
        config_digest="sha256:abc",
        details={"shard": {"index": index, "count": count}, "suite": "default"},
    )
    return result.model_copy(update=changes)


def write(tmp_path: Path, results: list[GateResult]) -> list[Path]:
    paths = []
    for n, result in enumerate(results):
        path = tmp_path / f"shard-{n}.json"
        result.write(path)
        paths.append(path)
    return paths


def test_generic_merge_orders_cases_by_shard_and_recomputes_counts(tmp_path: Path) -> None:
    files = merge.read_shards(write(tmp_path, [shard(2), shard(0), shard(1)]))
    merged = merge.merge(files)
    assert [c.id for c in merged.cases] == [
        "s0-c0",
        "s0-c1",
        "s1-c0",
        "s1-c1",
        "s2-c0",
        "s2-c1",
    ]
    assert merged.summary == {"cases": 6, "passed": 3, "failed": 3}
    assert len(merged.findings) == 1  # identical findings merged
    assert merged.usage == Usage(prompt_tokens=30, completion_tokens=15, requests=6, cost_usd=1.5)
    assert merged.timings == Timings(started_at="2026-11-27T00:00:00+00:00", duration_s=12.0)
    assert merged.status is Status.FAIL and not merged.incomplete
    assert merged.details["suite"] == "default" and "shard" not in merged.details
    assert merged.details["merge"]["missing"] == [] and merged.details["merge"]["shards"] == 3
    assert merged.title == "3/6 cases passed, 1 findings, merged from 3/3 shards"


def test_merge_is_deterministic_whatever_the_argument_order(tmp_path: Path) -> None:
    a = merge.merge(merge.read_shards(write(tmp_path / "a", [shard(0), shard(1), shard(2)])))
    b = merge.merge(merge.read_shards(write(tmp_path / "b", [shard(1), shard(2), shard(0)])))
    a.details.pop("merge")
    b.details.pop("merge")
    assert a == b


def test_a_missing_shard_makes_the_result_incomplete_and_exit_3(tmp_path: Path) -> None:
    paths = write(tmp_path, [shard(0, status=Status.PASS), shard(2, status=Status.PASS)])
    out = tmp_path / "merged.json"
    code = main(
        ["report", "merge", *map(str, paths), "--output-file", str(out), "--format", "json"]
    )
    merged = GateResult.read(out)
    assert merged.incomplete and merged.details["merge"]["missing"] == [1]
    assert merged.status is Status.PASS and code == 3  # never a pass with a hole in it


def test_a_duplicated_shard_is_ignored_and_marks_the_result_incomplete(tmp_path: Path) -> None:
    merged = merge.merge(
        merge.read_shards(write(tmp_path, [shard(0), shard(0), shard(1), shard(2)]))
    )
    assert merged.incomplete and merged.details["merge"]["duplicated"] == [0]
    assert len(merged.cases) == 6


def test_an_incomplete_or_errored_shard_propagates(tmp_path: Path) -> None:
    bad = shard(
        1,
        status=Status.ERROR,
        error="target unreachable",
        error_kind=ErrorKind.INFRA,
        incomplete=True,
    )
    merged = merge.merge(merge.read_shards(write(tmp_path, [shard(0), bad, shard(2)])))
    assert merged.status is Status.ERROR and merged.incomplete
    assert merged.error == "shard 2/3: target unreachable"
    assert merged.error_kind is ErrorKind.INFRA and int(merged.exit_code) == 3


def test_the_same_case_in_two_shards_is_flagged(tmp_path: Path) -> None:
    twin = shard(1)
    twin.cases[0].id = "s0-c0"
    merged = merge.merge(merge.read_shards(write(tmp_path, [shard(0), twin, shard(2)])))
    assert merged.incomplete and merged.details["merge"]["duplicate_cases"] == ["s0-c0"]


@pytest.mark.parametrize(
    ("second", "message"),
    [
        (shard(1, gate="eval-gate"), "different gates"),
        (shard(1, count=4), "different shard counts"),
        (shard(1, config_digest="sha256:other"), "different config digests"),
    ],
)
def test_results_that_do_not_belong_together_are_refused(tmp_path: Path, second, message) -> None:
    files = merge.read_shards(write(tmp_path, [shard(0), second]))
    with pytest.raises(UsageError, match=message):
        merge.merge(files)


def test_a_result_without_shard_info_is_refused_naming_the_file(tmp_path: Path, capsys) -> None:
    paths = write(tmp_path, [shard(0), shard(1, details={})])
    code = main(["report", "merge", *map(str, paths), "--output-file", str(tmp_path / "m.json")])
    assert code == 2
    err = capsys.readouterr().err
    assert f"{paths[1]}: details.shard: missing or invalid shard info" in err
    assert not (tmp_path / "m.json").exists()


def test_unknown_figures_need_a_hook(tmp_path: Path, capsys) -> None:
    paths = write(tmp_path, [shard(i, summary={"cases": 2, "mean_score": 0.5}) for i in range(3)])
    code = main(["report", "merge", *map(str, paths), "--output-file", str(tmp_path / "m.json")])
    assert code == 2
    assert "summary figures mean_score cannot be recomputed" in capsys.readouterr().err


def hook_for_tests(shards: list[GateResult], merged: GateResult) -> GateResult:
    scores = [s.summary["mean_score"] for s in shards]
    merged.summary = {"mean_score": sum(scores) / len(scores), "shards_seen": len(shards)}
    merged.status = Status.PASS
    return merged


def test_a_registered_hook_recomputes_the_summary(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(merge.MERGERS, "toy-gate", f"{__name__}:hook_for_tests")
    paths = write(tmp_path, [shard(i, summary={"mean_score": i / 2}) for i in range(3)])
    out = tmp_path / "m.json"
    code = main(
        ["report", "merge", *map(str, paths), "--output-file", str(out), "--format", "json"]
    )
    assert code == 0
    assert json.loads(out.read_text())["summary"] == {"mean_score": 0.5, "shards_seen": 3}


def test_merge_of_a_corrupt_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["report", "merge", str(bad), "--output-file", str(tmp_path / "m.json")]) == 2
