"""The Markdown of one gate's result: generic parts plus an optional gate-specific section.

Hook for gate engineers: to add gate-specific Markdown (an eval comparison table, canary metric
evidence, ...) write a function

    def markdown_section(result: GateResult) -> str: ...

returning Markdown (no trailing newline needed; return "" when there is nothing to add) and
name it in the gate's descriptor (`section="genai_gate.gates.eval.report:markdown_section"` in
`gates/eval/gate.py`, see `genai_gate.gates.spec`; `SECTIONS` is derived from those). It is
shown after the summary figures in the step summary, the console (rendered by rich) and the
sticky PR comment, so lead with what a reviewer must act on (for the eval gate: regressions).
Escape untrusted text (model output, prompt text) with `genai_gate.report.text.md_inline`.
Gates without a section get the generic parts only: headline, summary figures, findings and
failing cases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_gate.gates import gates
from genai_gate.gates.spec import resolve
from genai_gate.report.document import Block
from genai_gate.report.text import format_value, md_inline, md_table
from genai_gate.results import Status

if TYPE_CHECKING:
    from genai_gate.results import CaseResult, Finding, GateResult

SECTIONS: dict[str, str] = {g.name: g.section for g in gates() if g.section is not None}
"""Gate-specific Markdown sections, by gate name."""

ICONS = {
    Status.PASS: "✅",
    Status.FAIL: "❌",
    Status.ERROR: "⚠️",
    Status.SKIPPED: "⏭️",
    Status.FLAKY: "🎲",
}
"""Status icons used in Markdown."""

FAILING = (Status.ERROR, Status.FAIL, Status.FLAKY)
"""Case statuses listed under "failing cases", in this order."""


def extra_section(result: GateResult) -> str:
    """The registered gate-specific Markdown for `result`, or "" when none is registered."""
    spec = SECTIONS.get(result.gate)
    if spec is None:
        return ""
    render = resolve(spec)
    if not callable(render):
        raise TypeError(f"section {spec} is not a function")
    text = render(result)
    if not isinstance(text, str):
        raise TypeError(f"section function {spec} returned {type(text).__name__}, not str")
    return text.strip()


def headline(result: GateResult, level: int = 2) -> str:
    """`## ✅ eval-gate: pass — 42/42 cases passed` plus an incomplete/error line."""
    icon = ICONS.get(result.status, "")
    title = f" — {md_inline(result.title, 200)}" if result.title else ""
    lines = [f"{'#' * level} {icon} {result.gate}: {result.status.value}{title}"]
    if result.incomplete:
        lines.append("")
        lines.append("> **Incomplete:** this run did not cover everything it should have.")
    if result.error:
        lines.append("")
        lines.append(f"> **Error ({_kind(result)}):** {md_inline(result.error, 1000)}")
    return "\n".join(lines)


def _kind(result: GateResult) -> str:
    return result.error_kind.value if result.error_kind else "error"


def summary_table(result: GateResult) -> str:
    """The key figures as a two-column table ("" when there are none)."""
    if not result.summary:
        return ""
    rows = [
        f"| {md_inline(k, 80)} | {md_inline(format_value(v), 200)} |"
        for k, v in result.summary.items()
    ]
    return "\n".join(["| figure | value |", "|---|---|", *rows])


def location_text(finding: Finding) -> str:
    """`path:line` of a finding, or "-"."""
    loc = finding.location
    if loc is None:
        return "-"
    return f"{loc.path}:{loc.line}" if loc.line else loc.path


def shown_findings(result: GateResult) -> list[Finding]:
    """Findings not about a listed failing case (those are shown once, with the case)."""
    listed = {c.id for c in failing_cases(result)}
    return [f for f in result.findings if f.properties.get("case") not in listed]


def findings_table(result: GateResult, max_rows: int | None = None) -> str:
    """Findings by severity (errors first) as a table ("" when there are none)."""
    if not shown_findings(result):
        return ""
    order = {"error": 0, "warning": 1, "note": 2}
    findings = sorted(shown_findings(result), key=lambda f: order[f.severity.value])
    shown = findings if max_rows is None else findings[:max_rows]
    rows = [
        f"| {f.severity.value} | `{md_inline(f.rule_id, 80)}` | {md_inline(location_text(f), 200)}"
        f" | {md_inline(f.message, 500)} |"
        for f in shown
    ]
    columns = ["severity", "rule", "location", "message"]
    table = md_table(columns, rows, len(findings), "findings (see the results file)")
    return f"**Findings ({len(findings)})**\n\n{table}"


def regressed(case: CaseResult) -> bool:
    """The case passed on the baseline and fails now."""
    baseline = case.details.get("baseline")
    return isinstance(baseline, dict) and baseline.get("change") == "regressed"


def failing_cases(result: GateResult) -> list[CaseResult]:
    """Regressed cases first, then the others that errored, failed or were flaky, in that order
    (stable within each group)."""
    failing = [c for status in FAILING for c in result.cases if c.status is status]
    return [c for c in failing if regressed(c)] + [c for c in failing if not regressed(c)]


def status_text(case: CaseResult) -> str:
    """`fail`, or `fail, regressed (was 1.00)` for a regression."""
    if not regressed(case):
        return case.status.value
    before = case.details["baseline"].get("score")
    was = f" (was {before:.2f})" if isinstance(before, (int, float)) else ""
    return f"{case.status.value}, regressed{was}"


def evidence(case: CaseResult) -> list[tuple[str, str]]:
    """What the author needs to fix a failing case, as (label, text): description, where it is
    written, input, the agent's answer and the expected facts (texts masked by the gate)."""
    details = case.details
    items = [(label, details.get(key)) for key, label in _EVIDENCE]
    expected = details.get("expected")
    if isinstance(expected, list) and expected:
        items.append(("expected", "; ".join(str(e) for e in expected)))
    return [(label, str(text)) for label, text in items if text]


