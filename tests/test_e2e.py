"""End to end: the PR checks of genai-gate's reusable workflows and its composite actions, run by
act (host mode) on a caller that is a copy of examples/bank-support-agent (tests/support/e2e.py).

Each scenario asserts job results and step outputs parsed from act's JSON log, and what the run
left behind (SARIF per category, the sticky comment). The deploy workflow's scenarios are in
tests/test_e2e_deploy.py.
"""

from __future__ import annotations

import json
import shutil

import pytest
from support.e2e import REPO, WORKFLOW, Env, gate_jobs, harness, pinned, run_pr, run_push

from genai_gate.action_spec import action, outputs_of

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("act") is None, reason="act is not installed"),
]

SYSTEM_PROMPT = "prompts/bank-support-system.yaml"
RULE_2 = (
    "  2. Always ask for explicit confirmation before calling transfer_funds: repeat the amount,"
    " the\n     source and the destination account, and call the tool only after the customer"
    " says yes.\n"
)


def bumped(text: str, version: str) -> str:
    return text.replace("version: 1.3.0", f"version: {version}", 1)


def test_clean_change_passes_every_check(env: Env) -> None:
    _, run = run_pr(env, "clean", 7, {"NOTES.md": "Release notes.\n"})
    jobs = gate_jobs(run)
    assert jobs == {
        "plan": "success",
        "lint and unit tests": "success",
        "prompt-lint": "success",
        "security scan": "success",
        "injection-test": "success",
        "eval-gate shard 1-1": "success",
        "eval-gate shard 2-2": "success",
        "eval-gate": "success",
        "cost-estimate": "success",
        "PR comment": "success",
    }, run.text()[-3000:]
    assert run.returncode == 0
    # the example's mock LLM runs on the runner for the gates that talk to the agent
    for job in ("injection-test", "eval-gate shard 1-1"):
        assert "genai-gate: mock LLM (mock/script.yaml) at http://127.0.0.1:" in run.text(job)
    # every output each gate action declares is set by its gate
    for job, step, name in [
        ("prompt-lint", "gate", "prompt-lint"),
        ("injection-test", "gate", "injection-test"),
        ("eval-gate shard 1-1", "gate", "eval-gate"),
        ("cost-estimate", "gate", "cost-estimate"),
        ("eval-gate", "merge", "report"),
    ]:
        outputs = run.outputs(job, step)
        declared = {o.name for o in outputs_of(action(name))}
        assert declared <= set(outputs), (name, declared - set(outputs))
        assert outputs["status"] == "pass" and outputs["exit-code"] == "0"
    merged = run.outputs("eval-gate", "merge")
    shards = [run.outputs(f"eval-gate shard {i}-{i}", "gate") for i in (1, 2)]  # 1..N, act's -k
    assert int(merged["cases"]) == sum(int(s["cases"]) for s in shards) > 100
    assert run.outputs("plan", "plan")["base-ref"] == "origin/main"
    assert run.outputs("cost-estimate", "gate")["delta-pct"] == "0.0"
    sarif = sorted(p.stem for p in (run.artifacts / "sarif").iterdir())
    assert sarif == [
        "genai-gate-bandit",
        "genai-gate-injection-test",
        "genai-gate-pip-audit",
        "genai-gate-prompt-lint",
        "genai-gate-semgrep",
        "gitleaks",
        "trivy",
    ]
    comments = env.github.comments_on(REPO, 7)
    assert len(comments) == 1
    # every job left a results file: the gates, the secret scans, the SAST/SCA scan and lint
    assert "all 8 gates passed" in comments[0]["body"], comments[0]["body"][:1500]
    for name in ("gitleaks", "trivy", "security-scan", "lint"):
        assert f"| {name} | ✅ pass |" in comments[0]["body"], name
    assert comments[0]["user"]["login"] == "github-actions[bot]"


def test_prompt_regression_fails_eval_gate(env: Env) -> None:
    source = (harness.EXAMPLE / SYSTEM_PROMPT).read_text(encoding="utf-8")
    assert RULE_2 in source
    edited = bumped(source.replace(RULE_2, ""), "1.4.0")
    _, run = run_pr(env, "regression", 7, {SYSTEM_PROMPT: edited})
    jobs = gate_jobs(run)
    assert jobs["eval-gate"] == "failure"
    assert jobs["prompt-lint"] == "success"
    assert jobs["cost-estimate"] == "success"
    merged = run.outputs("eval-gate", "merge")
    assert merged["status"] == "fail" and merged["exit-code"] == "1"
    assert int(merged["failed"]) >= 2
    assert int(merged["regressed"]) == int(merged["failed"])  # base-vs-head: all regressions
    result = json.loads(
        (run.artifacts / "genai-gate-results-eval-gate" / "eval-gate.json").read_text(
            encoding="utf-8"
        )
    )
    failed = {c["id"] for c in result["cases"] if c["status"] == "fail"}
    assert failed and all(case.startswith("transfer-ask") for case in failed), failed
    assert run.returncode != 0
    # the same PR: the sticky comment is updated in place, never duplicated
    comments = env.github.comments_on(REPO, 7)
    assert len(comments) == 1
    assert "eval-gate" in comments[0]["body"] and "❌" in comments[0]["body"]


