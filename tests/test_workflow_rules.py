"""GitHub's rules that act does not enforce, checked statically on our workflow and action files.

act runs a nested job whatever permissions it asks for, hands every secret to every job and leaks
undeclared outputs of composite actions, so a workflow can pass under act and be rejected (or
silently read empty values) on github.com. These tests model the rules from the files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW_DIR = ROOT / ".github" / "workflows"
WORKFLOWS = sorted(WORKFLOW_DIR.glob("*.yml"))
ACTION_FILES = [ROOT / "action.yml", *sorted((ROOT / "actions").glob("*/action.yml"))]
EXAMPLE_WORKFLOWS = sorted(ROOT.glob("examples/*/.github/workflows/*.yml"))
OWN_WORKFLOW = re.compile(
    r"^(?:\$/|genai-gate/genai-gate/)\.github/workflows/(?P<file>[\w.-]+\.yml)(?:@.+)?$"
)
"""`uses:` of one of our reusable workflows: `$/...` inside this repository, `owner/repo/...@ref`
in a caller."""
OWN_ACTION = re.compile(r"^(?:\$/|genai-gate/genai-gate/)(?P<path>actions/[\w-]+)(?:@\S+)?$")
STEP_OUTPUT = re.compile(r"\bsteps\.(?P<step>[\w-]+)\.outputs\.(?P<name>[\w-]+)")
JOB_OUTPUT = re.compile(r"\bjobs\.(?P<job>[\w-]+)\.outputs\.(?P<name>[\w-]+)")
NEEDS_OUTPUT = re.compile(r"\bneeds\.(?P<job>[\w-]+)\.outputs\.(?P<name>[\w-]+)")
SECRET = re.compile(r"\bsecrets\.(?P<name>[\w-]+)")
LEVELS = {"none": 0, "read": 1, "write": 2}
SCOPES = (
    "actions",
    "artifact-metadata",
    "attestations",
    "checks",
    "contents",
    "deployments",
    "discussions",
    "id-token",
    "issues",
    "models",
    "packages",
    "pages",
    "pull-requests",
    "repository-projects",
    "security-events",
    "statuses",
)


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def workflow_call(doc: dict[str, Any]) -> dict[str, Any]:
    """`on.workflow_call` of a workflow (PyYAML reads the key `on` as True)."""
    on = doc.get(True, doc.get("on")) or {}
    return (on.get("workflow_call") or {}) if isinstance(on, dict) else {}


def permissions(value: object) -> dict[str, int]:
    """A `permissions:` value as scope -> level (0 none, 1 read, 2 write)."""
    if value in ("read-all", "write-all"):
        return dict.fromkeys(SCOPES, LEVELS[str(value).split("-")[0]])
    if not value:
        return {}
    assert isinstance(value, dict), value
    return {scope: LEVELS[str(level)] for scope, level in value.items()}


def union(*grants: dict[str, int]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for grant in grants:
        for scope, level in grant.items():
            merged[scope] = max(merged.get(scope, 0), level)
    return merged


def shortfall(granted: dict[str, int], needed: dict[str, int]) -> list[str]:
    names = {v: k for k, v in LEVELS.items()}
    return [
        f"{scope}: {names[level]} (granted {names[granted.get(scope, 0)]})"
        for scope, level in sorted(needed.items())
        if granted.get(scope, 0) < level
    ]


def own_workflow(uses: object) -> Path | None:
    match = OWN_WORKFLOW.match(str(uses or ""))
    return WORKFLOW_DIR / match["file"] if match else None


@cache
def needed_permissions(path: Path) -> dict[str, int]:
    """Union of the permissions every job of a reusable workflow asks for, transitively through
    the workflows it calls (a calling job must itself grant what its nested jobs ask for)."""
    jobs = load(path)["jobs"].values()
    nested = [needed_permissions(p) for job in jobs if (p := own_workflow(job.get("uses")))]
    return union(*(permissions(job.get("permissions")) for job in jobs), *nested)


def secret_names(passed: object) -> set[str]:
    return set(passed) if isinstance(passed, dict) else set()


@cache
def needed_secrets(path: Path) -> frozenset[str]:
    """Secrets of a reusable workflow its callers must pass: those it declares required, and
    those it forwards into a nested workflow that requires them."""
    doc = load(path)
    needed = {n for n, s in (workflow_call(doc).get("secrets") or {}).items() if s.get("required")}
    for job in doc["jobs"].values():
        nested = own_workflow(job.get("uses"))
        if nested is None:
            continue
        for name, value in (job.get("secrets") or {}).items():
            if name in needed_secrets(nested):
                needed |= {m["name"] for m in SECRET.finditer(str(value))}
    return frozenset(needed)


@dataclass(frozen=True)
class Caller:
    """One job that calls a reusable workflow of ours, as documented or as shipped."""

    where: str
    job: dict[str, Any]

    @property
    def workflow(self) -> Path:
        found = own_workflow(self.job["uses"])
        assert found is not None
        return found


def yaml_blocks(markdown: str) -> Iterator[str]:
    yield from re.findall(r"```ya?ml\n(.*?)```", markdown, flags=re.DOTALL)


def header_snippet(path: Path) -> str | None:
    """The caller snippet in a workflow's header comment (from `jobs:` to the comment's end)."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line[2:] if line.startswith("# ") else line[1:])
    text = "\n".join(lines)
    start = re.search(r"^\s*jobs:\s*$", text, re.MULTILINE)
    if start is None:
        return None
    block = text[start.start() :].splitlines()
    indent = len(block[0]) - len(block[0].lstrip())
    kept = [block[0][indent:]]
    for line in block[1:]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        kept.append(line[indent:])
    return "\n".join(kept)


