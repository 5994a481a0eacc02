"""`--base-ref REF` without `--baseline`: evaluate the base ref's tree to get the baseline.

The base commit's files are written to a temporary folder (a throw-away index: `git read-tree`
+ `git checkout-index`, so the repository gets no worktree entry, no hooks run, and
`export-ignore` attributes cannot drop datasets as `git archive` would), and the same suites run
there in a child `genai-gate eval-gate` process: a python target then imports the base ref's
agent code and prompts, isolated from this process's imports. The response cache folder is
shared (entries are content-addressed), so an unchanged base costs no requests on a rerun.
A base that cannot be evaluated is an infrastructure error: the gate never passes without it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from genai_gate.errors import ConfigError, InfraError, UsageError
from genai_gate.gates.eval.details import BaselineSource
from genai_gate.integrations import git
from genai_gate.results import GateResult

if TYPE_CHECKING:
    from genai_gate.config import LoadedConfig


@dataclass(frozen=True)
class BaseRun:
    """The base ref's eval result and where it came from."""

    result: GateResult
    ref: str
    commit: str

    def describe(self) -> BaselineSource:
        """`details.baseline` of the head result: ref, commit, cases, answers from the cache."""
        usage = self.result.usage
        cached = usage.cached_requests if usage else 0
        return BaselineSource(
            source="base-ref",
            ref=self.ref,
            commit=self.commit,
            cases=len(self.result.cases),
            answers=(usage.requests if usage else 0) + cached,
            cached_answers=cached,
        )


def run_base(loaded: LoadedConfig, ref: str, options: list[str], cache_dir: Path | None) -> BaseRun:
    """Evaluate `ref`'s tree with `options` (suites, target, repeat, shard) and read its result.

    Unknown ref or a config outside the repository: UsageError; the base run failing, being
    cut short or writing no result: InfraError.
    """
    config = loaded.path.resolve()
    root = git.repo_root(config.parent)
    commit = git.resolve_ref(root, ref)
    try:
        relative = config.relative_to(root)
    except ValueError:
        raise UsageError(f"--base-ref: {config} is not inside the git repository {root}") from None
    with tempfile.TemporaryDirectory(prefix="genai-gate-base-") as tmp:
        tree = Path(tmp) / "tree"
        materialise(root, commit, tree, Path(tmp) / "index")
        base_config = tree / relative
        if not base_config.is_file():
            raise UsageError(
                f"--base-ref {ref}: {relative.as_posix()} does not exist at {commit[:12]}; "
                "without a base config there is no baseline (pass --baseline FILE or drop "
                "--base-ref)"
            )
        results = Path(tmp) / "results"
        command = [sys.executable, "-m", "genai_gate.cli", "--config", str(base_config)]
        command += ["eval-gate", "--results-dir", str(results), "--format", "json"]
        command += ["--no-progress", *options]
        if cache_dir is not None:
            command += ["--cache-dir", str(cache_dir)]
        done = subprocess.run(
            command,
            cwd=_same_place(tree, root),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        where = f"--base-ref {ref} ({commit[:12]})"
        problem = _tail(done.stderr).replace(f"{tree}{os.sep}", f"{ref}:")
        path = results / "eval-gate.json"
        if done.returncode not in (0, 1) or not path.is_file():
            raise InfraError(
                f"{where}: eval-gate on the base tree exited {done.returncode}: {problem}"
            )
        try:
            result = GateResult.read(path)
        except ConfigError as exc:
            raise InfraError(f"{where}: unreadable base result: {exc}") from None
    if result.incomplete or result.error:
        raise InfraError(f"{where}: the base run did not complete: {result.error or problem}")
    return BaseRun(result, ref, commit)


def materialise(root: Path, commit: str, dest: Path, index: Path) -> None:
    """Write the files of `commit` to `dest` through the throw-away index file `index`."""
    env = {**os.environ, "GIT_INDEX_FILE": str(index)}
    steps = (["read-tree", commit], ["checkout-index", "--all", "--force", f"--prefix={dest}/"])
    for args in steps:
        try:
            git.run(root, "-c", "core.sparseCheckout=false", *args, env=env)
        except git.GitRefused as exc:  # the commit was resolved: a refusal is the machine's fault
            problem = _tail(exc.stderr)
            raise InfraError(f"git {args[0]} of {commit[:12]} failed: {problem}") from None


def _same_place(tree: Path, root: Path) -> Path:
    """The base tree's counterpart of the current folder (the tree's top when outside `root`)."""
    try:
        inside = tree / Path.cwd().resolve().relative_to(root)
    except ValueError:
        return tree
    return inside if inside.is_dir() else tree


def _tail(text: str, lines: int = 8) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return " / ".join(kept) or "no error output"
