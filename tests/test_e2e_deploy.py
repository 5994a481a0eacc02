"""End to end: genai-deploy.yml run by act (host mode) on a caller that is a copy of
examples/bank-support-agent (tests/support/e2e.py), judged from a real Prometheus over backfilled
canary and baseline metrics.

Each scenario asserts job results and step outputs parsed from act's JSON log, what the deploy,
traffic and rollback commands were handed, and the audit trail the run pushed.
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
from datetime import datetime

import pytest
from support.e2e import (
    AUDIT_KEY,
    REPO,
    Env,
    audit_records,
    gate_jobs,
    harness,
    pinned,
    public_hex,
    run_push,
)
from support.prometheus import Traffic, available, openmetrics, prometheus_server
from support.servers import start_server, stop

from genai_gate.action_spec import action, outputs_of

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("act") is None, reason="act is not installed"),
]

RELEASE = """\
name: release
on: push
permissions: {}
jobs:
  checks:  # in place of genai-checks: a real gate whose results are this run's evidence
    runs-on: ubuntu-latest
    permissions: {contents: read}
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with: {persist-credentials: false}
      - uses: genai-gate/genai-gate/actions/prompt-lint@PIN
        with: {results-dir: "${{ runner.temp }}/results"}
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2
        with: {name: genai-gate-results-prompt-lint, path: "${{ runner.temp }}/results"}
  deploy:
    needs: checks
    permissions: {contents: write, actions: read, pull-requests: read, packages: write,
                  id-token: write, attestations: write}
    uses: genai-gate/genai-gate/.github/workflows/genai-deploy.yml@PIN
    with:
      requirements: requirements.txt
      version: 1.4.0
      deploy-command: >-
        echo "deploy $GENAI_GATE_ENVIRONMENT $GENAI_GATE_TRAFFIC_PERCENT" >> "$E2E_DEPLOY_LOG"
      traffic-command: echo "traffic $GENAI_GATE_TRAFFIC_PERCENT" >> "$E2E_DEPLOY_LOG"
      rollback-command: >-
        echo "rollback" >> "$E2E_DEPLOY_LOG" &&
        echo "restore $GENAI_GATE_ROLLBACK_VERSION kb=$GENAI_GATE_ROLLBACK_KB_SNAPSHOT
        prompts=$GENAI_GATE_ROLLBACK_PROMPTS" >> "$E2E_RESTORE_LOG" &&
        cp "$GENAI_GATE_ROLLBACK_MANIFEST" "$E2E_RESTORE_LOG.json"
      kb-snapshot: ${{ vars.KB_SNAPSHOT }}
      staging-url: ${{ vars.STAGING_URL }}
      smoke-dataset: evals/golden.jsonl
      prometheus-url: ${{ vars.PROMETHEUS_URL }}
      canary-wait-seconds: 0
      canary-end: ${{ vars.CANARY_END }}
      canary-label: ${{ vars.CANARY_LABEL }}
      full-traffic-end: ${{ vars.FULL_TRAFFIC_END }}
      strategy: ${{ vars.STRATEGY }}
      green-url: ${{ vars.STAGING_URL }}
      blue-keep-minutes: 0
      retire-command: echo "retire blue" >> "$E2E_DEPLOY_LOG"
    secrets:
      GENAI_AUDIT_KEY: ${{ secrets.GENAI_AUDIT_KEY }}
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
            # healthy for the judged 5/25/50% steps, 5x the errors in the last 12 minutes (at 100%)
            "canary-late": Traffic(
                requests_per_s=5, error_rate_at=lambda minute: 0.05 if minute < 12 else 0.01
            ),
            "green-healthy": Traffic(requests_per_s=20),
            "green-errors": Traffic(requests_per_s=20, error_rate=0.03),
        },
        END,
    )
    # act runs every workflow as run 1: the approval of its production environment
    env.github.add_approval(REPO, 1, user="carol-compliance", environments=["production"])
    with prometheus_server(data, env.workdir / "prometheus") as server:
        yield server.url