def callers() -> tuple[list[Caller], list[str]]:
    """Every documented or shipped job that calls one of our reusable workflows, and the
    snippets that are not YAML at all."""
    found: list[Caller] = []
    broken: list[str] = []

    def add(where: str, text: str | dict) -> None:
        try:
            doc = yaml.safe_load(text) if isinstance(text, str) else text
        except yaml.YAMLError as exc:
            broken.append(f"{where}: {exc}")
            return
        jobs = doc.get("jobs") if isinstance(doc, dict) else None
        for name, job in (jobs or {}).items():
            if isinstance(job, dict) and own_workflow(job.get("uses")):
                found.append(Caller(f"{where}: job {name}", job))

    for md in [ROOT / "README.md", *sorted(ROOT.glob("examples/*/README.md"))]:
        for n, block in enumerate(yaml_blocks(md.read_text(encoding="utf-8")), 1):
            add(f"{md.relative_to(ROOT)} yaml block {n}", block)
    for path in WORKFLOWS:
        snippet = header_snippet(path)
        if snippet is not None:
            add(f"{path.relative_to(ROOT)} header comment", snippet)
        add(str(path.relative_to(ROOT)), load(path))
    for path in EXAMPLE_WORKFLOWS:
        add(str(path.relative_to(ROOT)), load(path))
    return found, broken


CALLERS, BROKEN_SNIPPETS = callers()


def test_documented_snippets_are_yaml() -> None:
    """A caller copies the snippet: it must parse (`${{ }}` inside a flow mapping does not)."""
    assert not BROKEN_SNIPPETS, BROKEN_SNIPPETS


