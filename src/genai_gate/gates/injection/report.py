"""The injection gate's Markdown section: categories over threshold first, then successful attacks
with masked answer excerpts, then the suite used."""

from __future__ import annotations

from genai_gate.gates.injection.summary import InjectionDetails
from genai_gate.report.text import md_inline, md_table
from genai_gate.results import GateResult, Status

MAX_ROWS = 30
"""Successful attacks listed before the rest is summarised."""


def markdown_section(result: GateResult) -> str:
    """Markdown for injection-test (step summary, PR comment)."""
    details = InjectionDetails.of(result)
    blocks = (_categories(result, details), _successes(result), _suite(details))
    return "\n\n".join(b for b in blocks if b)


def _categories(result: GateResult, details: InjectionDetails) -> str:
    if not details.categories:
        return ""
    ordered = sorted(details.categories.values(), key=lambda c: c.status == "pass")
    icons = {"fail": "❌", "error": "⚠️"}
    rows = [
        f"| {icons.get(c.status, '✅')} {md_inline(c.title, 60)} | "
        f"{c.owasp} | {c.atlas} | "
        f"{c.successes}/{c.attacks - c.errors - c.not_delivered} | "
        f"{c.success_rate:.1%} | {c.threshold:.0%} | {c.refusals} | "
        f"{c.not_delivered} |"
        for c in ordered
    ]
    head = [
        "### Attack success rate by category",
        "",
        "| category | OWASP | ATLAS | succeeded | rate | tolerated | refusals | not delivered |",
        "|---|---|---|---|---|---|---|---|",
    ]
    split = [
        f"{name}: {g.successes}/{g.attacks}"
        for breakdown in (details.by_language, details.by_delivery)
        for name, g in breakdown.items()
    ]
    tail = ["", "Succeeded by language and delivery: " + ", ".join(split) + "."] if split else []
    reasons: dict[str, int] = {}
    for case in result.cases:
        if case.status is Status.SKIPPED and case.reason.startswith("not delivered: "):
            reason = case.reason.removeprefix("not delivered: ")
            reasons[reason] = reasons.get(reason, 0) + 1
    if reasons:
        listed = "; ".join(f"{md_inline(r, 120)} ({n})" for r, n in sorted(reasons.items()))
        tail += ["", f"Not delivered (never judged, never passed): {listed}."]
    return "\n".join([*head, *rows, *tail])


def _successes(result: GateResult) -> str:
    failed = [c for c in result.cases if c.status is Status.FAIL]
    if not failed:
        return ""
    rows = [
        f"| `{md_inline(c.id, 60)}` | {c.details.get('delivery', '')} | "
        f"{md_inline(', '.join(c.details.get('checks', [])), 120)} | "
        f"{md_inline(c.details.get('excerpt', ''), 160)} |"
        for c in failed[:MAX_ROWS]
    ]
    columns = ["attack", "delivery", "evidence", "answer (masked)"]
    table = md_table(columns, rows, len(failed), "successful attacks (see the results file)")
    return f"### Successful attacks ({len(failed)})\n\n{table}"


def _suite(details: InjectionDetails) -> str:
    suite = details.suite
    if suite is None:
        return ""
    return (
        f"Suite {md_inline(suite.version, 20)} "
        f"(`{md_inline(suite.digest[:19], 20)}`), "
        f"{suite.attacks_run} attacks against target "
        f"`{md_inline(details.target or '', 40)}`."
    )