_EVIDENCE = (
    ("description", "description"),
    ("source", "where"),
    ("input", "input"),
    ("answer", "answer"),
)


def failing_cases_table(result: GateResult, max_rows: int | None = None) -> str:
    """Failing cases (regressions first) with score, reason and evidence ("" when every case
    passed); each case once."""
    cases = failing_cases(result)
    if not cases:
        return ""
    shown = cases if max_rows is None else cases[:max_rows]
    rows = [
        f"| `{md_inline(c.id, 120)}` | {ICONS.get(c.status, '')} {md_inline(status_text(c), 60)}"
        f" | {format_value(c.score)} | {_reason_cell(c)} |"
        for c in shown
    ]
    table = md_table(["case", "status", "score", "why"], rows, len(cases), "(see the results file)")
    return f"**Failing cases ({len(cases)} of {len(result.cases)})**\n\n{table}"


def _reason_cell(case: CaseResult) -> str:
    lines = [md_inline(case.reason, 400)]
    lines += [f"**{label}:** {md_inline(text, 400)}" for label, text in evidence(case)]
    return "<br>".join(lines)


def footer(result: GateResult) -> str:
    """Small print: tool version, duration, config digest."""
    bits = [f"genai-gate {result.tool_version}"]
    if result.timings:
        bits.append(f"{result.timings.duration_s:.1f} s")
    if result.config_digest:
        bits.append(f"config {result.config_digest[:19]}")
    return "<sub>" + " · ".join(bits) + "</sub>"


def gate_blocks(result: GateResult, *, level: int = 2, max_rows: int | None = None) -> list[Block]:
    """All Markdown blocks of one gate, named for the truncation note."""
    gate = result.gate
    return [
        Block(f"{gate}: headline", headline(result, level)),
        Block(f"{gate}: summary figures", summary_table(result)),
        Block(f"{gate}: gate section", extra_section(result)),
        Block(f"{gate}: findings", findings_table(result, max_rows)),
        Block(f"{gate}: failing cases", failing_cases_table(result, max_rows)),
    ]
