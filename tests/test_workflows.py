"""The workflows and actions themselves: actionlint, zizmor, pins, permissions, internal refs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
EXAMPLE_WORKFLOW = ROOT / "examples" / "bank-support-agent" / ".github" / "workflows" / "genai.yml"
ACTION_FILES = [ROOT / "action.yml", *sorted((ROOT / "actions").glob("*/action.yml"))]
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$", re.MULTILINE)
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def test_expected_workflows_exist() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"genai-checks.yml", "genai-deploy.yml", "genai-pipeline.yml", "ci.yml"} <= names


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint not installed")
def test_actionlint_reports_nothing() -> None:
    done = subprocess.run(
        [
            "actionlint",
            *map(str, WORKFLOWS),
            *map(str, ROOT.glob("examples/*/.github/workflows/*.yml")),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("zizmor") is None, reason="zizmor not installed")
def test_zizmor_auditor_reports_nothing() -> None:
    done = subprocess.run(
        ["zizmor", "--offline", "--persona", "auditor", "--format", "plain", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout + done.stderr


def all_uses(path: Path) -> list[tuple[str, str]]:
    return [(m["ref"], m["rest"]) for m in USES.finditer(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("path", [*WORKFLOWS, *ACTION_FILES], ids=lambda p: p.parent.name)
def test_third_party_actions_pinned_by_sha_with_version(path: Path) -> None:
    for ref, rest in all_uses(path):
        if ref.startswith(("./", "$/", "genai-gate/genai-gate")):
            continue
        assert SHA_PIN.match(ref), f"{path.name}: {ref} is not pinned by full SHA"
        assert re.search(r"#\s*v\d+\.\d+\.\d+", rest), f"{path.name}: {ref} lacks # vX.Y.Z"


@pytest.mark.parametrize("path", [*WORKFLOWS, *ACTION_FILES], ids=lambda p: p.parent.name)
def test_own_actions_and_workflows_use_self_repository_references(path: Path) -> None:
    """GitHub resolves `uses: $/<path>` to this repository at the commit that is running (the one
    the caller pinned), with no checkout; a `genai-gate/genai-gate/...@<tag>` reference would run
    whatever the tag points at (changelog 2026-07-30, "Reference same-repository actions with
    self-repository syntax"; runner >= 2.336.0)."""
    refs = [ref for ref, _ in all_uses(path)]
    own = [ref for ref in refs if ref.startswith(("genai-gate/genai-gate", "./"))]
    assert not own, f"{path.name}: internal references must be $/<path>: {own}"
    for ref in refs:
        if ref.startswith("$/"):
            assert "@" not in ref, f"{path.name}: {ref}: a self-repository reference has no @ref"
            target = ROOT / ref[2:]
            assert (target / "action.yml").is_file() or target.is_file(), f"{path.name}: {ref}"


def test_no_suppression_config_for_zizmor_or_actionlint() -> None:
    """Findings about our own references are fixed, not configured away."""
    for name in ("zizmor.yml", "zizmor.yaml", "actionlint.yaml", "actionlint.yml"):
        assert not (ROOT / ".github" / name).exists(), name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_empty_at_top_and_set_per_job(path: Path) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["permissions"] == {}, path.name
    text = path.read_text(encoding="utf-8")
    for name, job in doc["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name} has no permissions"
        for scope in job["permissions"]:
            line = re.search(rf"^\s+{scope}: \w+(.*)$", text, re.MULTILINE)
            assert line and "#" in line.group(1), f"{path.name}: {name}.{scope} lacks a comment"


@pytest.mark.parametrize("path", [*WORKFLOWS, *ACTION_FILES], ids=lambda p: p.parent.name)
def test_no_expressions_in_run_and_no_secrets_inherit(path: Path) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = [s for job in doc.get("jobs", {}).values() for s in job.get("steps", [])]
    steps += doc.get("runs", {}).get("steps", [])
    for step in steps:
        assert "${{" not in step.get("run", ""), f"{path.name}: expression in run: {step}"
    assert "secrets: inherit" not in path.read_text(encoding="utf-8")


def test_deploy_workflow_shape() -> None:
    doc = yaml.safe_load((ROOT / ".github" / "workflows" / "genai-deploy.yml").read_text())
    jobs = doc["jobs"]
    assert jobs["production"]["environment"] == "${{ inputs.production-environment }}"
    assert jobs["staging"]["environment"] == "${{ inputs.staging-environment }}"
    steps = jobs["production"]["steps"]
    gates = [s["with"]["step"] for s in steps if s.get("uses") == "$/actions/canary-gate"]
    assert gates == ["5", "25", "50", "100"]  # the 100% step is judged too, in both strategies
    judged = {s["with"]["step"]: s for s in steps if s.get("uses") == "$/actions/canary-gate"}
    assert all(judged[p]["if"] == "inputs.strategy == 'canary'" for p in ("5", "25", "50"))
    assert "if" not in judged["100"]
    assert "steps.promote.outputs.switched-at" in judged["100"]["with"]["baseline-end"]
    final = next(s for s in steps if s.get("id") == "final")
    assert final["env"]["JUDGED"] == "${{ steps.canary100.outputs.decision }}"
    assert 'if [ "$JUDGED" = promote ]; then outcome=success; fi' in final["run"]
    traffic = [
        s["env"]["GENAI_GATE_TRAFFIC_PERCENT"]
        for s in steps
        if "TRAFFIC_COMMAND" in s.get("run", "")
    ]
    assert traffic == ["5", "25", "50", "100"]
    audits = [
        s
        for s in steps
        if s.get("uses") == "$/actions/audit-log" and s["with"]["action"] == "record"
    ]
    assert [(a["id"], a["with"]["event"]) for a in audits] == [
        ("audit-green", "canary-step"),  # blue-green: green smoke-tested at 0%
        ("audit5", "canary-step"),
        ("audit25", "canary-step"),
        ("audit50", "canary-step"),
        ("audit100", "canary-step"),
        ("audit-rollback", "rollback"),
        ("audit-outcome", "deploy"),
        ("audit-retire", "canary-step"),  # blue-green: blue retired after the keep time
    ]
    assert all(a["with"]["approvals"] == "github" for a in audits)
    retire = next(a for a in audits if a["id"] == "audit-retire")
    assert retire["if"] == "always() && steps.retire.outcome != 'skipped'"
    assert retire["with"]["traffic-percent"] == "100"
    # Live extension of a canary step is opt-in: the job's limit is an input, 120 by default.
    assert jobs["production"]["timeout-minutes"] == "${{ inputs.production-timeout-minutes }}"
    timeout = doc[True]["workflow_call"]["inputs"]["production-timeout-minutes"]
    assert (timeout["type"], timeout["default"]) == ("number", 120)
    assert "run_timeout_s to 1900" in timeout["description"]
    assert "this to 180" in timeout["description"]
    build = "\n".join(s.get("run", "") for s in jobs["build"]["steps"])
    assert "docker build" in build and "docker push" in build
    assert any("attest-build-provenance" in str(s.get("uses")) for s in jobs["build"]["steps"])


def test_checks_workflow_shape() -> None:
    doc = yaml.safe_load((ROOT / ".github" / "workflows" / "genai-checks.yml").read_text())
    jobs = doc["jobs"]
    assert jobs["eval-shard"]["strategy"]["matrix"]["shard"].startswith("${{ fromJSON(")
    assert jobs["eval-gate"]["needs"] == "eval-shard"
    assert set(jobs["comment"]["needs"]) == {
        "plan",
        "tests",
        "prompt-lint",
        "security",
        "injection-test",
        "eval-gate",
        "cost-estimate",
    }
    categories = [
        s["with"]["category"]
        for job in jobs.values()
        for s in job.get("steps", [])
        if "upload-sarif" in str(s.get("uses", ""))
    ]
    assert len(categories) == len(set(categories)) == 7  # one per tool and gate
    assert doc[True]["workflow_call"]["inputs"]["trufflehog"]["default"] is True


def test_example_pins_a_release_commit_and_passes_known_inputs() -> None:
    """The example caller pins genai-gate by full SHA with a # vX.Y.Z comment, and passes only
    inputs and secrets the pipeline of this tree (what the e2e runs for that pin) declares."""
    text = EXAMPLE_WORKFLOW.read_text(encoding="utf-8")
    match = re.search(r"genai-pipeline\.yml@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)", text)
    assert match, "the example must pin genai-pipeline.yml by full SHA with a # vX.Y.Z comment"
    pipeline = yaml.safe_load((ROOT / ".github" / "workflows" / "genai-pipeline.yml").read_text())
    call = pipeline[True]["workflow_call"]
    job = yaml.safe_load(text)["jobs"]["genai"]
    assert set(job["with"]) <= set(call["inputs"]), set(job["with"]) - set(call["inputs"])
    assert set(job["secrets"]) <= set(call["secrets"])
