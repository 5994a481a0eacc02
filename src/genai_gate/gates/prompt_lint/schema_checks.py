"""PL1xx schema and PL7xx metadata rules."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from genai_gate.gates.prompt_lint.findings import Hit, Item, LintInputs
from genai_gate.registry import semver
from genai_gate.registry.prompts import validate_prompt

_KIND_RULE = {"missing": "PL101", "extra_forbidden": "PL104"}


def validate_items(items: list[Item]) -> Iterator[Hit]:
    """Validate each file (filling `item.prompt`) and report schema problems."""
    for item in items:
        prompt, problems = validate_prompt(item.source)
        item.prompt = prompt
        for problem in problems:
            rule = _KIND_RULE.get(problem.kind, "PL105")
            message = problem.message
            if rule == "PL101":
                message = f"required field `{problem.field}` is missing: add it"
            elif rule == "PL104":
                message = f"unknown key `{problem.field}`: remove it or fix its spelling"
            else:
                message = f"`{problem.field}`: {message}"
            yield Hit(rule, item.source.rel, problem.line, message)


def check_schema(inputs: LintInputs) -> Iterator[Hit]:
    """Semver versions, unique ids, file names matching ids."""
    first_by_id: dict[str, Item] = {}
    for item in inputs.items:
        prompt, source = item.prompt, item.source
        if prompt is None:
            continue
        if semver.parse(prompt.version) is None:
            yield Hit(
                "PL102",
                source.rel,
                source.line_of("version"),
                f"version {prompt.version!r} is not semver: write MAJOR.MINOR.PATCH, e.g. 1.0.0",
            )
        first = first_by_id.setdefault(prompt.prompt_id, item)
        if first is not item:
            yield Hit(
                "PL103",
                source.rel,
                source.line_of("prompt_id"),
                f"prompt_id {prompt.prompt_id!r} is already used by {first.source.rel}:"
                f"{first.source.line_of('prompt_id')}: give this prompt a unique id",
            )
        if Path(source.rel).stem != prompt.prompt_id:
            yield Hit(
                "PL106",
                source.rel,
                source.line_of("prompt_id"),
                f"file is named {Path(source.rel).name} but prompt_id is {prompt.prompt_id!r}: "
                f"rename it to {prompt.prompt_id}.yaml",
            )


def _iso_date(text: str) -> bool:
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(text)
        except ValueError:
            continue
        return True
    return False


def check_metadata(inputs: LintInputs) -> Iterator[Hit]:
    """Dataset exists, quality score in [0, 1], created_at is a date."""
    is_file: dict[str, bool] = {}  # prompts of one agent name the same dataset: one stat each
    for item in inputs.items:
        prompt, source = item.prompt, item.source
        if prompt is None:
            continue
        meta = prompt.metadata
        dataset = meta.tested_on_dataset
        if dataset and dataset not in is_file:
            is_file[dataset] = (inputs.root / dataset).is_file()
        if dataset and not is_file[dataset]:
            yield Hit(
                "PL701",
                source.rel,
                source.line_of("metadata", "tested_on_dataset"),
                f"dataset {meta.tested_on_dataset!r} does not exist (paths are relative to the "
                "config file): fix the path or commit the dataset",
            )
        if meta.quality_score is not None and not 0 <= meta.quality_score <= 1:
            yield Hit(
                "PL702",
                source.rel,
                source.line_of("metadata", "quality_score"),
                f"quality_score {meta.quality_score} is outside [0, 1]: write it as a fraction",
            )
        if not _iso_date(meta.created_at):
            yield Hit(
                "PL703",
                source.rel,
                source.line_of("metadata", "created_at"),
                f"created_at {meta.created_at!r} is not an ISO-8601 date: write YYYY-MM-DD",
            )
