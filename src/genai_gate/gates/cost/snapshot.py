"""Token counts of every prompt of a registry, at head (work tree) or at a git base ref.

A snapshot is what cost depends on: per prompt its model and the tokens of its rendered
template (variables empty, `registry.templates`), counted with the model's tokenizer. Head
problems are errors (exit 2; prompt-lint explains them); at the base ref a broken prompt is
skipped and noted, since a PR cannot fix its base. Base files identical to head reuse the head
count, so a large registry with a small change costs little more than one snapshot.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from genai_gate.errors import ConfigError, located
from genai_gate.integrations import git
from genai_gate.registry.models import ModelRegistry, load_model_registry, parse_model_registry
from genai_gate.registry.prompts import (
    Prompt,
    PromptSource,
    read_sources,
    read_sources_at_ref,
    registry_from_sources,
    relative_to,
    validate_prompt,
)
from genai_gate.registry.templates import static_text
from genai_gate.registry.tokenizer import get_tokenizer


@dataclass(frozen=True)
class PromptTokens:
    """What the cost of one prompt depends on."""

    prompt_id: str
    version: str
    model: str
    """Model registry name."""
    path: str
    """Prompt file relative to the config root."""
    line: int | None
    """Line of the template in that file."""
    template_tokens: int
    """Tokens of the rendered template (variables empty)."""
    tokenizer: str
    approximate: bool
    """True when counted with `approx-chars-4` rather than the model's tokenizer."""
    response_budget_tokens: int | None


@dataclass
class Snapshot:
    """Prompts and models at one revision."""

    prompts: dict[str, PromptTokens]
    models: ModelRegistry
    texts: dict[str, str] = field(default_factory=dict)
    """Raw text of each prompt file by relative path (to reuse counts for unchanged files)."""
    skipped: list[str] = field(default_factory=list)
    """Files of this revision that could not be used, with why."""


def _count(
    items: list[tuple[PromptSource, Prompt, str]], models: ModelRegistry
) -> list[PromptTokens]:
    """Token counts for (source, prompt, static text) triples, batched per tokenizer."""
    by_tokenizer: dict[str, list[int]] = defaultdict(list)
    for index, (_, prompt, _) in enumerate(items):
        by_tokenizer[models.models[prompt.model].tokenizer].append(index)
    counts: dict[int, tuple[int, str, bool]] = {}
    for name, indexes in by_tokenizer.items():
        tokenizer = get_tokenizer(name)
        for index, count in zip(
            indexes, tokenizer.count_many([items[i][2] for i in indexes]), strict=True
        ):
            counts[index] = (count, name, tokenizer.approximate)
    out = []
    for index, (source, prompt, _) in enumerate(items):
        count, name, approximate = counts[index]
        out.append(
            PromptTokens(
                prompt_id=prompt.prompt_id,
                version=prompt.version,
                model=prompt.model,
                path=source.rel,
                line=source.template_first_line(),
                template_tokens=count,
                tokenizer=name,
                approximate=approximate,
                response_budget_tokens=prompt.response_budget_tokens,
            )
        )
    return out


def load_head(prompts_dir: Path, models_file: Path, root: Path) -> Snapshot:
    """The work tree's registries, strictly: any problem is a ConfigError naming file:line."""
    models = load_model_registry(models_file)
    sources = read_sources(prompts_dir, root)
    registry = registry_from_sources(sources)
    items: list[tuple[PromptSource, Prompt, str]] = []
    problems: list[str] = []
    for prompt_id, prompt in registry.prompts.items():
        source = registry.sources[prompt_id]
        if models.get(prompt.model) is None:
            problems.append(
                located(
                    source.path,
                    source.line_of("model"),
                    "model",
                    f"model {prompt.model!r} is not in {models_file.name}",
                )
            )
            continue
        text, error = static_text(prompt.template, prompt.template_format)
        if error is not None:
            problems.append(located(source.path, source.line_of("template"), "template", error))
            continue
        items.append((source, prompt, text))
    if problems:
        raise ConfigError(problems)
    tokens = _count(items, models)
    return Snapshot(
        prompts={t.prompt_id: t for t in tokens},
        models=models,
        texts={source.rel: source.text for source, _, _ in items},
    )


def load_base(
    prompts_dir: Path, models_file: Path, root: Path, ref: str, head: Snapshot
) -> Snapshot:
    """The registries at git `ref`; unusable files are skipped and listed in `skipped`."""
    repo = git.repo_root(root)
    models, note = _base_models(repo, ref, models_file, head.models)
    reused = {t.path: t for t in head.prompts.values() if _same_tokenizer(t, models)}
    unchanged = {rel: text for rel, text in head.texts.items() if rel in reused}
    sources, same, skipped = read_sources_at_ref(prompts_dir, root, ref, unchanged)
    if note:
        skipped.append(note)
    prompts: dict[str, PromptTokens] = {}
    for rel in same:
        prompts.setdefault(reused[rel].prompt_id, reused[rel])
    items: list[tuple[PromptSource, Prompt, str]] = []
    for source in sources:
        prompt, problems = validate_prompt(source)
        where = f"{ref}:{source.rel}"
        if prompt is None or problems:
            skipped.append(f"{where}: invalid prompt file at the base ref")
            continue
        if models.get(prompt.model) is None:
            skipped.append(f"{where}: model {prompt.model!r} is not in the base model registry")
            continue
        text, error = static_text(prompt.template, prompt.template_format)
        if error is not None:
            skipped.append(f"{where}: template does not parse ({error})")
            continue
        items.append((source, prompt, text))
    for tokens in _count(items, models):
        prompts.setdefault(tokens.prompt_id, tokens)
    return Snapshot(prompts=prompts, models=models, skipped=skipped)


def _same_tokenizer(tokens: PromptTokens, models: ModelRegistry) -> bool:
    entry = models.get(tokens.model)
    return entry is not None and entry.tokenizer == tokens.tokenizer


def _base_models(
    repo: Path, ref: str, models_file: Path, head: ModelRegistry
) -> tuple[ModelRegistry, str | None]:
    """The model registry at `ref`, or head's (with a note) when absent or invalid there."""
    rel = relative_to(models_file, repo)
    blob = git.show(repo, ref, rel)
    if blob is None:
        return head, f"{ref}:{rel}: no model registry at the base ref; head prices used"
    try:
        registry = parse_model_registry(blob.decode("utf-8-sig"), Path(f"{ref}:{rel}"))
    except (ConfigError, UnicodeDecodeError):
        return head, f"{ref}:{rel}: model registry unreadable at the base ref; head prices used"
    if any(p.kind != "no-price" for p in registry.problems):
        return head, f"{ref}:{rel}: model registry invalid at the base ref; head prices used"
    return registry, None
