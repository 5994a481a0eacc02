"""Run genai-gate's workflows with act against a temporary copy of the example caller repo.

Pieces (used by tests/support/e2e.py, and by `scripts/e2e/run`):

- `snapshot(root, dest)`: the working tree of genai-gate (tracked and untracked, not ignored
  files) committed as the commit under test, with every self-repository reference `$/X`
  resolved the way GitHub resolves it (to this repository at the running commit): act does not
  parse `$/`, so the copy says `genai-gate/genai-gate/X@<commit>` and act maps that ref, and the
  refs a caller pins, to the copy; `tampered(snapshot, dest)` is the code a moved tag points at;
- `CallerRepo`: a git copy of examples/bank-support-agent with a bare `origin`, a `github`
  remote naming it acme/bank-support-agent for act, a `main` branch and helpers to commit a
  change on a branch;
- `Act.run(...)`: `act <event> --json` in host mode with the local repositories mapped (ours
  and the stand-ins of remote actions under scripts/e2e/standins/); returns an `ActRun` parsed
  from the JSON log: each job's result, each step's result and outputs, the raw lines.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXAMPLE = ROOT / "examples" / "bank-support-agent"
OWN_REPO = "genai-gate/genai-gate"
CALLER_REPO = "acme/bank-support-agent"
STANDINS = {
    "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02": "upload-artifact",
    "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093": "download-artifact",
    "actions/cache@5a3ec84eff668545956fd18022155c47e93e2684": "cache",
    "actions/setup-python@ece7cb06caefa5fff74198d8649806c4678c61a1": "setup-python",
    "github/codeql-action@ff0a06e83cb2de871e5a09832bc6a81e7276941f": "codeql-action",
    "actions/attest-build-provenance@e8998f949152b193b063cb0ec769d69d929409be": (
        "attest-build-provenance"
    ),
}
"""Pinned remote actions (the SHAs pinned in .github/ and actions/) -> stand-in folder."""
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ana Example",
    "GIT_AUTHOR_EMAIL": "ana@example.com",
    "GIT_COMMITTER_NAME": "Ana Example",
    "GIT_COMMITTER_EMAIL": "ana@example.com",
}


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd`; its standard output."""
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


SELF_REFERENCE = re.compile(r"^(?P<head>\s*(?:-\s+)?uses:\s*)\$/(?P<path>\S+)", re.MULTILINE)
"""A `uses: $/<path>` line (GitHub's self-repository syntax)."""
WORKFLOW_SHA = re.compile(r"\$\{\{\s*job\.workflow_sha\s*\}\}")
"""`${{ job.workflow_sha }}`, which act leaves empty."""
YAML_FILES = ("action.yml", "actions/*/action.yml", ".github/workflows/*.yml")
TAMPERED_MARK = "TAMPERED genai-gate code ran"


@dataclass(frozen=True)
class Snapshot:
    """The copy of genai-gate under test and its commit."""

    path: Path
    commit: str


def snapshot(root: Path, dest: Path) -> Snapshot:
    """Copy the working tree of `root` (no ignored files) into `dest`, commit it there and resolve
    its self-repository references to that commit."""
    listed = git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for rel in filter(None, listed.split("\0")):
        source = root / rel
        if not source.is_file():
            continue  # deleted in the working tree
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "genai-gate under test")
    commit = git(dest, "rev-parse", "HEAD")
    for path in yaml_files(dest):
        text = path.read_text(encoding="utf-8")
        path.write_text(resolve_self_references(text, commit), encoding="utf-8")
    return Snapshot(dest, commit)


def yaml_files(root: Path) -> list[Path]:
    """The workflow and action files of a genai-gate tree."""
    return sorted({p for pattern in YAML_FILES for p in root.glob(pattern)})


def resolve_self_references(text: str, commit: str) -> str:
    """`uses: $/X` -> `uses: genai-gate/genai-gate/X@<commit>` and `${{ job.workflow_sha }}` ->
    `<commit>`: what GitHub does at run time, written out for act."""
    text = SELF_REFERENCE.sub(lambda m: f"{m['head']}{OWN_REPO}/{m['path']}@{commit}", text)
    return WORKFLOW_SHA.sub(f"'{commit}'", text)


def tampered(source: Snapshot, dest: Path) -> Path:
    """A copy of `source` whose every action and reusable workflow fails loudly: the code a tag
    of ours points at after someone moved it."""
    shutil.copytree(source.path, dest, ignore=shutil.ignore_patterns(".git"))
    setup = dest / "actions" / "setup" / "setup.sh"
    setup.write_text(f"#!/usr/bin/env bash\necho '{TAMPERED_MARK}'\nexit 1\n", encoding="utf-8")
    job = (
        "jobs:\n  tampered:\n    runs-on: ubuntu-latest\n    permissions: {}\n"
        f"    steps:\n      - run: echo '{TAMPERED_MARK}' && exit 1\n"
    )
    for path in (dest / ".github" / "workflows").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^jobs:\n", job, text, count=1, flags=re.MULTILINE), "utf-8")
    return dest


