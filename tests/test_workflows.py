"""The workflows and actions themselves: actionlint, zizmor, pins, permissions, internal refs."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
EXAMPLE_WORKFLOW = ROOT / "examples" / "bank-support-agent" / ".github" / "workflows" / "genai.yml"
ACTION_FILES = [ROOT / "action.yml", *sorted((ROOT / "actions").glob("*/action.yml"))]
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$", re.MULTILINE)
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def load_release() -> ModuleType:
    """scripts/release as a module (it has no .py suffix)."""
    path = ROOT / "scripts" / "release"
    loader = importlib.machinery.SourceFileLoader("genai_gate_release", str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_expected_workflows_exist() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"genai-checks.yml", "genai-deploy.yml", "genai-pipeline.yml", "ci.yml"} <= names


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint not installed")
def test_actionlint_reports_nothing() -> None:
    done = subprocess.run(
        ["actionlint", *map(str, WORKFLOWS), str(EXAMPLE_WORKFLOW)],
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


def test_internal_references_share_one_ref() -> None:
    release = load_release()
    want = release.version()
    found = {
        (path.name, ref)
        for path in release.ref_files()
        for _, ref in release.internal_refs(path.read_text(encoding="utf-8"))
    }
    assert found, "no internal references found"
    assert {ref for _, ref in found} == {want}, found
    done = subprocess.run([str(ROOT / "scripts" / "release"), "refs", "--check"], cwd=ROOT)
    assert done.returncode == 0


def test_refs_bump_rewrites_every_internal_reference(tmp_path: Path) -> None:
    release = load_release()
    text = (ROOT / ".github" / "workflows" / "genai-pipeline.yml").read_text(encoding="utf-8")
    old = release.version()
    bumped = release.INTERNAL_REF.sub(lambda m: f"{m['path']}@v9.9.9", text)
    assert {r for _, r in release.internal_refs(bumped)} == {"v9.9.9"}
    assert bumped.count("@v9.9.9") == text.count(f"@{old}") >= 2


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
    gates = [
        s["with"]["step"] for s in steps if str(s.get("uses", "")).endswith("canary-gate@v0.1.0")
    ]
    assert gates == ["5", "25", "50"]
    traffic = [
        s["env"]["GENAI_GATE_TRAFFIC_PERCENT"]
        for s in steps
        if "TRAFFIC_COMMAND" in s.get("run", "")
    ]
    assert traffic == ["5", "25", "50", "100"]
    audits = [s for s in steps if str(s.get("uses", "")).endswith("audit-log@v0.1.0")]
    assert [a["with"]["event"] for a in audits] == [
        "canary-step",
        "canary-step",
        "canary-step",
        "rollback",
        "deploy",
    ]
    assert all(a["with"]["approvals"] == "github" for a in audits)
    build = "\n".join(s.get("run", "") for s in jobs["build"]["steps"])
    assert "docker build" in build and "docker push" in build
    assert any("attest-build-provenance" in str(s.get("uses")) for s in jobs["build"]["steps"])


def test_checks_workflow_shape() -> None:
    doc = yaml.safe_load((ROOT / ".github" / "workflows" / "genai-checks.yml").read_text())
    jobs = doc["jobs"]
    assert jobs["eval-shard"]["strategy"]["matrix"]["shard"].startswith("${{ fromJSON(")
    assert jobs["eval-gate"]["needs"] == "eval-shard"
    assert set(jobs["comment"]["needs"]) == {
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
    assert len(categories) == len(set(categories)) == 4
    assert doc[True]["workflow_call"]["inputs"]["trufflehog"]["default"] is True


def test_example_pins_a_commit_whose_pipeline_takes_its_inputs() -> None:
    """The example caller pins a genai-gate commit by SHA; that commit's pipeline knows the
    inputs and secrets the example passes (skipped in shallow clones without that commit)."""
    text = EXAMPLE_WORKFLOW.read_text(encoding="utf-8")
    match = re.search(r"genai-pipeline\.yml@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)", text)
    assert match, "the example must pin genai-pipeline.yml by full SHA with a # vX.Y.Z comment"
    sha, _ = match.groups()
    shown = subprocess.run(
        ["git", "show", f"{sha}:.github/workflows/genai-pipeline.yml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if shown.returncode != 0:
        pytest.skip(f"commit {sha[:12]} not in this clone")
    pinned = yaml.safe_load(shown.stdout)[True]["workflow_call"]
    job = yaml.safe_load(text)["jobs"]["genai"]
    assert set(job["with"]) <= set(pinned["inputs"]), set(job["with"]) - set(pinned["inputs"])
    assert set(job["secrets"]) <= set(pinned["secrets"])