def test_the_documented_callers_are_found() -> None:
    where = " ".join(c.where for c in CALLERS)
    assert "README.md" in where and "header comment" in where and "examples/" in where, where
    assert {c.workflow.name for c in CALLERS} >= {"genai-pipeline.yml", "genai-checks.yml"}


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.where)
def test_caller_grants_every_permission_its_nested_jobs_ask_for(caller: Caller) -> None:
    """GitHub refuses the whole run when a job of a called workflow asks for more than its
    caller grants: "The GITHUB_TOKEN permissions passed from the caller workflow can be only
    downgraded (not elevated) by the called workflow", and a nested workflow's jobs are bound by
    every caller above them (docs.github.com, "Reusing workflows" > "Access and permissions" and
    "Nesting reusable workflows"). A calling job without `permissions:` gets the repository's
    default token, read-only for most repositories, so the snippet must say what it grants."""
    assert "permissions" in caller.job, f"{caller.where}: no permissions (default token)"
    missing = shortfall(permissions(caller.job["permissions"]), needed_permissions(caller.workflow))
    assert not missing, f"{caller.where} calls {caller.workflow.name} but does not grant {missing}"


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.where)
def test_caller_passes_declared_and_required_secrets(caller: Caller) -> None:
    """A called workflow sees only the secrets passed to it by name (or `secrets: inherit`); a
    name it does not declare under `on.workflow_call.secrets` is an error, and a secret marked
    `required: true` must be passed (docs.github.com, "Reusing workflows" > "Using inputs and
    secrets in a reusable workflow"; workflow syntax `on.workflow_call.secrets`). A secret a
    nested workflow requires is required of every caller that forwards it."""
    passed = caller.job.get("secrets")
    assert passed != "inherit", f"{caller.where}: secrets: inherit hands over every secret"
    declared = set(workflow_call(load(caller.workflow)).get("secrets") or {})
    undeclared = secret_names(passed) - declared
    assert not undeclared, f"{caller.where}: {caller.workflow.name} declares no {undeclared}"
    missing = needed_secrets(caller.workflow) - secret_names(passed)
    assert not missing, f"{caller.where}: {caller.workflow.name} needs secrets {sorted(missing)}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_reusable_workflow_reads_only_declared_secrets(path: Path) -> None:
    """Inside a called workflow `secrets.X` is empty unless X was passed, i.e. declared under
    `on.workflow_call.secrets` (GITHUB_TOKEN excepted); environment secrets too must be declared
    and passed by name (docs.github.com, "Reusing workflows": "If the caller workflow does not
    pass the environment secret, the secret resolves to an empty string")."""
    doc = load(path)
    call = workflow_call(doc)
    if not call:
        return  # a top-level workflow reads repository secrets
    declared = set(call.get("secrets") or {}) | {"GITHUB_TOKEN"}
    read = {m["name"] for m in SECRET.finditer(yaml.safe_dump(doc["jobs"]))}
    assert read <= declared, f"{path.name} reads undeclared secrets {sorted(read - declared)}"


def action_outputs(path: str) -> set[str]:
    return set(load(ROOT / path / "action.yml").get("outputs") or {})


def steps_of(job: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in job.get("steps", []) if "id" in s}


def job_output_names(doc: dict[str, Any], name: str) -> set[str]:
    job = doc["jobs"][name]
    nested = own_workflow(job.get("uses"))
    if nested is not None:
        return set(workflow_call(load(nested)).get("outputs") or {})
    return set(job.get("outputs") or {})


def output_reads(path: Path) -> Iterator[tuple[str, str, str, dict[str, dict[str, Any]]]]:
    """(where, step id, output name, steps of the job) of every `steps.X.outputs.Y` read."""
    doc = load(path)
    units = [(f"job {n}", j) for n, j in (doc.get("jobs") or {}).items()]
    if "runs" in doc:
        units.append(
            ("runs", {"steps": doc["runs"].get("steps", []), "outputs": doc.get("outputs")})
        )
    for where, unit in units:
        steps = steps_of(unit)
        for match in STEP_OUTPUT.finditer(yaml.safe_dump(unit)):
            yield where, match["step"], match["name"], steps


@pytest.mark.parametrize("path", [*WORKFLOWS, *ACTION_FILES], ids=lambda p: str(p.parent.name))
def test_step_outputs_read_are_declared_by_the_internal_action(path: Path) -> None:
    """A composite action exposes only the outputs declared under `outputs:` in its action.yml
    (docs.github.com, "Metadata syntax for GitHub Actions" > `outputs` for composite actions);
    act also passes through every output an inner step set, so an undeclared read works under
    act and is always empty on GitHub. Reading a step id that does not exist is empty too."""
    for where, step, name, steps in output_reads(path):
        assert step in steps, f"{path.name} {where}: no step with id {step!r}"
        match = OWN_ACTION.match(str(steps[step].get("uses", "")))
        if match is None:
            continue
        declared = action_outputs(match["path"])
        assert name in declared, (
            f"{path.name} {where}: steps.{step}.outputs.{name} is not an output of "
            f"{match['path']} (declared: {sorted(declared)})"
        )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_job_and_workflow_outputs_map_to_declared_outputs(path: Path) -> None:
    """`jobs.J.outputs` of `on.workflow_call.outputs` and `needs.J.outputs.K` must name outputs
    job J declares (its `outputs:`, or the called workflow's `on.workflow_call.outputs`);
    anything else is an empty string on GitHub (docs.github.com, "Reusing workflows" > "Using
    outputs from a reusable workflow"; workflow syntax `jobs.<job_id>.outputs`)."""
    doc = load(path)
    for out, spec in (workflow_call(doc).get("outputs") or {}).items():
        for match in JOB_OUTPUT.finditer(str(spec.get("value", ""))):
            assert match["name"] in job_output_names(doc, match["job"]), f"{path.name}: {out}"
    for name, job in doc["jobs"].items():
        for match in NEEDS_OUTPUT.finditer(yaml.safe_dump(job)):
            assert match["job"] in doc["jobs"], f"{path.name} job {name}: no job {match['job']}"
            declared = job_output_names(doc, match["job"])
            assert match["name"] in declared, (
                f"{path.name} job {name}: needs.{match['job']}.outputs.{match['name']} "
                f"is not declared (declared: {sorted(declared)})"
            )