def pinned_refs(workflow: Path) -> set[str]:
    """Refs with which a caller workflow references genai-gate (e.g. a release SHA)."""
    text = workflow.read_text(encoding="utf-8")
    return set(re.findall(r"genai-gate/genai-gate/[\w./-]+@([\w.-]+)", text))


@dataclass
class CallerRepo:
    """A temporary caller repository with a bare origin."""

    path: Path
    origin: Path

    @classmethod
    def create(cls, workdir: Path, source: Path = EXAMPLE) -> CallerRepo:
        """Copy `source` (without ignored files) as `main`, pushed to a bare origin."""
        workdir.mkdir(parents=True, exist_ok=True)
        origin = workdir / "origin.git"
        path = workdir / "caller"
        git(workdir, "init", "-q", "--bare", "-b", "main", str(origin))
        path.mkdir()
        git(path, "init", "-q", "-b", "main")
        for rel in filter(
            None, git(ROOT, "ls-files", "-z", "-co", "--exclude-standard", str(source)).split("\0")
        ):
            src = ROOT / rel
            if src.is_file():
                target = path / Path(rel).relative_to(source.relative_to(ROOT))
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, target)
        git(path, "remote", "add", "origin", str(origin))
        # act names the repository after this remote (--remote-name github)
        git(path, "remote", "add", "github", f"https://github.com/{CALLER_REPO}")
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", "bank support agent")
        git(path, "push", "-q", "origin", "main")
        git(path, "fetch", "-q", "origin")
        return cls(path, origin)

    def sha(self, ref: str = "HEAD") -> str:
        return git(self.path, "rev-parse", ref)

    def branch(self, name: str, base: str = "main") -> None:
        """Check out a new branch `name` from `base`."""
        git(self.path, "checkout", "-q", "-B", name, base)

    def commit(self, message: str, files: dict[str, str]) -> str:
        """Write `files` (path -> text) and commit them; the new SHA."""
        for rel, text in files.items():
            target = self.path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        git(self.path, "add", "-A")
        git(self.path, "commit", "-q", "-m", message)
        return self.sha()

    def read(self, rel: str) -> str:
        return (self.path / rel).read_text(encoding="utf-8")

    def pull_request_event(self, number: int, head: str, labels: list[str] = ()) -> dict:
        """A `pull_request` event payload (the fields the workflows read)."""
        return {
            "action": "synchronize",
            "number": number,
            "pull_request": {
                "number": number,
                "title": f"Change {head}",
                "head": {"ref": head, "sha": self.sha(head)},
                "base": {"ref": "main", "sha": self.sha("main")},
                "labels": [{"name": label} for label in labels],
            },
            "repository": {
                "full_name": CALLER_REPO,
                "name": CALLER_REPO.split("/")[1],
                "owner": {"login": CALLER_REPO.split("/")[0]},
                "default_branch": "main",
            },
        }


@dataclass
class StepRun:
    """One step of one job, from act's JSON log."""

    result: str | None = None
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class ActRun:
    """A parsed act run."""

    returncode: int
    wall_s: float
    lines: list[dict[str, Any]]
    jobs: dict[str, str]
    """Job (act's `job` field, e.g. `genai/genai-checks.yml/eval-gate`) -> jobResult."""
    steps: dict[tuple[str, str], StepRun]
    """(job, step id path joined by '/') -> result and outputs."""
    artifacts: Path

    def job(self, suffix: str) -> str:
        """Result of the one job whose name ends with `suffix`."""
        found = {name: r for name, r in self.jobs.items() if name.endswith(suffix)}
        if len(found) != 1:
            raise KeyError(f"{len(found)} jobs end with {suffix!r}: {sorted(self.jobs)}")
        return next(iter(found.values()))

    def outputs(self, job_suffix: str, step: str) -> dict[str, str]:
        """Outputs set by step `step` (top-level id) of the job ending with `job_suffix`."""
        found = [
            run.outputs
            for (job, sid), run in self.steps.items()
            if job.endswith(job_suffix) and sid == step
        ]
        if len(found) != 1:
            raise KeyError(f"{len(found)} steps {step!r} in jobs ending with {job_suffix!r}")
        return found[0]

    def text(self, job_suffix: str = "") -> str:
        """Raw output of the steps of the matching jobs."""
        return "".join(
            str(line.get("msg", ""))
            for line in self.lines
            if str(line.get("job", "")).strip().endswith(job_suffix)
        )