CANARY_LOG = [
    "deploy staging 100",
    "deploy production 0",
    "traffic 5",
    "traffic 25",
    "traffic 50",
    "traffic 100",
]
"""What the deploy and traffic commands are handed by a canary release that is promoted."""


@dataclass
class Release:
    """A push to main running genai-deploy.yml, and what it left behind."""

    caller: harness.CallerRepo
    run: harness.ActRun
    deploy_log: list[str]
    records: list[dict]
    restored: list[str]
    """What the rollback command was handed (`restore VERSION kb=ID prompts=...`)."""


def release(
    env: Env,
    prometheus: str,
    name: str,
    canary_label: str,
    caller: harness.CallerRepo | None = None,
    version: str = "1.4.0",
    strategy: str = "canary",
    canary_end: int = END,
    full_traffic_end: int | None = None,
    kb_snapshot: str = "",
    reviewed: bool = True,
) -> Release:
    """Push `version` to main of a fresh caller (or `caller`) and run genai-deploy.yml with the
    agent served for the smoke test (staging, and green of a blue-green release).

    The compliance evidence production checks: this run's prompt-lint results (the only gate
    the caller's policy requires here) and, when `reviewed`, the pull request that merged the
    commit, approved by another user, with a change ticket and the privacy review label."""
    if caller is None:
        caller = harness.CallerRepo.create(env.workdir / name)
    workflow = pinned(env, RELEASE).replace("version: 1.4.0", f"version: {version}")
    policy = caller.read("genai-gate.yaml").replace(
        "required_gates: [prompt-lint, injection-test, eval-gate, cost-estimate]",
        "required_gates: [prompt-lint]\n    require_security_scan: false",
    )
    files = {".github/workflows/release.yml": workflow, "genai-gate.yaml": policy}
    caller.commit(f"release {version}", files)
    if reviewed:
        number = 900 + len(env.github.pulls)
        env.github.add_pull(
            REPO, number, title=f"CHG-{number}: release {version}", user="alice",
            head_sha="e" * 40, merge_commit_sha=caller.sha(),
        )  # fmt: skip
        env.github.add_review(REPO, number, user="bob-reviewer", state="APPROVED")
        env.github.add_label(REPO, number, "privacy-reviewed")
    deploy_log = env.workdir / name / "deploy.log"
    restore_log = env.workdir / name / "restore.log"
    restore_log.unlink(missing_ok=True)
    agent, agent_url = start_server(
        [sys.executable, "-m", "bank_agent.server", "--port", "0", "--llm-url", env.llm_url],
        r"(http://127\.0\.0\.1:\d+)",
        cwd=caller.path,
    )
    try:
        env.act.variables.update(
            STAGING_URL=agent_url,
            PROMETHEUS_URL=prometheus,
            CANARY_END=str(canary_end),
            CANARY_LABEL=canary_label,
            FULL_TRAFFIC_END="" if full_traffic_end is None else str(full_traffic_end),
            STRATEGY=strategy,
            KB_SNAPSHOT=kb_snapshot,
        )
        logs = {"E2E_DEPLOY_LOG": str(deploy_log), "E2E_RESTORE_LOG": str(restore_log)}
        run = run_push(env, caller, name, ".github/workflows/release.yml", extra_env=logs)
    finally:
        stop(agent)
    lines = deploy_log.read_text().splitlines() if deploy_log.exists() else []
    restored = restore_log.read_text().splitlines() if restore_log.exists() else []
    return Release(caller, run, lines, audit_records(caller), restored)


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
        env={**os.environ, "GENAI_GATE_AUDIT_PUBLIC_KEYS": public_hex(AUDIT_KEY)},
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
    assert done.run.outputs("production canary", "canary100")["decision"] == "promote"
    assert done.deploy_log == CANARY_LOG
    steps = [
        (r["event"], r.get("canary", {}).get("traffic_percent", r.get("traffic_percent")))
        for r in done.records
    ]
    assert steps == [
        ("deploy", 100),  # staging
        ("canary-step", 5),
        ("canary-step", 25),
        ("canary-step", 50),
        ("canary-step", 100),  # judged against the previous release before success is recorded
        ("deploy", 100),
    ], done.records
    assert done.records[-1]["success"] is True
    assert [a["user"] for a in done.records[-1]["approvers"]] == ["carol-compliance"]
    # before production: the whole trail verified, then the compliance evidence; DORA after
    assert done.run.outputs("production canary", "verify")["status"] == "pass"
    assert done.run.outputs("production canary", "compliance")["status"] == "pass"
    assert done.run.outputs("production canary", "dora")["status"] in {"pass", "fail"}
    assert "compliance for production at" in done.run.text("production canary")


