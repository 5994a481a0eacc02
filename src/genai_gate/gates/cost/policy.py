"""The cost gate's rules: a spike over `max_increase_pct` or a projection over the monthly
budget fails the gate, unless the PR carries one of the approval labels."""

from __future__ import annotations

from dataclasses import dataclass, field

from genai_gate.gates.cost.details import PromptRow, Totals
from genai_gate.gates.cost.settings import CostSettings
from genai_gate.results import Finding, Location, Severity


@dataclass
class Verdict:
    """Whether the gate passes, the findings, and the approval that let it pass."""

    failed: bool
    findings: list[Finding] = field(default_factory=list)
    approved_by: str | None = None
    """The approval label that accepted the violations, if any."""


def _money(value: float) -> str:
    return f"${value:,.2f}" if value >= 0.01 or value == 0 else f"${value:.6f}"


def judge(
    rows: list[PromptRow],
    totals: Totals,
    settings: CostSettings,
    labels: list[str],
    config_rel: str,
    budget_line: int | None,
    limit_line: int | None,
    base_ref: str | None,
) -> Verdict:
    """Apply the limits; findings point at the prompt file or at the config's budget."""
    limit = settings.max_increase_pct
    problems: list[tuple[str, str, Location]] = []
    for row in rows:
        if row.delta_pct is not None and row.delta_pct > limit:
            approx = " (approximate token count)" if row.approximate else ""
            money = f"{_money(row.base_per_request_usd or 0)} -> {_money(row.per_request_usd or 0)}"
            tokens = f"{row.base_template_tokens} -> {row.template_tokens} tokens{approx}"
            problems.append(
                (
                    "COST101",
                    f"{row.prompt_id}: cost per request {row.delta_pct:+.1f}% vs {base_ref} "
                    f"({money}; template {tokens}), "
                    f"over the +{limit:g}% limit: shrink the prompt, or add an approval label "
                    f"({', '.join(settings.approval_labels)}) if the increase is intended",
                    Location(path=row.path, line=row.line),
                )
            )
    if totals.delta_pct is not None and totals.delta_pct > limit:
        money = f"{_money(totals.base_monthly_usd or 0)} -> {_money(totals.monthly_usd)}"
        problems.append(
            (
                "COST102",
                f"projected monthly cost {totals.delta_pct:+.1f}% vs {base_ref} ({money}), "
                f"over the +{limit:g}% limit (cost.max_increase_pct)",
                Location(path=config_rel, line=limit_line),
            )
        )
    budget = settings.monthly_budget_usd
    if budget is not None and totals.monthly_usd > budget:
        problems.append(
            (
                "COST103",
                f"projected monthly cost {_money(totals.monthly_usd)} is over the budget of "
                f"{_money(budget)} (cost.monthly_budget_usd)",
                Location(path=config_rel, line=budget_line),
            )
        )
    approved_by = next((label for label in settings.approval_labels if label in labels), None)
    severity = Severity.NOTE if approved_by else Severity.ERROR
    names = {
        "COST101": "prompt-cost-increase",
        "COST102": "monthly-cost-increase",
        "COST103": "over-budget",
    }
    findings = [
        Finding(
            rule_id=rule,
            rule_name=names[rule],
            severity=severity,
            message=message + (f" [accepted: PR label {approved_by!r}]" if approved_by else ""),
            location=location,
        )
        for rule, message, location in problems
    ]
    return Verdict(
        failed=bool(problems) and approved_by is None,
        findings=findings,
        approved_by=approved_by if problems else None,
    )
