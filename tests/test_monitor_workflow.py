"""genai-monitor.yml checked statically against GitHub's documented rules (act cannot run `$/`).

actionlint and zizmor run on it in test_workflows.py; here: the permission model, no template
expansion in scripts, and that the report job expects exactly the results files the commands write.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from genai_gate.cli import main

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "genai-monitor.yml"
EXAMPLE = ROOT / "examples" / "bank-support-agent"


def load() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_permissions_are_empty_at_top_and_minimal_per_job_with_reasons() -> None:
    workflow = load()
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["checks"]["permissions"] == {"contents": "read"}
    assert jobs["report"]["permissions"] == {"issues": "write"}
    text = WORKFLOW.read_text(encoding="utf-8")
    for line in re.findall(r"^\s+(?:contents|issues): (?:read|write).*$", text, re.MULTILINE):
        assert "  # " in line, f"permission without a reason: {line.strip()}"


def test_no_expression_inside_run_and_the_token_only_in_the_report_step() -> None:
    jobs = load()["jobs"]
    for job in jobs.values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step.get("name") or step.get("id")
    holders = [
        (name, step.get("id") or step.get("name"))
        for name, job in jobs.items()
        for step in job["steps"]
        if "github.token" in str(step.get("env", {})) or "secrets." in str(step.get("env", {}))
    ]
    assert holders == [("checks", "secret environment (masked)"), ("report", "report")]


def test_report_expects_the_results_files_the_checks_write() -> None:
    jobs = load()["jobs"]
    checks = "\n".join(step.get("run", "") for step in jobs["checks"]["steps"])
    written = set(re.findall(r'test -s "\$RESULTS/([a-z-]+)\.json"', checks))
    report = next(step["run"] for step in jobs["report"]["steps"] if step.get("id") == "report")
    expected = set(re.findall(r"expect\+=\(([a-z-]+)\)", report))
    assert written == expected == {"injection-test", "eval-replay", "eval-gate", "monitor-cost"}
    assert "--replay" in checks and "monitor cost" in checks
    assert jobs["report"]["if"] == "always()" and jobs["report"]["needs"] == "checks"


def test_third_party_actions_are_pinned_by_sha() -> None:
    for ref in re.findall(
        r"^\s*(?:-\s+)?uses:\s*(\S+)", WORKFLOW.read_text(encoding="utf-8"), re.M
    ):
        assert ref.startswith("$/") or re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), ref


def eval_replay_step(tmp_path: Path, transcripts: Path) -> Path:
    """Run the workflow's eval-replay script with bash, as the runner would; the results dir."""
    step = next(
        s
        for s in load()["jobs"]["checks"]["steps"]
        if "--replay" in s.get("run", "") and "eval-gate" in s["run"]
    )
    assert step["if"] == "inputs.replay-suite != ''"
    results = tmp_path / "monitor-results"
    env = os.environ | {
        "GENAI_GATE_PYTHON": sys.executable,
        "CONFIG": str(EXAMPLE / "genai-gate.yaml"),
        "SUITE": "production",
        "EVAL_TRANSCRIPTS_FILE": str(transcripts),
        "REPLAY_RESULTS": str(tmp_path / "eval-replay"),
        "RESULTS": str(results),
    }
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return results


def test_eval_replay_step_scores_the_sample_transcripts(tmp_path: Path) -> None:
    results = eval_replay_step(tmp_path, EXAMPLE / "monitoring" / "transcripts.sample.jsonl")
    result = json.loads((results / "eval-replay.json").read_text(encoding="utf-8"))
    assert (result["gate"], result["status"]) == ("eval-gate", "pass")
    assert result["details"]["replay"]["records"] == 3
    assert main(["monitor", "report", "--repo", "o/r", "--results-dir", str(results),
                 "--expect", "eval-replay", "--dry-run"]) == 0  # fmt: skip


def test_unreadable_transcripts_degrade_the_eval_replay_signal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "eval-transcripts.jsonl"
    broken.write_text('{"id": "t-1", "response": "no input"}\n', encoding="utf-8")
    results = eval_replay_step(tmp_path, broken)
    result = json.loads((results / "eval-replay.json").read_text(encoding="utf-8"))
    assert (result["status"], result["incomplete"]) == ("error", True)
    assert f"{broken}:1: input: Field required" in result["error"]
    code = main(["monitor", "report", "--repo", "o/r", "--results-dir", str(results),
                 "--expect", "eval-replay", "--dry-run"])  # fmt: skip
    assert code == 1
    assert "| ❌ eval-replay | error | eval-gate could not run" in capsys.readouterr().out
