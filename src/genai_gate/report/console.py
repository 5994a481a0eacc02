"""Console renderer (rich): headline, summary figures, gate section, findings, failing cases.

Untrusted text is passed to rich as `Text`, never as markup, so `[bold]` or escape sequences
in model output are shown literally. The gate section's Markdown is turned into rich objects by
`console_markdown` (rich.markdown, with markdown-it and pygments, only for Markdown outside the
subset the sections write).
"""

from __future__ import annotations

import io
import sys
from typing import TYPE_CHECKING, TextIO

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from genai_gate.report.console_markdown import renderable as lite_markdown
from genai_gate.report.sections import (
    evidence,
    extra_section,
    failing_cases,
    location_text,
    shown_findings,
    status_text,
)
from genai_gate.report.text import format_value, shorten
from genai_gate.results import Status

if TYPE_CHECKING:
    from genai_gate.results import CaseResult, GateResult

MAX_ROWS = 50
"""Rows shown per table; the rest is counted (the results file has everything)."""

STYLES = {
    Status.PASS: "bold green",
    Status.FAIL: "bold red",
    Status.ERROR: "bold yellow",
    Status.SKIPPED: "dim",
    Status.FLAKY: "magenta",
}
SEVERITY_STYLES = {"error": "red", "warning": "yellow", "note": "cyan"}


def _headline(result: GateResult) -> Text:
    text = Text()
    text.append(f"{result.gate} ", style="bold")
    text.append(result.status.value.upper(), style=STYLES.get(result.status, ""))
    if result.title:
        text.append(f"  {result.title}")
    if result.incomplete:
        text.append("  (incomplete)", style="bold yellow")
    return text


def _summary(result: GateResult) -> Table | None:
    if not result.summary:
        return None
    table = Table(title=_title("summary"), title_justify="left", show_header=False, box=None)
    table.add_column(style="dim")
    table.add_column()
    for key, value in result.summary.items():
        table.add_row(Text(key), Text(format_value(value)))
    return table


def _title(text: str) -> Text:
    """A table title as rich styles a plain-string one, without its markup and emoji pass
    (whose emoji table costs a few ms to import)."""
    return Text(text, style="table.title")


def _more(total: int, shown: int) -> Text | None:
    return (
        Text(f"…and {total - shown} more (see the results file)", style="dim")
        if (total > shown)
        else None
    )


def _findings(result: GateResult) -> list[RenderableType]:
    findings = shown_findings(result)
    if not findings:
        return []
    table = Table(title=_title(f"findings ({len(findings)})"), title_justify="left")
    for column in ("severity", "rule", "location", "message"):
        table.add_column(Text(column), overflow="fold")
    for f in findings[:MAX_ROWS]:
        table.add_row(
            Text(f.severity.value, style=SEVERITY_STYLES[f.severity.value]),
            Text(f.rule_id),
            Text(location_text(f)),
            Text(shorten(f.message, 500)),
        )
    return [r for r in (table, _more(len(findings), MAX_ROWS)) if r is not None]


def _cases(result: GateResult) -> list[RenderableType]:
    cases = failing_cases(result)
    if not cases:
        return []
    title = f"failing cases ({len(cases)} of {len(result.cases)})"
    table = Table(title=_title(title), title_justify="left")
    for column in ("case", "status", "score", "why"):
        table.add_column(Text(column), overflow="fold")
    groups = _group_by_outcome(cases)
    for group in groups[:MAX_ROWS]:
        first = group[0]
        ids = ", ".join(c.id for c in group[:3])
        if len(group) > 3:
            ids += f" … +{len(group) - 3} more"
        why = Text(shorten(" ".join(first.reason.split()), 300))
        for label, text in evidence(first) if len(group) == 1 else []:
            why.append(f"\n{label}: ", style="dim")
            why.append(shorten(" ".join(text.split()), 300))
        table.add_row(
            Text(ids),
            Text(status_text(first), style=STYLES.get(first.status, "")),
            Text(format_value(first.score)),
            why,
        )
    return [r for r in (table, _more(len(groups), MAX_ROWS)) if r is not None]


def _group_by_outcome(cases: list[CaseResult]) -> list[list[CaseResult]]:
    """Cases with the same status, score and reason share one row (e.g. 200 "not run" cases);
    a case with evidence (its own input and answer) keeps its own row."""
    groups: dict[tuple[str, float | None, str, str], list[CaseResult]] = {}
    for case in cases:
        own = case.id if case.details.get("answer") is not None else ""
        key = (status_text(case), case.score, case.reason, own)
        groups.setdefault(key, []).append(case)
    return list(groups.values())


def _usage(result: GateResult) -> Text | None:
    bits = []
    if result.usage is not None:
        u = result.usage
        bits.append(f"{u.requests} requests ({u.cached_requests} cached)")
        bits.append(f"{u.prompt_tokens + u.completion_tokens:,} tokens")
        if u.cost_usd is not None:
            bits.append(f"${u.cost_usd:.4f}")
    if result.timings is not None:
        bits.append(f"{result.timings.duration_s:.1f} s")
    return Text(" · ".join(bits), style="dim") if bits else None


def markdown(text: str) -> RenderableType:
    """A gate section's Markdown as rich renders it."""
    lite = lite_markdown(text)
    if lite is not None:
        return lite
    from rich.markdown import Markdown

    return Markdown(text)


def renderable(result: GateResult) -> Group:
    """Everything shown on the console for one result."""
    parts: list[RenderableType | None] = [_headline(result)]
    if result.error:
        parts.append(Text(f"error: {result.error}", style="yellow"))
    parts.append(_summary(result))
    extra = extra_section(result)
    if extra:
        parts.append(markdown(extra))
    parts += _findings(result)
    parts += _cases(result)
    parts.append(_usage(result))
    return Group(*(p for p in parts if p is not None))


def print_result(result: GateResult, file: TextIO | None = None) -> None:
    """Print to `file` (standard output by default), with colours only on a terminal."""
    Console(file=file or sys.stdout, highlight=False, soft_wrap=False).print(renderable(result))


def render(result: GateResult, width: int = 120) -> str:
    """Plain-text rendering (no colours), for `--output console=PATH`."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False)
    console.print(renderable(result))
    return buffer.getvalue()
