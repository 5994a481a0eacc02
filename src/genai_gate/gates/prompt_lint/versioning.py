"""PL6xx versioning rules (with --base-ref): version bumps and removed prompts still in use.

The bump a change needs:
- major: the variables changed (callers must pass different inputs) or the template_format;
- minor: the template text or the model changed (behaviour changes, same interface);
- patch: only whitespace of the template, or the token budgets changed;
- none: only description, metadata or lint options changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from genai_gate.gates.prompt_lint.findings import Hit, LintInputs
from genai_gate.integrations import git
from genai_gate.registry import semver
from genai_gate.registry.prompts import Prompt, read_sources_at_ref, relative_to, validate_prompt
from genai_gate.registry.semver import Bump


def needed_bump(old: Prompt, new: Prompt) -> tuple[Bump, str]:
    """The kind of bump the change from `old` to `new` needs, and why."""
    if sorted(old.variables) != sorted(new.variables):
        return Bump.MAJOR, "the variables changed"
    if old.template_format != new.template_format:
        return Bump.MAJOR, "the template_format changed"
    reasons = []
    if old.template.split() != new.template.split():
        reasons.append("the template changed")
    if old.model != new.model:
        reasons.append(f"the model changed from {old.model!r} to {new.model!r}")
    if reasons:
        return Bump.MINOR, " and ".join(reasons)
    if old.template != new.template:
        return Bump.PATCH, "the template's whitespace changed"
    if (old.max_prompt_tokens, old.response_budget_tokens) != (
        new.max_prompt_tokens,
        new.response_budget_tokens,
    ):
        return Bump.PATCH, "the token budgets changed"
    return Bump.NONE, "nothing that affects behaviour changed"


def check_versioning(inputs: LintInputs) -> Iterator[Hit]:
    """Compare with the registry at `inputs.base_ref`."""
    if inputs.base_ref is None:
        return
    ref = inputs.base_ref
    head_texts = {i.source.rel: i.source.text for i in inputs.items}
    sources, unchanged, _broken = read_sources_at_ref(
        inputs.prompts_dir, inputs.root, ref, head_texts
    )
    base: dict[str, Prompt] = {}
    for source in sources:
        prompt, problems = validate_prompt(source)
        if prompt is not None and not problems:
            base.setdefault(prompt.prompt_id, prompt)
    head = {i.prompt.prompt_id: i for i in inputs.items if i.prompt is not None}
    same_ids = {i.prompt.prompt_id for i in inputs.items if i.prompt and i.source.rel in unchanged}
    for prompt_id, item in head.items():
        old = base.get(prompt_id)
        new = item.prompt
        assert new is not None
        if old is None:
            continue
        old_v, new_v = semver.parse(old.version), semver.parse(new.version)
        if old_v is None or new_v is None:
            continue  # PL102 reports the head; a broken base version cannot be compared
        needed, why = needed_bump(old, new)
        made = semver.bump_between(old_v, new_v)
        if needed is Bump.NONE or made >= needed:
            continue
        target = semver.bumped(old_v, needed)
        facts = {"needed_bump": needed.label, "made_bump": made.label, "base_version": old.version}
        if made is Bump.NONE:
            yield Hit(
                "PL601",
                item.source.rel,
                item.source.line_of("version"),
                f"{why} since {ref} but version is {new.version} (was {old.version}): "
                f"a {needed.label} change, bump to {target}",
                facts,
            )
        else:
            yield Hit(
                "PL602",
                item.source.rel,
                item.source.line_of("version"),
                f"{why} since {ref}: that is a {needed.label} change but the version got a "
                f"{made.label} bump ({old.version} -> {new.version}): bump to {target}",
                facts,
            )
    # An unchanged file still defines its prompt, and so does a head file with schema errors.
    raw_ids = {i.source.data.get("prompt_id") for i in inputs.items if i.prompt is None}
    removed = set(base) - set(head) - same_ids - raw_ids
    yield from _removed_still_referenced(inputs, sorted(removed))


def _removed_still_referenced(inputs: LintInputs, removed: list[str]) -> Iterator[Hit]:
    if not removed:
        return
    repo = git.repo_root(inputs.prompts_dir)
    registry_prefix = relative_to(inputs.prompts_dir, repo).rstrip("/") + "/"
    exact = {pid: re.compile(r"(?<![\w-])" + re.escape(pid) + r"(?![\w-])") for pid in removed}
    seen: set[tuple[str, int, str]] = set()
    for path, line, text in git.grep_lines(repo, removed):
        if path.startswith(registry_prefix):
            continue
        for prompt_id, pattern in exact.items():
            if (path, line, prompt_id) in seen or not pattern.search(text):
                continue
            seen.add((path, line, prompt_id))
            yield Hit(
                "PL603",
                relative_to(repo / path, inputs.root),
                line,
                f"prompt {prompt_id!r} was removed since {inputs.base_ref} but is still "
                "referenced here: restore the prompt or update this reference",
                {"prompt_id": prompt_id},
            )
