"""The security-scan Markdown section: one row per tool, then the findings that block the gate
with their tool's four-step severity (the generic findings table shows SARIF levels only)."""

from __future__ import annotations

from genai_gate.report.sections import location_text
from genai_gate.report.text import md_inline, md_table
from genai_gate.results import GateResult

MAX_ROWS = 25
"""Blocking findings listed before the rest is counted."""
ICON = {"pass": "✅", "fail": "❌", "error": "⚠️"}


def _tool_row(tool: dict[str, object]) -> str:
    status = str(tool.get("status", ""))
    if status == "error":
        what = md_inline(tool.get("error", ""), 300)
        return f"| {tool['tool']} | {ICON[status]} could not run | - | - | {what} |"
    not_scanned = tool.get("not_scanned") or []
    note = (
        f"{len(not_scanned)} not scanned" if isinstance(not_scanned, list) and not_scanned else ""
    )
    return (
        f"| {tool['tool']} {md_inline(tool.get('version', ''), 20)} | {ICON.get(status, '')} "
        f"{status} | {tool.get('findings', 0)} | {tool.get('blocking', 0)} | "
        f"{tool.get('scanned', 0)} scanned{'; ' + note if note else ''} |"
    )


def markdown_section(result: GateResult) -> str:
    """Per-tool table, blocking findings, and what could not be scanned."""
    tools = result.details.get("tools", [])
    threshold = result.details.get("threshold", "high")
    blocks = []
    if tools:
        head = ["tool", "status", "findings", f"at or above {threshold}", "coverage"]
        rows = [_tool_row(tool) for tool in tools]
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
    not_scanned = result.details.get("not_scanned", [])
    if not_scanned:
        items = "\n".join(f"- {md_inline(p, 300)}" for p in not_scanned[:MAX_ROWS])
        blocks.append(f"**Not scanned ({len(not_scanned)}): the scan is incomplete**\n\n{items}")
    return "\n\n".join(blocks)