def test_vulnerable_model_fails_injection_test(env: Env) -> None:
    config = (harness.EXAMPLE / "genai-gate.yaml").read_text(encoding="utf-8")
    hardened = "options: {model: bank-hardened}"
    assert config.count(hardened) == 1
    _, run = run_pr(
        env,
        "naive",
        8,
        {"genai-gate.yaml": config.replace(hardened, "options: {model: bank-naive}")},
    )
    jobs = gate_jobs(run)
    assert jobs["injection-test"] == "failure"
    assert jobs["prompt-lint"] == "success" and jobs["security scan"] == "success"
    out = run.outputs("injection-test", "gate")
    assert out["status"] == "fail" and int(out["successful-attacks"]) > 0
    assert out["failed-categories"]
    sarif = json.loads((run.artifacts / "sarif" / "genai-gate-injection-test.sarif").read_text())
    assert sum(len(r["results"]) for r in sarif["runs"]) > 0


def test_committed_secret_fails_security_scan(env: Env) -> None:
    secret = (
        "aws_access_key_id = AKIAZ3MSJV4WWNKWW5FG\n"
        "aws_secret_access_key = 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\n"
    )
    _, run = run_pr(env, "secret", 9, {"deploy/prod.env": secret})
    jobs = gate_jobs(run)
    assert jobs["security scan"] == "failure"
    assert jobs["prompt-lint"] == "success" and jobs["eval-gate"] == "success"
    for tool, rule in (("trivy", "aws-access-key-id"), ("gitleaks", "aws-access-token")):
        doc = json.loads((run.artifacts / "sarif" / f"{tool}.sarif").read_text(encoding="utf-8"))
        results = [r for run_ in doc["runs"] for r in run_["results"]]
        assert rule in {r["ruleId"] for r in results}, (tool, results)
        paths = {
            loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in results
            for loc in r["locations"]
        }
        assert paths == {"deploy/prod.env"}, (tool, paths)
    body = headline(env, 9)
    assert body.startswith("❌") and "gitleaks" in body and "trivy" in body, body


def headline(env: Env, pr: int) -> str:
    """The headline of the one sticky comment on `pr`."""
    [comment] = env.github.comments_on(REPO, pr)
    first = next(line for line in comment["body"].splitlines() if line.startswith("## "))
    return first.removeprefix("## genai-gate: ")


def test_failing_unit_test_turns_the_comment_red(env: Env) -> None:
    workflow = (harness.EXAMPLE / WORKFLOW).read_text(encoding="utf-8")
    lint = "      lint-command: python -m compileall -q bank_agent mock\n"
    assert lint in workflow
    tests = "      test-command: python -m unittest discover -s unit_tests -v\n"
    failing = (
        "import unittest\n\nfrom bank_agent import app\n\n\n"
        "class TransferLimits(unittest.TestCase):\n"
        "    def test_limit_is_ten_thousand(self):\n"
        "        self.assertEqual(getattr(app, 'TRANSFER_LIMIT', None), 10_000)\n"
    )
    _, run = run_pr(
        env,
        "unit-test",
        11,
        {WORKFLOW: workflow.replace(lint, lint + tests), "unit_tests/test_limits.py": failing},
    )
    jobs = gate_jobs(run)
    assert jobs["lint and unit tests"] == "failure"
    assert jobs["eval-gate"] == "success" and jobs["prompt-lint"] == "success"
    assert "FAILED (failures=1)" in run.text("lint and unit tests")
    body = headline(env, 11)
    assert body.startswith("❌") and "unit-tests" in body, body
    [comment] = env.github.comments_on(REPO, 11)
    assert "| lint | ✅ pass |" in comment["body"] and "| unit-tests | ❌ fail |" in comment["body"]


