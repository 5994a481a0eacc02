"""The security-scan Markdown section: one row per tool, then the findings that block the gate
with their tool's four-step severity (the generic findings table shows SARIF levels only)."""

from __future__ import annotations

from genai_gate.gates.security.summary import SecurityDetails, ToolOutcome
from genai_gate.report.sections import location_text
from genai_gate.report.text import md_inline, md_table
from genai_gate.results import GateResult

MAX_ROWS = 25
"""Blocking findings listed before the rest is counted."""
ICON = {"pass": "✅", "fail": "❌", "error": "⚠️"}


def _tool_row(tool: ToolOutcome) -> str:
    if tool.status == "error":
        what = md_inline(tool.error or "", 300)
        return f"| {tool.tool} | {ICON[tool.status]} could not run | - | - | {what} |"
    not_scanned = tool.not_scanned or []
    note = f"{len(not_scanned)} not scanned" if not_scanned else ""
    return (
        f"| {tool.tool} {md_inline(tool.version or '', 20)} | {ICON.get(tool.status, '')} "
        f"{tool.status} | {tool.findings or 0} | {tool.blocking or 0} | "
        f"{tool.scanned or 0} scanned{'; ' + note if note else ''} |"
    )


def markdown_section(result: GateResult) -> str:
    """Per-tool table, blocking findings, and what could not be scanned."""
    details = SecurityDetails.of(result)
    blocks = []
    if details.tools:
        head = ["tool", "status", "findings", f"at or above {details.threshold}", "coverage"]
        rows = [_tool_row(tool) for tool in details.tools]
        blocks.append(md_table(head, rows, len(rows), "tools"))
    blocking = [f for f in result.findings if f.properties.get("blocking")]
    if blocking:
        rows = [
            f"| {f.properties.get('severity')} | {f.properties.get('tool')} | "
            f"`{md_inline(f.rule_id, 80)}` | {md_inline(location_text(f), 200)} | "
            f"{md_inline(f.message, 300)} |"
            for f in blocking[:MAX_ROWS]
        ]
        table = md_table(
            ["severity", "tool", "rule", "location", "message"],
            rows,
            len(blocking),
            "blocking findings (see the results file)",
        )
        blocks.append(f"**Blocking findings ({len(blocking)})**\n\n{table}")
    not_scanned = details.not_scanned
    if not_scanned:
        items = "\n".join(f"- {md_inline(p, 300)}" for p in not_scanned[:MAX_ROWS])
        blocks.append(f"**Not scanned ({len(not_scanned)}): the scan is incomplete**\n\n{items}")
    return "\n\n".join(blocks)