def parse(lines: list[dict[str, Any]]) -> tuple[dict[str, str], dict[tuple[str, str], StepRun]]:
    """Job results and step outputs from act's `--json` lines."""
    jobs: dict[str, str] = {}
    steps: dict[tuple[str, str], StepRun] = {}
    for line in lines:
        job = str(line.get("job", "")).strip()
        if "jobResult" in line:
            jobs[job] = line["jobResult"]
        ids = line.get("stepID")
        if not ids:
            continue
        key = (job, "/".join(ids))
        step = steps.setdefault(key, StepRun())
        if line.get("command") == "set-output" and "name" in line:
            step.outputs[line["name"]] = line.get("arg", "")
        if "stepResult" in line and line.get("stage") == "Main":
            step.result = line["stepResult"]
    return jobs, steps


@dataclass
class Act:
    """act invocations sharing one snapshot of genai-gate and one artifact folder per run."""

    genai_gate: Snapshot
    """Snapshot of this repository: its commit and every ref a caller pins map to it."""
    env: dict[str, str]
    """`--env` for every run (GENAI_GATE_VENV, the agent's LLM URL, GITHUB_API_URL, ...)."""
    secrets: dict[str, str]
    workdir: Path
    variables: dict[str, str] = field(default_factory=dict)
    """Repository variables (`vars.X`), e.g. GENAI_GATE_TRUFFLEHOG=false offline."""
    repositories: dict[str, Path] = field(default_factory=dict)
    """Further refs of genai-gate for every run (e.g. a tag) -> the tree act uses for them."""

    def run(
        self,
        caller: CallerRepo,
        event_name: str,
        event: dict[str, Any],
        workflow: str,
        repositories: dict[str, Path] | None = None,
        extra_env: dict[str, str] | None = None,
        timeout_s: float = 600,
    ) -> ActRun:
        """Run `workflow` of `caller` for `event_name`; parse the JSON log. `repositories`
        maps further refs of genai-gate (e.g. a tag) to other trees."""
        run_dir = Path(self._fresh("run"))
        artifacts = run_dir / "artifacts"
        artifacts.mkdir(parents=True)
        event_file = run_dir / "event.json"
        event_file.write_text(json.dumps(event), encoding="utf-8")
        args = [
            "act",
            event_name,
            "-W",
            workflow,
            "-e",
            str(event_file),
            "-P",
            "ubuntu-latest=-self-hosted",
            "--json",
            "--no-cache-server",
            "--remote-name",
            "github",
            "--action-offline-mode",
        ]
        trees = {ref: self.genai_gate.path for ref in pinned_refs(caller.path / workflow)}
        trees[self.genai_gate.commit] = self.genai_gate.path
        trees.update({**self.repositories, **(repositories or {})})
        for ref, tree in trees.items():
            args += ["--local-repository", f"{OWN_REPO}@{ref}={tree}"]
        for pin, folder in STANDINS.items():
            args += ["--local-repository", f"{pin}={HERE / 'standins' / folder}"]
        env = {**self.env, **(extra_env or {}), "E2E_ARTIFACTS": str(artifacts)}
        for key, value in env.items():
            args += ["--env", f"{key}={value}"]
        for key, value in self.variables.items():
            args += ["--var", f"{key}={value}"]
        for key, value in self.secrets.items():
            args += ["-s", f"{key}={value}"]
        # GitHub gives every job an empty RUNNER_TEMP; act in host mode reuses one folder per
        # job name under $HOME/.cache/act, so results of an earlier run would leak into this one
        for temp in (self.workdir / "home" / ".cache" / "act").glob("*/tmp"):
            shutil.rmtree(temp, ignore_errors=True)
        started = time.perf_counter()
        done = subprocess.run(
            args,
            cwd=caller.path,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            env={**os.environ, "HOME": str(self.workdir / "home")},
        )
        wall = time.perf_counter() - started
        (run_dir / "act.log").write_text(done.stdout + done.stderr, encoding="utf-8")
        lines = []
        for raw in done.stdout.splitlines():
            try:
                lines.append(json.loads(raw))
            except json.JSONDecodeError:
                continue
        jobs, steps = parse(lines)
        return ActRun(done.returncode, wall, lines, jobs, steps, artifacts)

    def _fresh(self, prefix: str) -> str:
        n = 0
        while (self.workdir / f"{prefix}-{n}").exists():
            n += 1
        return str(self.workdir / f"{prefix}-{n}")
