"""The one git runner: its error policy against the real git binary."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from genai_gate.errors import ExitCode, InfraError, UsageError
from genai_gate.integrations import git


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    def run(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    run("init", "-q", "-b", "main")
    (tmp_path / "a.txt").write_text("a\n")
    run("add", "a.txt")
    run("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one")
    return tmp_path


def test_a_refusal_is_a_usage_error_with_gits_own_words(repo: Path) -> None:
    with pytest.raises(git.GitRefused) as caught:
        git.run(repo, "rev-parse", "--verify", "no-such-branch")
    assert caught.value.exit_code is ExitCode.USAGE
    assert str(caught.value) == "git rev-parse --verify: fatal: Needed a single revision"


def test_settings_before_the_subcommand_do_not_name_it(repo: Path) -> None:
    with pytest.raises(git.GitRefused, match=r"^git cat-file -e: "):
        git.run(repo, "-c", "core.sparseCheckout=false", "cat-file", "-e", "0" * 40)


def test_named_refs_that_do_not_exist_say_how_to_get_them(repo: Path) -> None:
    with pytest.raises(UsageError, match=r"'origin/nope' is not a commit in .*git fetch"):
        git.resolve_ref(repo, "origin/nope")
    with pytest.raises(UsageError, match=r"is not inside a git repository"):
        git.repo_root(repo.parent)


def test_git_missing_is_infrastructure(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "empty"))
    with pytest.raises(InfraError, match=r"^git is not installed") as caught:
        git.run(repo, "status")
    assert caught.value.exit_code is ExitCode.INFRA
    assert git.output(repo, "rev-parse", "HEAD") is None


def test_output_is_best_effort(repo: Path) -> None:
    head = git.output(repo, "rev-parse", "HEAD")
    assert head is not None and len(head) == 40
    assert git.output(repo, "cat-file", "-e", f"{head}^{{commit}}") == ""
    assert git.output(repo, "rev-parse", "no-such-branch") is None
    assert git.output(repo.parent, "rev-parse", "HEAD") is None
