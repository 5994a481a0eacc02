"""Acceptance of the eval gate on the example bank agent, against the real mock LLM server.

The default suite passes on the hardened model; dropping the confirmation instruction from the
system prompt makes the named transfer cases regress (exit 1, listed first); restoring the
prompt passes again, answered from the response cache.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from genai_gate.cli import main
from genai_gate.results import GateResult, Status

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bank-support-agent"
CONFIRM_RULE = (
    "  2. Always ask for explicit confirmation before calling transfer_funds: repeat the amount,"
    " the\n     source and the destination account, and call the tool only after the customer"
    " says yes.\n"
)


@pytest.fixture
def example(tmp_path: Path, mock_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example repository whose agent uses the copy's prompts and the mock."""
    copy = tmp_path / "bank-support-agent"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".genai-gate", "__pycache__"))
    monkeypatch.setenv("BANK_AGENT_LLM_URL", mock_url)
    monkeypatch.setenv("BANK_AGENT_PROMPTS_DIR", str(copy / "prompts"))
    return copy


def gate(example: Path, results: str, *args: str) -> tuple[int, GateResult]:
    out = example / results
    config = str(example / "genai-gate.yaml")
    code = main(
        ["--config", config, "eval-gate", "--results-dir", str(out), "--format", "json", *args]
    )
    return code, GateResult.read(out / "eval-gate.json")


def test_prompt_edit_regresses_named_cases_and_restoring_passes(example: Path) -> None:
    code, base = gate(example, "base")
    assert code == 0, base.title
    assert base.status is Status.PASS and base.summary["cases"] == base.summary["passed"] >= 100
    assert base.summary["score"] >= 0.85
    estimate = base.details["estimate"]  # the cost gate's eval-run estimate, made before the run
    assert estimate["requests"] == base.summary["cases"] and estimate["cost_usd"] > 0

    prompt = example / "prompts" / "bank-support-system.yaml"
    original = prompt.read_text(encoding="utf-8")
    assert CONFIRM_RULE in original
    prompt.write_text(original.replace(CONFIRM_RULE, ""), encoding="utf-8")
    baseline = str(example / "base" / "eval-gate.json")
    code, head = gate(example, "head", "--baseline", baseline)
    assert code == 1 and head.status is Status.FAIL
    regressed = [f.properties["case"] for f in head.findings if f.rule_id == "eval/regression"]
    assert regressed and all(case.startswith("transfer-ask-") for case in regressed)
    assert head.summary["regressed"] == len(regressed)
    assert head.findings[0].rule_id == "eval/regression"  # regressions lead the report
    first = next(c for c in head.cases if c.id == regressed[0])
    assert "transfer_funds" in first.reason
    assert head.details["suites"]["golden"]["paired_test"]["significant_regression"]

    prompt.write_text(original, encoding="utf-8")
    code, restored = gate(example, "restored", "--baseline", baseline)
    assert code == 0 and restored.summary["regressed"] == 0
    assert restored.usage is not None and restored.usage.requests == 0  # same prompt: cache


def test_run_above_the_eval_budget_does_not_start(example: Path) -> None:
    config = example / "genai-gate.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("\neval:\n", "\neval:\n  budget_usd: 0.0001\n"), "utf-8")
    code, result = gate(example, "r")
    assert code == 1 and result.status is Status.FAIL and result.cases == []
    assert result.findings[0].rule_id == "eval/budget"
    assert "above eval.budget_usd $0.0001: not started" in result.findings[0].message
    assert result.details["estimate"]["budget_usd"] == 0.0001
    assert not (example / ".genai-gate" / "cache").exists()  # no request was sent


SAMPLE_TRANSCRIPTS = EXAMPLE / "monitoring" / "transcripts.sample.jsonl"
CLOSED_JUDGE = "  judge: {target: closed}\n"
"""An LLM judge at a closed port: a judge call would end the run in exit 3."""


def with_eval_settings(example: Path, settings: str) -> None:
    config = example / "genai-gate.yaml"
    text = config.read_text(encoding="utf-8").replace("\neval:\n", f"\neval:\n{settings}")
    closed = "  closed: {type: openai, base_url: 'http://127.0.0.1:9/v1', model: m}\n"
    config.write_text(text.replace("\ntargets:\n", f"\ntargets:\n{closed}", 1), "utf-8")


def test_replay_prices_only_its_judge_calls_and_keeps_to_the_budget(example: Path) -> None:
    replay = ("--replay", str(SAMPLE_TRANSCRIPTS), "--suite", "production")
    with_eval_settings(example, "  budget_usd: 0.0001\n" + CLOSED_JUDGE)
    code, result = gate(example, "refused", *replay)
    assert code == 1 and result.status is Status.FAIL and result.cases == []
    message = result.findings[0].message
    # groundedness asks the judge about the one transcript with retrieved context
    assert "of 0 requests and 1 judge calls is above eval.budget_usd $0.0001" in message
    assert message.endswith("not started (raise the budget, or replay fewer records)")
    assert result.details["replay"]["records"] == 3


def test_replay_without_judge_calls_costs_nothing(example: Path) -> None:
    with_eval_settings(example, "  budget_usd: 0.0001\n")  # groundedness uses its fallback
    code, result = gate(example, "r", "--replay", str(SAMPLE_TRANSCRIPTS), "--suite", "production")
    estimate = result.details["estimate"]
    assert (estimate["requests"], estimate["judge_requests"], estimate["cost_usd"]) == (0, 0, 0)
    assert result.summary["cases"] == 3 and code in (0, 1)
