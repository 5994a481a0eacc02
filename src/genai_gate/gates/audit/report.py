"""The audit-log's own Markdown section (step summary, console, PR comment)."""

from __future__ import annotations

from typing import Any

from genai_gate.report.text import md_inline
from genai_gate.results import GateResult, Status


def _record(record: dict[str, Any]) -> str:
    changes = record.get("changes") or {}
    prompts = ", ".join(
        f"{c['prompt_id']} {c.get('old_version') or '-'} -> {c.get('new_version') or '-'}"
        for c in changes.get("prompts", [])
    )
    models = ", ".join(
        f"{c['name']} {c.get('old_version') or '-'} -> {c.get('new_version') or '-'}"
        for c in changes.get("models", [])
    )
    approvers = ", ".join(
        f"{a['user']} ({a.get('source', '')})" for a in record.get("approvers", [])
    )
    rows = [
        ("record", f"seq {record['seq']}, hash {record['hash'][:16]}"),
        ("event", f"{record['event']} {record['version']} to {record['environment']}"),
        ("commit", record["git_sha"][:12]),
        ("deployer", record.get("deployer", "")),
        ("approvers", approvers or "none"),
        ("ticket", record.get("approval_ticket") or "none"),
        ("prompts changed", prompts or "none"),
        ("models changed", models or "none"),
        ("tools added", ", ".join(changes.get("tools_added", [])) or "none"),
        ("dependencies changed", str(len(changes.get("dependencies", [])))),
        ("gates", ", ".join(f"{g['gate']}: {g['status']}" for g in record.get("gates", []))),
        ("rollback to", (record.get("rollback_plan") or {}).get("previous_version") or "none"),
    ]
    body = [f"| {name} | {md_inline(value, 400)} |" for name, value in rows]
    return "\n".join(["| field | value |", "|---|---|", *body])


def _items(result: GateResult) -> str:
    rows = [
        f"| {'met' if c.status is Status.PASS else '**missing**'} | `{md_inline(c.id, 80)}` "
        f"| {md_inline(c.reason, 400)} |"
        for c in result.cases
    ]
    return "\n".join(["| status | evidence item | evidence |", "|---|---|---|", *rows])


def markdown_section(result: GateResult) -> str:
    """The record appended, the compliance items, or the DORA table, by subcommand."""
    from genai_gate.gates.audit.summary import AuditDetails

    details = AuditDetails.of(result)
    if details.action == "record" and details.record is not None:
        return _record(details.record)
    if details.action == "check" and result.cases:
        return _items(result)
    if details.action == "dora" and details.markdown is not None:
        return f"{details.markdown}\nChart: `{md_inline(details.chart or '', 200)}` (PNG)"
    return ""
