"""`--changed-only`: which prompts changed since the base ref, and which cases must re-run.

A prompt changed when its registry content hash (id, model, template, format, variables) differs
from the one at `--base-ref`, or it did not exist there. A case re-runs when its `prompt` changed,
when it names no prompt (it cannot be proven unaffected), when its own definition changed, or when
the baseline does not have it; every other case is taken from the baseline and marked so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from genai_gate.errors import ConfigError
from genai_gate.gates.eval.compare import counts_as_pass
from genai_gate.gates.eval.plan import SuitePlan, case_digest
from genai_gate.integrations import git
from genai_gate.registry.prompts import load_prompts, parse_source, relative_to, validate_prompt
from genai_gate.results import CaseResult

if TYPE_CHECKING:
    from genai_gate.config import LoadedConfig

PROMPT_SUFFIXES = (".yaml", ".yml")


def changed_prompts(loaded: LoadedConfig, base_ref: str) -> tuple[set[str], str]:
    """Prompt ids whose content changed since `base_ref`, and the base commit id."""
    folder = loaded.resolve(loaded.model.registry.prompts)
    root = git.repo_root(folder)
    commit = git.resolve_ref(root, base_ref)
    current = {
        pid: p.content_hash() for pid, p in load_prompts(folder, loaded.root).prompts.items()
    }
    rel_folder = relative_to(folder, root)
    paths = [p for p in git.ls_tree(root, commit, rel_folder) if p.endswith(PROMPT_SUFFIXES)]
    base: dict[str, str] = {}
    for path, blob in git.read_files(root, commit, paths).items():
        try:
            source = parse_source(blob.decode("utf-8"), Path(path), path)
        except (ConfigError, UnicodeDecodeError):
            continue  # unreadable at base: every prompt of the file counts as changed
        prompt, _ = validate_prompt(source)
        if prompt is not None:
            base[prompt.prompt_id] = prompt.content_hash()
    return {pid for pid, digest in current.items() if base.get(pid) != digest}, commit


def reuse_unchanged(
    plans: list[SuitePlan],
    changed: set[str],
    baseline: dict[tuple[str, str], CaseResult] | None,
) -> list[CaseResult]:
    """Drop unchanged cases from the plans; return their baseline results marked as reused.

    Without a baseline nothing can be reused: every case runs (unchanged ones are then answered
    from the response cache when it has them) and is marked `unchanged_prompt`.
    """
    reused: list[CaseResult] = []
    for plan in plans:
        keep = []
        for case in plan.cases:
            unchanged = case.prompt is not None and case.prompt not in changed
            base = baseline.get((plan.name, case.id)) if baseline is not None else None
            same_case = base is not None and base.details.get("digest") == case_digest(case)
            if unchanged and base is not None and same_case:
                copy = base.model_copy(deep=True)
                copy.details["index"] = plan.index[case.id]
                copy.details["reused"] = "baseline"
                copy.details["counts_as_pass"] = counts_as_pass(base)
                copy.reason = (
                    f"unchanged prompt {case.prompt}: baseline result reused; {base.reason}"
                )
                reused.append(copy)
                continue
            keep.append(case)
            if unchanged:
                plan.unchanged.add(case.id)
        plan.cases = keep
    return reused
