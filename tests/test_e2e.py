"""End to end: genai-gate's reusable workflows and composite actions run by act (host mode).

The caller is a temporary git copy of examples/bank-support-agent (bare origin, PR branches).
The agent talks to one mock LLM server started for the session; the GitHub REST API is the
fake of tests/support/fake_github.py (GITHUB_API_URL); remote actions are the stand-ins of
scripts/e2e/standins. Each scenario asserts job results and step outputs parsed from act's
JSON log, and what the run left behind (SARIF per category, the sticky comment, the audit log).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.fake_github import FakeGitHub
from support.mockllm import mock_llm_server
from support.prometheus import Traffic, available, openmetrics, prometheus_server
from support.servers import start_server, stop

from genai_gate.action_spec import action, outputs_of

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts" / "e2e"))
import harness

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("act") is None, reason="act is not installed"),
]

REPO = harness.CALLER_REPO
TOKEN = "ghs-e2e-token"
AUDIT_KEY = "e2e-audit-signing-key-0123456789abcdef"
WORKFLOW = ".github/workflows/genai.yml"
SYSTEM_PROMPT = "prompts/bank-support-system.yaml"
RULE_2 = (
    "  2. Always ask for explicit confirmation before calling transfer_funds: repeat the amount,"
    " the\n     source and the destination account, and call the tool only after the customer"
    " says yes.\n"
)
WALL: list[tuple[str, float]] = []


@dataclass
class Env:
    """What every scenario shares."""

    act: harness.Act
    github: FakeGitHub
    llm_url: str
    workdir: Path


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Env]:
    started = time.perf_counter()
    workdir = tmp_path_factory.mktemp("e2e")
    (workdir / "home").mkdir()
    snapshot = harness.snapshot(harness.ROOT, workdir / "genai-gate")
    with mock_llm_server(harness.EXAMPLE / "mock" / "script.yaml") as llm_url:
        github = FakeGitHub().start()
        try:
            github.add_repo(REPO)
            github.add_token(TOKEN, "github-actions[bot]", app=True)
            act = harness.Act(
                genai_gate=snapshot,
                env={
                    # the interpreter running the tests imports genai_gate from this working tree
                    "GENAI_GATE_VENV": sys.prefix,
                    "BANK_AGENT_LLM_URL": llm_url,
                    "GITHUB_API_URL": github.url,
                },
                secrets={"GITHUB_TOKEN": TOKEN, "GENAI_AUDIT_KEY": AUDIT_KEY},
                workdir=workdir,
                variables={"GENAI_GATE_TRUFFLEHOG": "false"},  # github.com is unreachable here
            )
            yield Env(act, github, llm_url, workdir)
        finally:
            github.stop()
            total = time.perf_counter() - started
            lines = [f"  {name}: {seconds:.1f} s" for name, seconds in WALL]
            report = "e2e wall time (act runs):\n" + "\n".join(lines) + f"\n  total: {total:.1f} s"
            capture = request.config.pluginmanager.get_plugin("capturemanager")
            if capture is not None:
                with capture.global_and_fixture_disabled():
                    print("\n" + report, flush=True)


def run_pr(env: Env, name: str, pr: int, files: dict[str, str], labels: tuple = ()):
    """Commit `files` on a branch of a fresh caller copy and run the PR checks with act."""
    caller = harness.CallerRepo.create(env.workdir / name)
    caller.branch(name)
    caller.commit(name, files)
    if (REPO, pr) not in env.github.pulls:
        env.github.add_pull(REPO, pr, head_ref=name, head_sha=caller.sha(name))
    run = env.act.run(caller, "pull_request", caller.pull_request_event(pr, name), WORKFLOW)
    WALL.append((name, run.wall_s))
    return caller, run


def gate_jobs(run: harness.ActRun) -> dict[str, str]:
    """Results of the checks jobs by short name."""
    return {name.rsplit("/", 1)[-1]: result for name, result in run.jobs.items()}


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
    assert sarif == ["genai-gate-injection-test", "genai-gate-prompt-lint", "gitleaks", "trivy"]
    comments = env.github.comments_on(REPO, 7)
    assert len(comments) == 1
    assert "all 4 gates passed" in comments[0]["body"]
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
        uses: genai-gate/genai-gate/actions/prompt-lint@v0.1.0
        with: {sarif-file: prompt-lint.sarif}
      - id: umbrella
        continue-on-error: true
        uses: genai-gate/genai-gate@v0.1.0
        with: {command: prompt-lint, args: "--prompts\\nprompts"}
      - id: bad
        continue-on-error: true
        uses: genai-gate/genai-gate/actions/prompt-lint@v0.1.0
        with: {models: "", working-directory: no-such-folder}
"""
    caller.commit("lint workflow", {".github/workflows/lint.yml": workflow})
    event = {"ref": "refs/heads/main", "repository": {"full_name": REPO}}
    run = env.act.run(caller, "push", event, ".github/workflows/lint.yml")
    WALL.append(("prompt-lint action", run.wall_s))
    lint = run.outputs("lint", "lint")
    assert lint["status"] == "fail" and lint["exit-code"] == "1"
    assert int(lint["findings"]) >= 2 and int(lint["errors"]) >= 2  # undeclared + unused
    assert run.steps[(next(j for j in run.jobs), "lint")].result == "failure"
    umbrella = run.outputs("lint", "umbrella")
    assert umbrella["status"] == "fail" and umbrella["exit-code"] == "1"
    bad = run.outputs("lint", "bad")
    assert bad["status"] == "error"
    assert run.jobs and all(r == "success" for r in run.jobs.values())  # continue-on-error


