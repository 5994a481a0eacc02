"""Finding locations made relative to the repository root, as annotations and SARIF expect.

Gates write paths relative to the folder they work in (the config's folder, or the current
directory for paths given on the command line). When genai-gate.yaml is not at the repository
root (a monorepo, or `examples/bank-support-agent/` here), GitHub would not find those files; this
rewrites every location that names an existing file to its path from the repository root.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from genai_gate.errors import UsageError
from genai_gate.integrations.git import repo_root
from genai_gate.results import GateResult


def repository_root(start: Path) -> Path | None:
    """$GITHUB_WORKSPACE in Actions, else the git work tree holding `start`, else None."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        return Path(workspace).resolve()
    try:
        return repo_root(start).resolve()
    except UsageError:
        return None


def relocate_findings(
    result: GateResult, bases: list[Path], root_of: Callable[[], Path | None] | None = None
) -> None:
    """Rewrite relative finding paths that exist under one of `bases` to repository-relative
    (`root_of()`: the repository root, when already looked up; else that of `bases[0]`)."""
    located = [f.location for f in result.findings if f.location is not None]
    if not located:
        return
    root = root_of() if root_of is not None else repository_root(bases[0])
    if root is None:
        return
    for location in located:
        path = Path(location.path)
        if path.is_absolute():
            continue
        for base in bases:
            candidate = (base / path).resolve()
            if candidate.exists() and candidate.is_relative_to(root):
                location.path = candidate.relative_to(root).as_posix()
                break