def test_rules_catch_what_github_rejects() -> None:
    """The checks themselves: an under-granting caller and an undeclared output are reported."""
    pipeline = WORKFLOW_DIR / "genai-pipeline.yml"
    assert shortfall({"contents": 2}, needed_permissions(pipeline))
    assert needed_permissions(pipeline).get("pull-requests") == LEVELS["write"]
    declared = action_outputs("actions/report")
    assert "no-such-output" not in declared and {"status", "exit-code"} <= declared


DEPLOY = WORKFLOW_DIR / "genai-deploy.yml"


def test_deploys_are_serialised_per_repository_and_environment() -> None:
    """GitHub's `concurrency:` keeps at most one running and one pending job per group; with
    `cancel-in-progress: false` the running one finishes and a newer pending job cancels the
    older pending one (docs.github.com, "Control the concurrency of workflows and jobs"). act
    does not enforce groups, so the keys are checked here: one group per repository and
    environment, never cancelling a running deploy."""
    jobs = load(DEPLOY)["jobs"]
    for name, environment in (
        ("staging", "inputs.staging-environment"),
        ("production", "inputs.production-environment"),
    ):
        group = jobs[name]["concurrency"]
        assert "github.repository" in group["group"] and environment in group["group"], name
        assert group["cancel-in-progress"] is False, name


def test_a_superseded_release_is_recorded_in_the_audit_log() -> None:
    """The older pending production job that concurrency cancels leaves a `deploy` record with
    outcome failure, traffic 0 and "superseded" in its notes: the release passed staging and
    must not vanish from the trail."""
    job = load(DEPLOY)["jobs"]["superseded"]
    assert "needs.production.result == 'cancelled'" in job["if"]
    assert "needs.staging.result == 'success'" in job["if"] and "always()" in job["if"]
    [record] = [s for s in job["steps"] if s.get("uses") == "$/actions/audit-log"]
    assert record["with"]["action"] == "record" and record["with"]["event"] == "deploy"
    assert record["with"]["outcome"] == "failure" and record["with"]["traffic-percent"] == "0"
    assert "superseded" in record["with"]["notes"]
    assert record["with"]["environment"] == "${{ inputs.production-environment }}"


def key_or_write_jobs() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path in WORKFLOWS:
        for name, job in (load(path).get("jobs") or {}).items():
            text = yaml.safe_dump(job)
            writes = any(v == "write" for v in (job.get("permissions") or {}).values())
            token = "persist-credentials: true" in text or "github.token" in text
            if "GENAI_AUDIT_KEY" in text or (writes and token):
                yield path.name, name, job


def test_jobs_holding_the_key_or_a_write_token_restore_no_cache_and_install_nothing() -> None:
    """A cache is writable by any workflow of the repository (pull requests included) and is
    restored without review (docs.github.com, "Caching dependencies" > cache access
    restrictions; zizmor's cache-poisoning audit): a job holding the audit signing key or a
    persisted write token restores none, and installs none of the caller's requirements."""
    found = list(key_or_write_jobs())
    assert {(w, j) for w, j, _ in found} >= {
        ("genai-deploy.yml", "staging"),
        ("genai-deploy.yml", "production"),
        ("genai-deploy.yml", "superseded"),
        ("genai-checks.yml", "comment"),
    }
    for workflow, name, job in found:
        for step in job.get("steps", []):
            uses = str(step.get("uses", ""))
            where = f"{workflow} job {name} step {step.get('id') or step.get('name') or uses}"
            assert not uses.startswith("actions/cache"), where
            if OWN_ACTION.match(uses):
                assert step.get("with", {}).get("cache") == "false", f"{where}: restores a cache"
                assert not step.get("with", {}).get("requirements"), (
                    f"{where}: installs requirements"
                )
            assert "pip install" not in str(step.get("run", "")), where


