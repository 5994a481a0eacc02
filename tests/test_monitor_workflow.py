"""genai-monitor.yml checked statically against GitHub's documented rules (act cannot run `$/`).

actionlint and zizmor run on it in test_workflows.py; here: the permission model, no template
expansion in scripts, and that the report job expects exactly the results files the commands write.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "genai-monitor.yml"


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
    assert written == expected == {"injection-test", "eval-gate", "monitor-cost"}
    assert "--replay" in checks and "monitor cost" in checks
    assert jobs["report"]["if"] == "always()" and jobs["report"]["needs"] == "checks"


def test_third_party_actions_are_pinned_by_sha() -> None:
    for ref in re.findall(
        r"^\s*(?:-\s+)?uses:\s*(\S+)", WORKFLOW.read_text(encoding="utf-8"), re.M
    ):
        assert ref.startswith("$/") or re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), ref