def test_missing_compliance_evidence_blocks_production(env: Env, prometheus: str) -> None:
    done = release(env, prometheus, "no-evidence", "canary-healthy", reviewed=False)
    jobs = gate_jobs(done.run)
    assert jobs["staging"] == "success" and jobs["production canary"] == "failure", jobs
    assert done.run.outputs("production canary", "verify")["status"] == "pass"
    assert done.run.outputs("production canary", "compliance")["status"] == "fail"
    assert done.deploy_log == ["deploy staging 100"]  # nothing reached production
    assert [(r["event"], r["environment"]) for r in done.records] == [("deploy", "staging")]
    text = done.run.text("production canary")
    assert "missing evidence: no pull request found (pass --pr)" in text  # the annotation
    assert "3 of 5 items missing" in text, text[-3000:]


def traffic_steps(records: list[dict]) -> list[tuple[str, object, object]]:
    """(event, traffic %, success) of each record."""
    return [
        (
            r["event"],
            r.get("canary", {}).get("traffic_percent", r.get("traffic_percent")),
            r.get("success"),
        )
        for r in records
    ]


def assert_rolled_back_at_full_traffic(
    done: Release, job: str, judged_steps: list[tuple[str, object, object]]
) -> None:
    """The judged 100% step of `job` rolled back on the error rate: traffic went back at once,
    and after the staging deploy and `judged_steps` the trail holds the failed judgement, the
    rollback and the failed release."""
    judged = done.run.outputs(job, "canary100")
    assert judged["decision"] == "rollback" and "error_rate" in judged["failed-metrics"]
    assert done.deploy_log[-2:] == ["traffic 100", "rollback"], done.deploy_log
    assert traffic_steps(done.records) == [
        ("deploy", 100, True),
        *judged_steps,
        ("canary-step", 100, False),
        ("rollback", None, True),
        ("deploy", 0, False),
    ], done.records
    assert "decision rollback" in done.records[-1]["notes"]


def test_canary_regression_that_shows_only_at_full_traffic_rolls_back(
    env: Env, prometheus: str
) -> None:
    """The 5/25/50% steps are judged on windows where the canary is healthy; at 100% its error
    rate is 5x: the judged 100% step (against the previous release's production window before
    the switch) rolls back, and the release is recorded as failed, not successful."""
    done = release(
        env,
        prometheus,
        "full-traffic-regression",
        "canary-late",
        canary_end=END - 20 * 60,
        full_traffic_end=END,
    )
    run = done.run
    jobs = gate_jobs(run)
    assert jobs["production canary"] == "failure", jobs
    decisions = [run.outputs("production canary", f"canary{p}")["decision"] for p in (5, 25, 50)]
    assert decisions == ["promote"] * 3
    judged_steps = [("canary-step", p, True) for p in (5, 25, 50)]
    assert_rolled_back_at_full_traffic(done, "production canary", judged_steps)


