"""`eval-gate --base-ref REF` without --baseline: the base ref's tree is evaluated for the baseline.

On a git repository made from the example bank agent, against the real mock LLM server: an
unchanged tree passes; dropping the confirmation instruction from the committed system prompt
makes the transfer-ask cases regress (exit 1), with the unchanged base answered from the shared
response cache. An unknown ref is exit 2; a base that cannot be evaluated is exit 3.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from genai_gate.gates.eval.baseref import materialise
from genai_gate.results import GateResult, Status

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bank-support-agent"
CONFIRM_RULE = (
    "  2. Always ask for explicit confirmation before calling transfer_funds: repeat the amount,"
    " the\n     source and the destination account, and call the tool only after the customer"
    " says yes.\n"
)


def git(repo: Path, *args: str) -> str:
    ident = ["-c", "user.name=t", "-c", "user.email=t@e"]
    done = subprocess.run(["git", *ident, *args], cwd=repo, check=True, capture_output=True)
    return done.stdout.decode().strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a committed copy of the example agent."""
    copy = tmp_path / "repo"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".genai-gate", "__pycache__"))
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "-m", "base")
    return copy


def gate(
    repo: Path, results: str, *args: str, env: dict[str, str] | None = None
) -> tuple[int, GateResult | None, str]:
    """`genai-gate eval-gate` in a child process (each tree imports its own agent code)."""
    out = repo / results
    command = [sys.executable, "-m", "genai_gate.cli", "--config", str(repo / "genai-gate.yaml")]
    command += ["eval-gate", "--results-dir", str(out), "--format", "json", "--no-progress", *args]
    environ = {k: v for k, v in os.environ.items() if k != "BANK_AGENT_PROMPTS_DIR"}
    done = subprocess.run(
        command, cwd=repo, env={**environ, **(env or {})}, capture_output=True, text=True
    )
    path = out / "eval-gate.json"
    return done.returncode, GateResult.read(path) if path.exists() else None, done.stderr


def test_base_ref_is_evaluated_for_the_baseline(repo: Path, mock_url: str) -> None:
    env = {"BANK_AGENT_LLM_URL": mock_url}
    commit = git(repo, "rev-parse", "HEAD")
    code, same, err = gate(repo, "same", "--base-ref", "HEAD", env=env)
    assert code == 0, err
    assert same is not None and same.status is Status.PASS and same.summary["regressed"] == 0
    source = same.details["baseline"]
    assert source["source"] == "base-ref" and source["commit"] == commit
    assert source["cases"] == same.summary["cases"] >= 100
    assert same.usage is not None and same.usage.requests == 0  # the base run filled the cache

    prompt = repo / "prompts" / "bank-support-system.yaml"
    original = prompt.read_text(encoding="utf-8")
    prompt.write_text(original.replace(CONFIRM_RULE, ""), encoding="utf-8")
    code, head, err = gate(repo, "head", "--base-ref", "HEAD", env=env)
    assert code == 1, err
    assert head is not None and head.status is Status.FAIL
    regressed = [f.properties["case"] for f in head.findings if f.rule_id == "eval/regression"]
    assert regressed and all(case.startswith("transfer-ask-") for case in regressed)
    assert head.findings[0].rule_id == "eval/regression"
    assert head.summary["regressed"] == len(regressed)
    source = head.details["baseline"]
    assert source["cached_answers"] == source["answers"] == source["cases"]  # unchanged base
    assert head.usage is not None and head.usage.requests > 0  # the edited prompt was sent
    assert "transfer_funds" in next(c for c in head.cases if c.id == regressed[0]).reason

    prompt.write_text(original, encoding="utf-8")
    code, restored, err = gate(repo, "restored", "--base-ref", "HEAD", env=env)
    assert code == 0 and restored is not None and restored.summary["regressed"] == 0, err


def test_unknown_base_ref_is_a_usage_error(repo: Path) -> None:
    code, result, err = gate(repo, "r", "--base-ref", "no-such-branch")
    assert code == 2 and result is not None and result.status is Status.ERROR
    assert "--base-ref 'no-such-branch' is not a commit" in err


def test_base_that_cannot_be_evaluated_is_an_infra_error(repo: Path, tmp_path: Path) -> None:
    dataset = repo / "evals" / "golden.jsonl"
    good = dataset.read_text(encoding="utf-8")
    lines = good.count("\n")
    dataset.write_text(good + '{"id": broken\n', encoding="utf-8")
    git(repo, "commit", "-q", "-am", "broken dataset")
    dataset.write_text(good, encoding="utf-8")  # fixed in the work tree, broken at the base
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    code, result, err = gate(repo, "r", "--base-ref", "HEAD", env={"TMPDIR": str(scratch)})
    assert code == 3 and result is not None and result.status is Status.ERROR
    assert f"HEAD:evals/golden.jsonl:{lines + 1}: invalid JSON" in err  # located at the ref
    assert not list(scratch.glob("genai-gate-base-*"))  # the base tree was removed


def test_materialise_keeps_export_ignored_files(repo: Path, tmp_path: Path) -> None:
    (repo / ".gitattributes").write_text("evals export-ignore\n", encoding="utf-8")
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-q", "-m", "keep evals out of archives")
    (repo / "prompts" / "bank-support-system.yaml").write_text("edited", encoding="utf-8")
    tree = tmp_path / "tree"
    materialise(repo, git(repo, "rev-parse", "HEAD"), tree, tmp_path / "index")
    assert (tree / "evals" / "golden.jsonl").read_bytes() == (
        repo / "evals" / "golden.jsonl"
    ).read_bytes()
    assert "edited" not in (tree / "prompts" / "bank-support-system.yaml").read_text()
    assert git(repo, "worktree", "list", "--porcelain").count("worktree ") == 1  # none added
    assert git(repo, "status", "--porcelain") == "M prompts/bank-support-system.yaml"
