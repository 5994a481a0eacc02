"""Estimate the token and dollar cost of the prompts, and of this change (base vs head).

Counts each prompt's tokens with its model's tokenizer (approximate counts are flagged), prices
them from the model registry (a missing price is an error), projects the monthly cost from the
`cost.traffic` profile, and with --base-ref compares with the base revision. The gate fails when
the cost per request of a prompt or the projected monthly total rises more than
`cost.max_increase_pct` (default +50%), or the projection is over `cost.monthly_budget_usd`,
unless the PR carries one of `cost.approval_labels` (then it passes and says why). Usage
recorded by earlier eval / injection runs is compared with their estimates.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from genai_gate.options import GateOptions

if TYPE_CHECKING:  # the run's modules are imported when it runs: `--help` stays fast
    from genai_gate.context import Context
    from genai_gate.gates.cost.settings import CostSettings
    from genai_gate.gates.cost.snapshot import Snapshot
    from genai_gate.results import Finding, GateResult


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `genai-gate cost-estimate`."""
    parser.add_argument("--base-ref", metavar="REF", help="git ref to compare with (the PR base)")
    parser.add_argument(
        "--pr-labels",
        action="append",
        metavar="LABELS",
        help="labels of the pull request, comma-separated; repeatable (default: read from "
        "$GITHUB_EVENT_PATH)",
    )
    parser.add_argument(
        "--actual",
        action="append",
        type=Path,
        metavar="FILE",
        help="results file whose recorded usage is compared with its estimate; repeatable "
        "(default: eval-gate.json and injection-test.json in the results folder, if present)",
    )


@dataclass(frozen=True)
class Options(GateOptions):
    """Options of one cost-estimate run."""

    base_ref: str | None = None
    """Git ref to compare with (the PR base)."""
    pr_labels: tuple[str, ...] | None = None
    """Labels of the pull request, comma-separated items (default: from $GITHUB_EVENT_PATH)."""
    actual: tuple[Path, ...] | None = None
    """Results files whose recorded usage is compared with the estimate (default: eval-gate.json
    and injection-test.json in the results folder, if present)."""


def run(options: Options, ctx: Context) -> GateResult:
    """Estimate head (and base), apply the limits, compare with recorded usage."""
    from genai_gate.gates.cost import actuals, policy
    from genai_gate.gates.cost.compare import compare
    from genai_gate.gates.cost.details import CostDetails, Labels, Limits
    from genai_gate.gates.cost.labels import pr_labels
    from genai_gate.gates.cost.settings import CostSettings
    from genai_gate.gates.cost.snapshot import load_base, load_head
    from genai_gate.gates.cost.summary import CostSummary
    from genai_gate.registry.prompts import relative_to
    from genai_gate.results import GateResult, Status

    config = ctx.config
    settings = config.model.cost or CostSettings()
    prompts_dir = config.resolve(config.model.registry.prompts)
    models_file = config.resolve(config.model.registry.models)
    head = load_head(prompts_dir, models_file, config.root)
    for prompt_id in settings.traffic:
        if prompt_id not in head.prompts:
            known = ", ".join(sorted(head.prompts)[:20])
            raise config.error(
                f"unknown prompt {prompt_id!r} in the traffic profile (known: {known})",
                "cost",
                "traffic",
                prompt_id,
            )
    base: Snapshot | None = None
    if options.base_ref:
        base = load_base(prompts_dir, models_file, config.root, options.base_ref, head)
    rows, totals = compare(head, base, settings)
    labels, label_source = pr_labels(options.pr_labels)
    verdict = policy.judge(
        rows,
        totals,
        settings,
        labels,
        config_rel=relative_to(config.path, config.root),
        budget_line=config.line_of("cost", "monthly_budget_usd"),
        limit_line=config.line_of("cost", "max_increase_pct") or config.line_of("cost"),
        base_ref=options.base_ref,
    )
    config_rel = relative_to(config.path, config.root)
    verdict.findings += blind_spots(settings, options.base_ref, config_rel, config.line_of("cost"))
    eval_prices = None
    if settings.eval.prompt and settings.eval.prompt in head.prompts:
        model = head.prompts[settings.eval.prompt].model
        eval_prices = head.models.get(model).price_per_1m_tokens  # type: ignore[union-attr]
    result_files = list(
        options.actual
        or [
            ctx.results_dir / name
            for name in actuals.DEFAULT_RESULTS
            if (ctx.results_dir / name).is_file()
        ]
    )
    approximate = sorted(r.prompt_id for r in rows if r.approximate)
    title = f"projected ${totals.monthly_usd:,.2f}/month"
    if totals.delta_pct is not None:
        title += f" ({totals.delta_pct:+.1f}% vs {options.base_ref})"
    if verdict.approved_by:
        title += f"; over the limits but approved by PR label {verdict.approved_by!r}"
    if approximate:
        title += " (approximate token counts for some prompts)"
    return GateResult(
        gate="cost-estimate",
        status=Status.FAIL if verdict.failed else Status.PASS,
        title=title,
        summary=CostSummary(
            monthly_cost_usd=round(totals.monthly_usd, 2),
            delta_pct=None if totals.delta_pct is None else round(totals.delta_pct, 1),
            base_monthly_cost_usd=None
            if totals.base_monthly_usd is None
            else round(totals.base_monthly_usd, 2),
            prompts=len(head.prompts),
            approved_by=verdict.approved_by,
        ).as_dict(),
        findings=verdict.findings,
        details=CostDetails(
            base_ref=options.base_ref,
            prompts=[row.rounded() for row in rows],
            total=totals,
            limits=Limits(
                max_increase_pct=settings.max_increase_pct,
                monthly_budget_usd=settings.monthly_budget_usd,
                approval_labels=settings.approval_labels,
            ),
            labels=Labels(labels=labels, source=label_source),
            approved_by=verdict.approved_by,
            approximate_prompts=approximate,
            base_skipped=base.skipped if base else [],
            actuals=actuals.actual_vs_estimate(result_files, eval_prices),
        ).as_dict(),
    )


def blind_spots(
    settings: CostSettings, base_ref: str | None, config_rel: str, line: int | None
) -> list[Finding]:
    """Warnings for rules that cannot fail with this configuration (a default must say so)."""
    from genai_gate.results import Finding, Location, Severity

    where = Location(path=config_rel, line=line)
    found = []
    if not settings.traffic:
        rules = "cost.monthly_budget_usd and the monthly increase rule"
        found.append(
            Finding(
                rule_id="COST104",
                severity=Severity.WARNING,
                message="no cost.traffic profile: the monthly projection is $0, so "
                f"{rules} cannot fail; add requests_per_day per prompt",
                location=where,
            )
        )
    if base_ref is None:
        found.append(
            Finding(
                rule_id="COST105",
                severity=Severity.WARNING,
                message="no --base-ref: nothing to compare with, so cost.max_increase_pct "
                "cannot fail",
                location=where,
            )
        )
    return found
