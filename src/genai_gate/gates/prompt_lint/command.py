"""Validate the prompt registry and the model registry.

Checks every prompt file (schema, template syntax and variables, secrets, personal data,
injection-inviting structure, token limits, model references, metadata) and the model registry
(valid entries, unique names, prices). With --base-ref, also checks that changed prompts got the
version bump they need and that removed prompts are no longer referenced by tracked files.
Rules are listed in genai_gate.gates.prompt_lint.rules; disable or re-level them under
`prompt_lint.rules` in genai-gate.yaml, or suppress one in a prompt file with a reason.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from genai_gate.options import GateOptions

if TYPE_CHECKING:  # the run's modules are imported when it runs: `--help` stays fast
    from genai_gate.context import Context
    from genai_gate.gates.prompt_lint.findings import LintInputs
    from genai_gate.gates.prompt_lint.lint import LintReport
    from genai_gate.results import GateResult


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `genai-gate prompt-lint`."""
    parser.add_argument(
        "--prompts", metavar="DIR", help="prompt registry folder (default: registry.prompts)"
    )
    parser.add_argument(
        "--models", metavar="FILE", help="model registry file (default: registry.models)"
    )
    parser.add_argument(
        "--base-ref",
        metavar="REF",
        help="git ref to compare with: changed prompts need a version bump, removed ones "
        "must not be referenced any more",
    )


@dataclass(frozen=True)
class Options(GateOptions):
    """Options of one prompt-lint run."""

    prompts: str | None = None
    """Prompt registry folder (default: registry.prompts)."""
    models: str | None = None
    """Model registry file (default: registry.models)."""
    base_ref: str | None = None
    """Git ref to compare with (version bumps, removed prompts)."""


def run(options: Options, ctx: Context) -> GateResult:
    """Lint the registries named in the config (or in the options)."""
    from genai_gate.gates.prompt_lint.findings import Item, LintInputs
    from genai_gate.gates.prompt_lint.lint import lint
    from genai_gate.gates.prompt_lint.settings import PromptLintSettings
    from genai_gate.registry.models import read_model_registry
    from genai_gate.registry.prompts import read_sources, relative_to

    config = ctx.config
    settings = config.model.prompt_lint or PromptLintSettings()
    root = config.root
    prompts_dir = (
        Path(options.prompts).resolve()
        if options.prompts
        else config.resolve(config.model.registry.prompts)
    )
    models_file = (
        Path(options.models).resolve()
        if options.models
        else config.resolve(config.model.registry.models)
    )
    items = [Item(source) for source in read_sources(prompts_dir, root)]
    inputs = LintInputs(
        root=root,
        prompts_dir=prompts_dir,
        settings=settings,
        items=items,
        models=read_model_registry(models_file),
        models_rel=relative_to(models_file, root),
        base_ref=options.base_ref,
    )
    return build_result(inputs, lint(inputs))


def build_result(inputs: LintInputs, report: LintReport) -> GateResult:
    """The GateResult of a lint run: findings, counts, and per-prompt token figures."""
    from genai_gate.gates.prompt_lint.summary import (
        PromptLintDetails,
        PromptLintSummary,
        PromptTokens,
    )
    from genai_gate.results import GateResult, Severity, Status

    count = {s: sum(f.severity is s for f in report.findings) for s in Severity}
    failing = {Severity.ERROR} | (
        {Severity.WARNING} if inputs.settings.fail_on == "warning" else set()
    )
    failed = any(f.severity in failing for f in report.findings)
    prompts = [
        PromptTokens(
            prompt_id=item.prompt.prompt_id,
            version=item.prompt.version,
            path=item.source.rel,
            model=item.prompt.model,
            tokens=item.tokens,
            approximate=item.approximate,
            content_hash=item.prompt.content_hash(),
        )
        for item in inputs.items
        if item.prompt is not None
    ]
    title = (
        f"{len(inputs.items)} prompts: {count[Severity.ERROR]} errors, "
        f"{count[Severity.WARNING]} warnings"
    )
    if any(p.approximate for p in prompts):
        title += " (some token counts approximate)"
    summary = PromptLintSummary(
        findings=len(report.findings),
        errors=count[Severity.ERROR],
        warnings=count[Severity.WARNING],
        prompts=len(inputs.items),
    )
    details = PromptLintDetails(
        prompts=prompts,
        suppressed=report.suppressed,
        models_file=inputs.models_rel,
        base_ref=inputs.base_ref,
    )
    return GateResult(
        gate="prompt-lint",
        status=Status.FAIL if failed else Status.PASS,
        title=title,
        summary=summary.as_dict(),
        findings=report.findings,
        details=details.as_dict(),
    )
