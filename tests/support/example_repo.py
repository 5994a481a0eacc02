"""A git repository holding a copy of the example agent, for gates that compare with a base ref."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "bank-support-agent"


def git(repo: Path, *args: str) -> None:
    """Run git in `repo` as a test author (CalledProcessError on failure)."""
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@e.x", *args],
        check=True,
        capture_output=True,
    )


def example_repo(target: Path) -> Path:
    """The example copied to `target`, committed and tagged `base`."""
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", ".genai-gate"))
    git(target, "init", "-q")
    git(target, "add", ".")
    git(target, "commit", "-q", "-m", "base")
    git(target, "tag", "base")
    return target