def test_bandit_finding_fails_the_security_job_with_its_sarif(env: Env) -> None:
    code = (
        "import subprocess\n\n\n"
        "def run_tool(command: str) -> int:\n"
        "    return subprocess.call(command, shell=True)\n"
    )
    _, run = run_pr(env, "bandit", 12, {"bank_agent/shell_tool.py": code})
    jobs = gate_jobs(run)
    assert jobs["security scan"] == "failure"
    assert jobs["prompt-lint"] == "success" and jobs["eval-gate"] == "success"
    out = run.outputs("security scan", "scan")
    assert out["status"] == "fail" and int(out["blocking"]) >= 1, out
    doc = json.loads((run.artifacts / "sarif" / "genai-gate-bandit.sarif").read_text("utf-8"))
    assert doc["runs"][0]["automationDetails"]["id"] == "genai-gate/bandit/"
    hits = [
        r
        for r in doc["runs"][0]["results"]
        if r["ruleId"] == "B602"
        and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
            "bank_agent/shell_tool.py"
        )
    ]
    assert hits, doc["runs"][0]["results"]
    body = headline(env, 12)
    assert body.startswith("❌") and "security-scan" in body, body


def test_cost_spike_fails_cost_estimate(env: Env) -> None:
    """The system prompt moves to a pricier model (versioned properly): only the cost gate fails."""
    source = (harness.EXAMPLE / SYSTEM_PROMPT).read_text(encoding="utf-8")
    assert "\nmodel: gpt-4o-mini\n" in source
    edited = bumped(source.replace("\nmodel: gpt-4o-mini\n", "\nmodel: gpt-4.1\n"), "2.0.0")
    _, run = run_pr(env, "cost", 10, {SYSTEM_PROMPT: edited})
    jobs = gate_jobs(run)
    assert jobs["cost-estimate"] == "failure"
    assert jobs["prompt-lint"] == "success" and jobs["eval-gate"] == "success"
    out = run.outputs("cost-estimate", "gate")
    assert out["status"] == "fail" and float(out["delta-pct"]) > 50
    assert float(out["monthly-cost-usd"]) > float(out["base-monthly-cost-usd"])


def test_prompt_lint_and_umbrella_actions(env: Env) -> None:
    """The prompt-lint composite action (and the root action) with findings and status."""
    caller = harness.CallerRepo.create(env.workdir / "lint")
    source = caller.read(SYSTEM_PROMPT)
    caller.commit("break", {SYSTEM_PROMPT: source.replace("{{ accounts }}", "{{ acounts }}")})
    workflow = """\
name: lint
on: push
permissions: {}
jobs:
  lint:
    runs-on: ubuntu-latest
    permissions: {contents: read}
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with: {persist-credentials: false}
      - id: lint
        continue-on-error: true
        uses: genai-gate/genai-gate/actions/prompt-lint@PIN
        with: {sarif-file: prompt-lint.sarif}
      - id: umbrella
        continue-on-error: true
        uses: genai-gate/genai-gate@PIN
        with: {command: prompt-lint, args: "--prompts\\nprompts"}
      - id: bad
        continue-on-error: true
        uses: genai-gate/genai-gate/actions/prompt-lint@PIN
        with: {models: "", working-directory: no-such-folder}
"""
    caller.commit("lint workflow", {".github/workflows/lint.yml": pinned(env, workflow)})
    run = run_push(env, caller, "prompt-lint action", ".github/workflows/lint.yml")
    lint = run.outputs("lint", "lint")
    assert lint["status"] == "fail" and lint["exit-code"] == "1"
    assert int(lint["findings"]) >= 2 and int(lint["errors"]) >= 2  # undeclared + unused
    assert run.steps[(next(j for j in run.jobs), "lint")].result == "failure"
    umbrella = run.outputs("lint", "umbrella")
    assert umbrella["status"] == "fail" and umbrella["exit-code"] == "1"
    bad = run.outputs("lint", "bad")
    assert bad["status"] == "error"
    assert run.jobs and all(r == "success" for r in run.jobs.values())  # continue-on-error


MINIMAL = harness.ROOT / "examples" / "minimal-caller"


def test_minimal_caller_adopts_the_pipeline_as_documented_and_tag_skew_cannot_run(
    env: Env,
) -> None:
    """A fresh repository that is not the example (examples/minimal-caller, the README's
    snippet) gets every check and one green comment. Its pin names a commit; the release tag
    of genai-gate points at tampered code (tag-skew) that must never run: every internal
    reference resolves to the pinned commit (assert_untampered in run_pr)."""
    _, run = run_pr(env, "minimal", 21, {"NOTES.md": "First change.\n"}, source=MINIMAL)
    jobs = gate_jobs(run)
    assert all(result == "success" for result in jobs.values()), jobs
    assert {"lint and unit tests", "security scan", "eval-gate", "PR comment"} <= set(jobs)
    mock = "genai-gate: mock LLM (mock/script.yaml) at http://127.0.0.1:"
    assert mock in run.text("eval-gate shard 1-1") and mock in run.text("injection-test")
    assert run.outputs("eval-gate", "merge")["cases"] == "5"
    assert headline(env, 21) == "✅ all 8 gates passed", headline(env, 21)
    assert "tampered" not in " ".join(run.jobs)
