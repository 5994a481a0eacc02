"""What the act end-to-end modules share (tests/test_e2e.py: the PR checks;
tests/test_e2e_deploy.py: the deploy workflow): one environment per module, and the helpers
that read a run.

The caller is a temporary git copy of examples/bank-support-agent (bare origin, PR branches).
The agent talks to one mock LLM server started for the module; the GitHub REST API is the fake
of tests/support/fake_github.py (GITHUB_API_URL); remote actions are the stand-ins of
scripts/e2e/standins.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from genai_gate import __version__
from support.fake_github import FakeGitHub
from support.mockllm import mock_llm_server
from support.osv import osv_server

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts" / "e2e"))
import harness

REPO = harness.CALLER_REPO
TOKEN = "ghs-e2e-token"
AUDIT_KEY = "6d8749c4fe00b757c1bc1c376a99f31d1bd38b422d44f5b6aa2d6a6c5e975cba"  # Ed25519 seed (hex)
WORKFLOW = ".github/workflows/genai.yml"
WALL: list[tuple[str, float]] = []
"""(scenario, seconds) of every act run of the current module, printed when it ends."""


def public_hex(seed: str) -> str:
    """The Ed25519 public key of a signing seed, raw hex (as a repository variable holds it)."""
    from genai_gate.gates.audit.keys import SigningKey

    return SigningKey.parse(seed, "e2e").public.raw.hex()


@dataclass
class Env:
    """What every scenario of a module shares."""

    act: harness.Act
    github: FakeGitHub
    llm_url: str
    workdir: Path


@contextmanager
def e2e_env(workdir: Path) -> Iterator[Env]:
    """A snapshot of this repository (and a tampered copy under its release tag), the mock
    LLM, an OSV fake that knows no vulnerability and the GitHub fake, wired into act."""
    (workdir / "home").mkdir()
    snapshot = harness.snapshot(harness.ROOT, workdir / "genai-gate")
    # a release tag of ours moved onto other code: no run may ever execute it (tag-skew)
    tag = "v" + __version__
    tampered = harness.tampered(snapshot, workdir / "genai-gate-tampered")
    with (
        mock_llm_server(harness.EXAMPLE / "mock" / "script.yaml") as llm_url,
        osv_server([]) as osv,  # OSV knows no vulnerability of the example's locked pins
    ):
        github = FakeGitHub().start()
        try:
            github.add_repo(REPO)
            github.add_token(TOKEN, "github-actions[bot]", app=True)
            act = harness.Act(
                genai_gate=snapshot,
                env={
                    # the interpreter running the tests imports genai_gate from this working tree
                    "GENAI_GATE_VENV": sys.prefix,
                    "GITHUB_API_URL": github.url,
                    "PIP_AUDIT_OSV_URL": osv.url,
                },
                secrets={"GITHUB_TOKEN": TOKEN, "GENAI_AUDIT_KEY": AUDIT_KEY},
                workdir=workdir,
                variables={
                    "GENAI_GATE_TRUFFLEHOG": "false",  # github.com is unreachable here
                    "GENAI_AUDIT_PUBLIC_KEYS": public_hex(AUDIT_KEY),  # the published key
                },
                repositories={tag: tampered},
            )
            yield Env(act, github, llm_url, workdir)
        finally:
            github.stop()


def wall_report(started: float) -> str:
    """The act runs' wall times since `started` (perf_counter); forgets them."""
    lines = [f"  {name}: {seconds:.1f} s" for name, seconds in WALL]
    WALL.clear()
    total = time.perf_counter() - started
    return "e2e wall time (act runs):\n" + "\n".join(lines) + f"\n  total: {total:.1f} s"


def run_pr(
    env: Env,
    name: str,
    pr: int,
    files: dict[str, str],
    labels: tuple = (),
    source: Path = harness.EXAMPLE,
):
    """Commit `files` on a branch of a fresh copy of `source` and run the PR checks with act."""
    caller = harness.CallerRepo.create(env.workdir / name, source)
    caller.branch(name)
    caller.commit(name, files)
    if (REPO, pr) not in env.github.pulls:
        env.github.add_pull(REPO, pr, head_ref=name, head_sha=caller.sha(name))
    run = env.act.run(caller, "pull_request", caller.pull_request_event(pr, name), WORKFLOW)
    WALL.append((name, run.wall_s))
    assert_untampered(run)
    return caller, run


def pinned(env: Env, workflow: str) -> str:
    """`workflow` with every `@PIN` of genai-gate replaced by the snapshot's commit."""
    return workflow.replace("@PIN", "@" + env.act.genai_gate.commit)


def run_push(
    env: Env,
    caller: harness.CallerRepo,
    name: str,
    workflow: str,
    extra_env: dict[str, str] | None = None,
) -> harness.ActRun:
    """Run `workflow` (a path in `caller`) for a push to main with act."""
    event = {"ref": "refs/heads/main", "repository": {"full_name": REPO}}
    run = env.act.run(caller, "push", event, workflow, extra_env=extra_env)
    WALL.append((name, run.wall_s))
    assert_untampered(run)
    return run


def assert_untampered(run: harness.ActRun) -> None:
    """Nothing of the moved tag ran: every internal reference resolved to the pinned commit."""
    assert harness.TAMPERED_MARK not in run.text(), run.text()[-2000:]
    assert not [job for job in run.jobs if job.endswith("/tampered") or job == "tampered"]


def gate_jobs(run: harness.ActRun) -> dict[str, str]:
    """Results of the checks jobs by short name."""
    return {name.rsplit("/", 1)[-1]: result for name, result in run.jobs.items()}


def audit_records(caller: harness.CallerRepo) -> list[dict]:
    """The records on the genai-audit branch pushed to the caller's origin (its segments in
    order, docs/audit-log-format.md)."""
    harness.git(caller.path, "fetch", "-q", "origin", "genai-audit")
    files = harness.git(caller.path, "ls-tree", "-r", "--name-only", "FETCH_HEAD").split()
    text = "".join(
        harness.git(caller.path, "show", f"FETCH_HEAD:{f}")
        for f in sorted(f for f in files if f.startswith("log/"))
    )
    return [json.loads(line) for line in text.splitlines() if line.strip()]
