"""The eval verdict from per-case results: thresholds, error budget, intervals, shard merges."""

from __future__ import annotations

from typing import Any

import pytest

from genai_gate.errors import UsageError
from genai_gate.gates.eval.details import Policy
from genai_gate.gates.eval.gate_result import assemble
from genai_gate.gates.eval.merge import merge_results
from genai_gate.gates.eval.plan import Shard
from genai_gate.gates.eval.verdict import decide
from genai_gate.results import CaseResult, Status, Usage


def case(i: int, status: Status, score: float, **details: Any) -> CaseResult:
    base = {"suite": "s", "index": i, "weight": 1.0, "counts_as_pass": status is Status.PASS}
    return CaseResult(id=f"c{i}", status=status, score=score, details={**base, **details})


def policy(ci_method: str = "bootstrap", max_errors: int = 0, **thresholds: Any) -> Policy:
    stats = {"confidence": 0.95, "ci_method": ci_method, "paired_test": "sign", "alpha": 0.05}
    stats.update({"bootstrap_samples": 500, "seed": 0})
    rules = {"min_pass_rate": 1.0, "case_min_pass_rate": 1.0, "no_significant_regression": True}
    rules.update(thresholds)
    return Policy.model_validate(
        {"repeat": 1, "suites": {"s": rules}, "stats": stats, "max_errors": max_errors,
         "baseline": False}
    )  # fmt: skip


def test_min_score_and_pass_rate_rules() -> None:
    cases = [case(i, Status.PASS, 1.0) for i in range(8)] + [case(8, Status.FAIL, 0.5)]
    verdict = decide(cases, policy(min_pass_rate=0.8, min_score=0.9), [])
    assert verdict.status is Status.PASS and verdict.summary.score == pytest.approx(0.9444, 1e-3)
    verdict = decide(cases, policy(min_pass_rate=0.8, min_score=0.95), [])
    assert verdict.status is Status.FAIL
    assert verdict.failures == ["s: mean score 0.944 < min_score 0.95"]
    assert verdict.title.startswith("8/9 cases passed, mean score 0.94 [")


def test_error_budget() -> None:
    cases = [case(0, Status.PASS, 1.0), case(1, Status.ERROR, 0.0)]
    failed = decide(cases, policy(), [])
    assert failed.status is Status.FAIL
    assert "1 case(s) errored, above the error budget of 0" in failed.failures
    excused = decide(cases, policy(max_errors=1), [])
    assert excused.status is Status.PASS and excused.suites["s"].pass_rate == 1.0


def test_wilson_interval_on_the_pass_rate() -> None:
    cases = [case(i, Status.PASS, 1.0) for i in range(8)]
    cases += [case(8, Status.FAIL, 0.0), case(9, Status.FAIL, 0.0)]
    ci = decide(cases, policy(min_pass_rate=0.0, ci_method="wilson"), []).suites["s"].ci
    assert (ci.low, ci.high, ci.of) == (0.4902, 0.9433, "pass rate")


def test_weights_count_in_means_and_pass_rates() -> None:
    heavy = case(0, Status.FAIL, 0.0, weight=3.0)
    verdict = decide([heavy, case(1, Status.PASS, 1.0)], policy(min_pass_rate=0.0), [])
    assert verdict.suites["s"].pass_rate == 0.25 and verdict.suites["s"].score == 0.25


def test_flaky_case_counts_by_case_min_pass_rate() -> None:
    flaky = case(0, Status.FLAKY, 0.6, pass_rate=0.6, counts_as_pass=True)
    verdict = decide([flaky], policy(), [])
    assert verdict.status is Status.PASS and verdict.summary.flaky == 1
    assert verdict.title == "0/1 cases passed, mean score 0.60 [0.60, 0.60] (1 flaky)"


def test_shards_are_deterministic_and_cover_every_case() -> None:
    shards = [Shard(i, 4) for i in range(4)]
    owners = [[s.index for s in shards if s.owns("suite", f"case-{n}")] for n in range(200)]
    assert all(len(o) == 1 for o in owners)
    assert {o[0] for o in owners} == {0, 1, 2, 3}
    assert Shard.parse("1/4") == Shard(0, 4) and Shard.parse("4/4") == Shard(3, 4)
    with pytest.raises(UsageError) as info:
        Shard.parse("0/3")
    assert str(info.value) == "--shard 0/3: shards are numbered 1..N (e.g. --shard 1/3 ... 3/3)"
    with pytest.raises(UsageError, match=r"numbered 1\.\.N"):
        Shard.parse("5/4")
    with pytest.raises(UsageError, match="expects I/N"):
        Shard.parse("two")


def shard_result(index: int, count: int, cases: list[CaseResult], pol: Policy):
    result = assemble(cases, pol, [], Usage(requests=len(cases)))
    result.details["shard"] = {"index": index, "count": count}
    return result


def test_merge_checks_that_shards_belong_together() -> None:
    pol = policy()
    a = shard_result(0, 2, [case(0, Status.PASS, 1.0)], pol)
    b = shard_result(1, 2, [case(1, Status.FAIL, 0.0)], pol)
    merged = merge_results([b, a])
    assert [c.id for c in merged.cases] == ["c0", "c1"]
    assert merged.status is Status.FAIL and merged.usage is not None
    assert merged.usage.requests == 2
    with pytest.raises(UsageError, match=r"missing shard\(s\) \[1\]"):
        merge_results([a])
    other = shard_result(1, 2, [case(1, Status.PASS, 1.0)], policy(min_score=0.5))
    with pytest.raises(UsageError, match="different suites or thresholds"):
        merge_results([a, other])
    twice = shard_result(1, 2, [case(0, Status.PASS, 1.0)], pol)
    with pytest.raises(UsageError, match="more than one shard"):
        merge_results([a, twice])
