"""The prompt-lint Markdown section: suppressed findings with their reasons (reviewers should see
what was waived and why) and the prompts whose token counts are approximate."""

from __future__ import annotations

from genai_gate.gates.prompt_lint.summary import PromptLintDetails
from genai_gate.report.text import md_inline, md_table
from genai_gate.results import Finding, GateResult

MAX_ROWS = 30
"""Suppressed findings listed before the rest is summarised."""


def markdown_section(result: GateResult) -> str:
    """Suppressions and approximate token counts ("" when there are neither)."""
    details = PromptLintDetails.of(result)
    blocks = []
    suppressed = details.suppressed
    if suppressed:
        rows = [
            f"| `{md_inline(s.rule_id, 10)}` | {_where(s)} | "
            f"{md_inline(s.properties.get('reason', ''), 300)} |"
            for s in suppressed[:MAX_ROWS]
        ]
        table = md_table(
            ["rule", "location", "reason"], rows, len(suppressed), "suppressed findings"
        )
        blocks.append(f"**Suppressed in prompt files ({len(suppressed)})**\n\n{table}")
    approximate = [p for p in details.prompts if p.approximate]
    if approximate:
        names = ", ".join(f"`{md_inline(p.prompt_id, 60)}` (~{p.tokens})" for p in approximate[:20])
        more = f" and {len(approximate) - 20} more" if len(approximate) > 20 else ""
        blocks.append(
            f"~ approximate token counts (`approx-chars-4`, not the model's tokenizer): "
            f"{names}{more}"
        )
    return "\n\n".join(blocks)


def _where(finding: Finding) -> str:
    """`path:line` of a suppressed finding (suppressions are made in files: it has a path)."""
    location = finding.location
    if location is None:
        return ""
    return f"{md_inline(location.path, 120)}:{location.line or ''}"
