"""Every git command genai-gate runs, through one runner with one timeout and one error policy.

The policy, in one place: git missing, unstartable or past `TIMEOUT_S` is an infrastructure
error (exit 3); git running and refusing (a bad ref, a path outside the repository, not a
repository) is `GitRefused`, a usage error (exit 2) carrying git's own last line. Callers that
only want best-effort metadata (HEAD, commit times) use `output`, which gives None instead.

On top of it: reading files at another ref for the gates that compare base and head
(prompt-lint versioning, cost-estimate, eval changed prompts), many files through one
`git cat-file --batch` process, not one process per file.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from genai_gate.errors import GateError, InfraError, UsageError

TIMEOUT_S = 300
"""Limit on one git command; checking out a large tree for --base-ref is the slowest we run."""


class GitRefused(UsageError):
    """git ran and refused (non-zero exit): the ref, path or repository given is wrong."""

    def __init__(self, args: tuple[str, ...], stderr: bytes, stdout: bytes = b"") -> None:
        self.stderr = stderr.decode("utf-8", "replace")
        """git's error output."""
        self.stdout = stdout.decode("utf-8", "replace")
        """Its standard output (`push --porcelain` reports a rejection there)."""
        lines = self.stderr.strip().splitlines()
        self.detail = lines[-1] if lines else "failed"
        """Its last line."""
        super().__init__(f"git {' '.join(_command(args)[:2])}: {self.detail}")


class GitTimedOut(InfraError):
    """git ran past `TIMEOUT_S` (a hung connection, for commands that talk to a remote)."""


def _command(args: tuple[str, ...]) -> tuple[str, ...]:
    """`args` without the leading `-c name=value` settings: the subcommand and its arguments."""
    while len(args) > 1 and args[0] == "-c":
        args = args[2:]
    return args


def run(
    root: Path,
    *args: str,
    input_bytes: bytes | None = None,
    ok: tuple[int, ...] = (0,),
    env: Mapping[str, str] | None = None,
) -> bytes:
    """Standard output of `git -C root ARGS`; InfraError or GitRefused as the policy says."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            input=input_bytes,
            stdin=None if input_bytes is not None else subprocess.DEVNULL,
            capture_output=True,
            env=env,
            check=False,
            timeout=TIMEOUT_S,
        )
    except FileNotFoundError:
        raise InfraError("git is not installed (tool missing)") from None
    except subprocess.TimeoutExpired:
        raise GitTimedOut(f"git {_command(args)[0]} timed out after {TIMEOUT_S} s") from None
    except OSError as exc:
        problem = exc.strerror or exc
        raise InfraError(f"git {_command(args)[0]} could not start: {problem}") from None
    if done.returncode not in ok:
        raise GitRefused(args, done.stderr, done.stdout)
    return done.stdout


def output(root: Path, *args: str) -> str | None:
    """Stripped text output of a git command, or None when git is missing, fails or refuses."""
    try:
        return run(root, *args).decode("utf-8", "replace").strip()
    except GateError:
        return None


def repo_root(start: Path) -> Path:
    """Top folder of the git work tree containing `start`; UsageError when not in one."""
    folder = start if start.is_dir() else start.parent
    try:
        out = run(folder, "rev-parse", "--show-toplevel")
    except GitRefused:
        raise UsageError(
            f"{folder} is not inside a git repository (needed for --base-ref)"
        ) from None
    return Path(out.decode().strip()).resolve()


def resolve_ref(root: Path, ref: str) -> str:
    """Commit id of `ref`; UsageError naming the ref when it does not exist."""
    try:
        out = run(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitRefused:
        raise UsageError(
            f"--base-ref {ref!r} is not a commit in {root} (fetch it first, e.g. "
            f"`git fetch origin {ref}` or actions/checkout with fetch-depth: 0)"
        ) from None
    return out.decode().strip()


def ls_tree(root: Path, ref: str, folder: str) -> list[str]:
    """Repo-relative paths of the files under `folder` at `ref` (recursive; [] when absent)."""
    out = run(root, "ls-tree", "-r", "-z", "--name-only", ref, "--", folder.rstrip("/") + "/")
    return [name for name in out.decode("utf-8", "surrogateescape").split("\0") if name]


def ls_tree_blobs(root: Path, ref: str, folder: str) -> dict[str, str]:
    """Repo-relative path -> blob id of the files under `folder` at `ref` (recursive)."""
    out = run(root, "ls-tree", "-r", "-z", ref, "--", folder.rstrip("/") + "/")
    blobs: dict[str, str] = {}
    for record in out.decode("utf-8", "surrogateescape").split("\0"):
        if not record:
            continue
        meta, _, path = record.partition("\t")
        _mode, kind, blob = meta.split()
        if kind == "blob":
            blobs[path] = blob
    return blobs


def blob_id(content: bytes) -> str:
    """The id git gives a file with `content` (`git hash-object`), without running git."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def read_blobs(root: Path, blob_ids: Iterable[str]) -> dict[str, bytes]:
    """Contents of blobs by id, through one `git cat-file --batch` process."""
    return read_objects(root, list(blob_ids))


def read_files(root: Path, ref: str, paths: Iterable[str]) -> dict[str, bytes]:
    """Contents of repo-relative `paths` at `ref` (missing files are left out), in one process."""
    paths = list(paths)
    objects = read_objects(root, [f"{ref}:{path}" for path in paths])
    return {path: objects[f"{ref}:{path}"] for path in paths if f"{ref}:{path}" in objects}


def read_objects(root: Path, names: list[str]) -> dict[str, bytes]:
    """Blob contents by object name (`REF:path` or a blob id); missing ones are left out."""
    if not names:
        return {}
    request = "".join(f"{name}\n" for name in names).encode("utf-8", "surrogateescape")
    out = run(root, "cat-file", "--batch", input_bytes=request)
    found: dict[str, bytes] = {}
    pos = 0
    for name in names:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if header[-1] == b"missing" or header[1] != b"blob":
            continue
        size = int(header[2])
        found[name] = out[pos : pos + size]
        pos += size + 1
    return found


def show(root: Path, ref: str, path: str) -> bytes | None:
    """Content of one repo-relative file at `ref` (`git show REF:path`), or None when absent."""
    return read_files(root, ref, [path]).get(path)


def grep_lines(root: Path, words: Iterable[str]) -> list[tuple[str, int, str]]:
    """Lines of the tracked files of the work tree containing any of `words`: (path, line, text).

    Matching is plain substring (`git grep -F`); callers apply their own word boundaries.
    """
    words = sorted(set(words))
    if not words:
        return []
    args = ["grep", "-n", "-I", "-F", "--full-name", "-z"]
    for word in words:
        args += ["-e", word]
    out = run(root, *args, ok=(0, 1))  # git grep exits 1 when nothing matches
    hits = []
    for record in out.decode("utf-8", "surrogateescape").splitlines():
        path, line, text = record.split("\0", 2)
        hits.append((path, int(line), text))
    return hits