def test_blue_green_switches_all_traffic_at_once_after_green_passes_at_zero(
    env: Env, prometheus: str
) -> None:
    """Green is deployed beside blue, health-checked and smoke-tested at 0% traffic, switched to
    100% in one step, judged against blue's production window, recorded as successful, and blue
    is retired after the keep time (0 minutes here)."""
    done = release(env, prometheus, "blue-green-switch", "green-healthy", strategy="blue-green")
    run = done.run
    jobs = gate_jobs(run)
    assert jobs["production blue-green"] == "success", jobs
    assert run.outputs("production blue-green", "green-smoke")["status"] == "pass"
    assert run.outputs("production blue-green", "green-smoke")["healthy"] == "true"
    assert run.outputs("production blue-green", "canary100")["decision"] == "promote"
    assert done.deploy_log == [
        "deploy staging 100",
        "deploy production 0",
        "traffic 100",
        "retire blue",
    ]
    assert traffic_steps(done.records) == [
        ("deploy", 100, True),
        ("canary-step", 0, True),  # green at 0%: health + smoke-test
        ("canary-step", 100, True),
        ("deploy", 100, True),
        ("canary-step", 100, True),  # blue retired: its own record, after the release's
    ], done.records
    assert "smoke-test pass" in done.records[1]["notes"]
    assert "blue kept 0 min" in done.records[-2]["notes"]
    retired = done.records[-1]
    assert retired["canary"]["outcome"] == "promote"
    assert retired["notes"] == (
        "blue-green: blue (baseline) kept 0 min after the switch, then retired by retire-command"
    )
    assert "production blue-green" not in "".join(
        line for line in run.text().splitlines() if "canary 5%" in line
    )


def test_blue_green_failed_judgement_switches_back_to_blue_at_once(
    env: Env, prometheus: str
) -> None:
    """Green passes at 0% but its judged window at 100% shows 3x the errors: the very next step
    switches all traffic back to blue (rollback-command), blue is not retired, and the trail
    holds the judgement, the rollback and the failed release."""
    done = release(env, prometheus, "blue-green-rollback", "green-errors", strategy="blue-green")
    run = done.run
    jobs = gate_jobs(run)
    assert jobs["production blue-green"] == "failure", jobs
    assert_rolled_back_at_full_traffic(done, "production blue-green", [("canary-step", 0, True)])
    assert done.deploy_log == [
        "deploy staging 100",
        "deploy production 0",
        "traffic 100",
        "rollback",
    ]
    assert "blue-green decision rollback" in done.records[-1]["notes"]


def test_rollback_restores_the_previous_kb_snapshot_and_prompts_with_the_code(
    env: Env, prometheus: str
) -> None:
    """Release 1.4.0 (KB snapshot kb-2026-11) reaches production; 1.5.0 (kb-2026-12) fails its
    first canary step. The rollback command is handed 1.4.0's manifest from the audit trail:
    version, KB snapshot and prompt versions as variables and the whole manifest as a JSON
    file; the rollback record says what it restored, within minutes of the failed judgement."""
    first = release(env, prometheus, "kb-rollback", "canary-healthy", kb_snapshot="kb-2026-11")
    assert gate_jobs(first.run)["production canary"] == "success"
    assert first.records[-1]["manifest"]["kb_snapshot_id"] == "kb-2026-11"
    second = release(
        env, prometheus, "kb-rollback", "canary-errors", first.caller, "1.5.0", "canary", END,
        None, "kb-2026-12",
    )  # fmt: skip
    assert gate_jobs(second.run)["production canary"] == "failure"
    previous = second.run.outputs("production canary", "previous")
    assert previous["previous-version"] == "1.4.0"
    assert previous["previous-kb-snapshot"] == "kb-2026-11"
    prompts = first.records[-1]["manifest"]["prompts"]
    pins = ",".join(f"{p['prompt_id']}@{p['version']}" for p in prompts)
    assert pins and second.restored == [f"restore 1.4.0 kb=kb-2026-11 prompts={pins}"]
    manifest = json.loads((env.workdir / "kb-rollback" / "restore.log.json").read_text())
    assert manifest["previous_release"]["manifest"] == first.records[-1]["manifest"]
    failed, rollback = second.records[-3], second.records[-2]
    assert (failed["event"], rollback["event"]) == ("canary-step", "rollback")
    plan = rollback["rollback_plan"]
    assert plan["previous_version"] == "1.4.0"
    assert plan["previous_manifest"]["kb_snapshot_id"] == "kb-2026-11"
    assert "restored 1.4.0 (KB snapshot kb-2026-11" in rollback["notes"]
    assert second.records[-1]["manifest"]["kb_snapshot_id"] == "kb-2026-12"

    def at(record: dict) -> float:
        return datetime.fromisoformat(record["timestamp"].replace("Z", "+00:00")).timestamp()

    assert at(rollback) - at(failed) < 300  # restored within 5 minutes of the failed judgement