RELEASE = """\
name: release
on: push
permissions: {}
jobs:
  deploy:
    permissions: {contents: write, actions: read, packages: write, id-token: write,
                  attestations: write}
    uses: genai-gate/genai-gate/.github/workflows/genai-deploy.yml@v0.1.0
    with:
      requirements: requirements.txt
      version: 1.4.0
      deploy-command: >-
        echo "deploy $GENAI_GATE_ENVIRONMENT $GENAI_GATE_TRAFFIC_PERCENT" >> "$E2E_DEPLOY_LOG"
      traffic-command: echo "traffic $GENAI_GATE_TRAFFIC_PERCENT" >> "$E2E_DEPLOY_LOG"
      rollback-command: echo "rollback" >> "$E2E_DEPLOY_LOG"
      staging-url: ${{ vars.STAGING_URL }}
      smoke-dataset: evals/golden.jsonl
      prometheus-url: ${{ vars.PROMETHEUS_URL }}
      canary-wait-seconds: 0
      canary-end: ${{ vars.CANARY_END }}
      canary-label: ${{ vars.CANARY_LABEL }}
    secrets:
      audit-signing-key: ${{ secrets.GENAI_AUDIT_KEY }}
"""


END = (int(time.time()) // 3600) * 3600 - 4 * 3600
"""End of the backfilled metrics: whole hours, well in the past."""


@pytest.fixture(scope="module")
def prometheus(env: Env) -> Iterator[str]:
    if not available():
        pytest.skip("prometheus / promtool not installed")
    data = openmetrics(
        {
            "baseline": Traffic(requests_per_s=20),
            "canary-healthy": Traffic(requests_per_s=5),
            "canary-errors": Traffic(requests_per_s=5, error_rate=0.03),
        },
        END,
    )
    # act runs every workflow as run 1: the approval of its production environment
    env.github.add_approval(REPO, 1, user="carol-compliance", environments=["production"])
    with prometheus_server(data, env.workdir / "prometheus") as server:
        yield server.url


@dataclass
class Release:
    """A push to main running genai-deploy.yml, and what it left behind."""

    caller: harness.CallerRepo
    run: harness.ActRun
    deploy_log: list[str]
    records: list[dict]


def release(env: Env, prometheus: str, name: str, canary_label: str) -> Release:
    """Run genai-deploy.yml on a fresh caller with the agent served for the smoke test."""
    caller = harness.CallerRepo.create(env.workdir / name)
    caller.commit("release workflow", {".github/workflows/release.yml": RELEASE})
    deploy_log = env.workdir / name / "deploy.log"
    agent, agent_url = start_server(
        [sys.executable, "-m", "bank_agent.server", "--port", "0", "--llm-url", env.llm_url],
        r"(http://127\.0\.0\.1:\d+)",
        cwd=caller.path,
    )
    try:
        env.act.variables.update(
            STAGING_URL=agent_url,
            PROMETHEUS_URL=prometheus,
            CANARY_END=str(END),
            CANARY_LABEL=canary_label,
        )
        event = {"ref": "refs/heads/main", "repository": {"full_name": REPO}}
        run = env.act.run(
            caller,
            "push",
            event,
            ".github/workflows/release.yml",
            extra_env={"E2E_DEPLOY_LOG": str(deploy_log)},
        )
    finally:
        stop(agent)
    WALL.append((name, run.wall_s))
    lines = deploy_log.read_text().splitlines() if deploy_log.exists() else []
    return Release(caller, run, lines, audit_records(caller))


def test_canary_with_bad_error_rate_rolls_back_and_is_audited(env: Env, prometheus: str) -> None:
    done = release(env, prometheus, "canary-rollback", "canary-errors")
    run = done.run
    jobs = gate_jobs(run)
    assert jobs["staging"] == "success", run.text("staging")[-3000:]
    assert jobs["production canary"] == "failure"
    assert "build and push the image" not in jobs  # no image: the build job is skipped
    assert run.outputs("staging", "smoke")["status"] == "pass"
    for job, step, name in [
        ("staging", "smoke", "smoke-test"),
        ("production canary", "canary5", "canary-gate"),
        ("production canary", "audit5", "audit-log"),
        ("production canary", "audit-outcome", "audit-log"),
    ]:
        declared = {o.name for o in outputs_of(action(name))}
        outputs = run.outputs(job, step)
        assert declared <= set(outputs), (name, declared - set(outputs))
    assert run.outputs("production canary", "audit-outcome")["seq"] == "3"
    canary = run.outputs("production canary", "canary5")
    assert canary["decision"] == "rollback" and canary["next-traffic-pct"] == "0"
    assert "error_rate" in canary["failed-metrics"]
    assert done.deploy_log == ["deploy staging 100", "deploy production 0", "traffic 5", "rollback"]
    summary = [(r["event"], r["environment"], r.get("success")) for r in done.records]
    assert summary == [
        ("deploy", "staging", True),
        ("canary-step", "production", False),
        ("rollback", "production", True),
        ("deploy", "production", False),
    ], done.records
    for record in done.records[1:]:
        assert [a["user"] for a in record["approvers"]] == ["carol-compliance"], record
        assert record["manifest"].get("image_digest") is None  # no image was built
    verify = subprocess.run(
        [
            sys.executable,
            "-m",
            "genai_gate.cli",
            "audit-log",
            "verify",
            "--store",
            "git",
            "--repo-dir",
            str(done.caller.path),
            "--format",
            "json",
            "--results-dir",
            str(env.workdir / "canary-rollback" / "results"),
        ],
        cwd=done.caller.path,
        capture_output=True,
        text=True,
        env={**os.environ, "GENAI_GATE_AUDIT_KEY": AUDIT_KEY},
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert json.loads(verify.stdout)["summary"]["records"] == 4


def test_healthy_canary_is_promoted_step_by_step_to_full_traffic(env: Env, prometheus: str) -> None:
    done = release(env, prometheus, "canary-promote", "canary-healthy")
    jobs = gate_jobs(done.run)
    assert jobs["staging"] == "success" and jobs["production canary"] == "success"
    decisions = [
        done.run.outputs("production canary", f"canary{step}")["decision"] for step in (5, 25, 50)
    ]
    assert decisions == ["promote"] * 3
    assert done.run.outputs("production canary", "canary50")["next-traffic-pct"] == "100"
    assert done.deploy_log == [
        "deploy staging 100",
        "deploy production 0",
        "traffic 5",
        "traffic 25",
        "traffic 50",
        "traffic 100",
    ]
    steps = [
        (r["event"], r.get("canary", {}).get("traffic_percent", r.get("traffic_percent")))
        for r in done.records
    ]
    assert steps == [
        ("deploy", 100),  # staging
        ("canary-step", 5),
        ("canary-step", 25),
        ("canary-step", 50),
        ("deploy", 100),
    ], done.records
    assert done.records[-1]["success"] is True
    assert [a["user"] for a in done.records[-1]["approvers"]] == ["carol-compliance"]


def audit_records(caller: harness.CallerRepo) -> list[dict]:
    """The records on the genai-audit branch pushed to the caller's origin."""
    harness.git(caller.path, "fetch", "-q", "origin", "genai-audit")
    files = harness.git(caller.path, "ls-tree", "-r", "--name-only", "FETCH_HEAD").split()
    log = next(f for f in files if f.endswith("audit.jsonl"))
    text = harness.git(caller.path, "show", f"FETCH_HEAD:{log}")
    return [json.loads(line) for line in text.splitlines() if line.strip()]