def test_the_signing_key_is_read_only_in_environment_jobs() -> None:
    """Environment secrets reach only jobs that set `environment:` in the called workflow
    (docs.github.com, "Reusing workflows": "the job that sets environment receives the
    environment secret's value"): the key is read there and nowhere else."""
    for path in WORKFLOWS:
        for name, job in (load(path).get("jobs") or {}).items():
            if "uses" in job:
                continue  # forwards the secret by name into the nested workflow
            if "secrets.GENAI_AUDIT_KEY" in yaml.safe_dump(job):
                assert "environment" in job, f"{path.name} job {name} reads the key"


def test_production_verifies_the_trail_before_deploying_and_publishes_checkpoints() -> None:
    jobs = load(DEPLOY)["jobs"]
    steps = jobs["production"]["steps"]
    ids = [s.get("id") for s in steps]
    verify = steps[ids.index("verify")]
    assert verify["with"]["action"] == "verify" and ids.index("verify") < ids.index("deploy")
    assert "inputs.audit-checkpoint" in verify["with"]["checkpoint"]
    assert "needs.staging.outputs.checkpoint" in verify["with"]["checkpoint"]
    assert any(s.get("with", {}).get("action") == "dora" for s in steps)
    for name in ("staging", "production"):
        assert jobs[name]["outputs"]["checkpoint"] == "${{ steps.checkpoint.outputs.checkpoint }}"
        assert "GITHUB_STEP_SUMMARY" in steps_of(jobs[name])["checkpoint"]["run"]


def test_minimal_caller_uses_the_readme_snippet() -> None:
    """examples/minimal-caller adopts the pipeline with exactly the README's permissions and
    secrets, so the snippet the tests above check is the one a fresh repository runs."""
    readme = [c for c in CALLERS if c.where.startswith("README.md")]
    minimal = [c for c in CALLERS if c.where.startswith("examples/minimal-caller/")]
    assert len(readme) == 1 and len(minimal) == 1, [c.where for c in CALLERS]
    assert minimal[0].job["permissions"] == readme[0].job["permissions"]
    assert minimal[0].job["secrets"] == readme[0].job["secrets"]
    assert minimal[0].workflow == readme[0].workflow


def test_sarif_category_inputs_match_the_files_automation_ids() -> None:
    """upload-sarif files a run under its `runAutomationDetails.id` when the SARIF has one (the
    part before the last `/`), whatever `category` says (github/codeql-action, upload-sarif
    `category` input; docs.github.com "SARIF support for code scanning" > runAutomationDetails).
    genai-gate's SARIF carries `genai-gate/<gate>/` (gates) and `genai-gate/<tool>/` (one file
    per security tool), so each upload's category input must say the same."""
    from genai_gate.report.sarif import category

    checked = 0
    for path in WORKFLOWS:
        for name, job in (load(path).get("jobs") or {}).items():
            produced: dict[str, str] = {}
            for step in job.get("steps", []):
                match = OWN_ACTION.match(str(step.get("uses", "")))
                given = step.get("with", {})
                if match and given.get("sarif-file"):
                    produced[given["sarif-file"]] = category(match["path"].split("/")[1])
                if match and given.get("sarif-dir"):
                    for tool in ("bandit", "semgrep", "pip-audit"):
                        produced[f"{given['sarif-dir']}/{tool}.sarif"] = category(tool)
                if "upload-sarif" not in str(step.get("uses", "")):
                    continue
                sarif = str(step["with"]["sarif_file"])
                owner = [want for file, want in produced.items() if sarif.endswith(file)]
                if owner:
                    assert step["with"]["category"] == owner[0], f"{path.name} job {name}: {sarif}"
                    checked += 1
    assert checked >= 5  # prompt-lint, injection-test, bandit, semgrep, pip-audit