EMPTY_DEPLOY = """\
name: release
on: push
permissions: {}
jobs:
  deploy:
    permissions: {contents: write, actions: read, pull-requests: read, packages: write,
                  id-token: write, attestations: write}
    uses: genai-gate/genai-gate/.github/workflows/genai-deploy.yml@PIN
    with:
      deploy-command: ""
      traffic-command: ""
      rollback-command: echo "rollback" >> "$E2E_DEPLOY_LOG"
    secrets:
      GENAI_AUDIT_KEY: ${{ secrets.GENAI_AUDIT_KEY }}
"""


def test_empty_deploy_command_is_a_configuration_error_and_records_nothing(env: Env) -> None:
    caller = harness.CallerRepo.create(env.workdir / "empty-deploy")
    workflow = pinned(env, EMPTY_DEPLOY)
    caller.commit("release workflow", {".github/workflows/release.yml": workflow})
    run = run_push(env, caller, "empty deploy-command", ".github/workflows/release.yml")
    jobs = gate_jobs(run)
    assert jobs["check the deploy inputs"] == "failure", jobs
    assert jobs.get("staging") != "success" and jobs.get("production canary") != "success"
    assert run.returncode != 0
    text = run.text()
    assert "input 'deploy-command' of genai-deploy.yml is empty" in text, text[-3000:]
    assert "input 'traffic-command' of genai-deploy.yml is empty" in text
    assert "input 'rollback-command'" not in text
    assert "exitcode '2'" in text or "exit code 2" in text or "exit status 2" in text, text[-2000:]
    remote = harness.git(caller.path, "ls-remote", "origin", "genai-audit")
    assert remote == "", "an audit record was written although nothing was deployed"


def test_two_pushes_deploy_one_canary_at_a_time_and_both_are_audited(
    env: Env, prometheus: str
) -> None:
    """Two releases pushed to main one after the other on the same repository: each runs its
    whole canary alone (the deploy log never interleaves), production verifies the trail
    before each, and the audit log holds both releases, gap-free, verifiable. act does not
    enforce `concurrency:` groups: that the second run would wait (and supersede an older
    pending one) is checked statically in tests/test_workflow_rules.py."""
    first = release(env, prometheus, "two-pushes", "canary-healthy")
    second = release(env, prometheus, "two-pushes", "canary-healthy", first.caller, "1.5.0")
    for done in (first, second):
        jobs = gate_jobs(done.run)
        assert jobs["staging"] == "success" and jobs["production canary"] == "success", jobs
        assert done.run.outputs("production canary", "verify")["status"] == "pass"
        checkpoint = done.run.outputs("production canary", "checkpoint")["checkpoint"]
        assert len(checkpoint) >= 64, checkpoint
    # the second canary started after the first ended
    assert second.deploy_log == CANARY_LOG + CANARY_LOG
    records = second.records
    assert [r["seq"] for r in records] == list(range(len(records))) and len(records) == 12
    versions = [(r["version"], r["event"], r["environment"]) for r in records]
    assert versions[0] == ("1.4.0", "deploy", "staging")
    assert versions[5] == ("1.4.0", "deploy", "production")
    assert versions[6] == ("1.5.0", "deploy", "staging")
    assert versions[11] == ("1.5.0", "deploy", "production")
    assert all(r["success"] for r in records if r["event"] == "deploy")
