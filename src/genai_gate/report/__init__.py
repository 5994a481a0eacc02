"""Renderers: console, markdown, json, sarif, junit and github (outputs, annotations, summary).

`publish` is what the CLI calls after a gate returns; `render` turns a result into one format.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from genai_gate.context import Context
    from genai_gate.results import GateResult


def render(result: GateResult, fmt: str) -> str:
    """The result rendered as text in `fmt` (console rendering is plain text here)."""
    if fmt == "json":
        return result.model_dump_json(indent=2, exclude_none=True) + "\n"
    lines = [f"{result.gate}: {result.status.value}  {result.title}"]
    lines += [f"  {f.severity.value}: {f.rule_id}: {f.message}" for f in result.findings]
    if result.error:
        lines.append(f"  error: {result.error}")
    return "\n".join(lines) + "\n"


def publish(result: GateResult, ctx: Context, results_file: Path) -> None:
    """Print the formats asked for and write the `--output` files."""
    for fmt in ctx.formats:
        sys.stdout.write(render(result, fmt))
    for fmt, path in ctx.outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(result, fmt), encoding="utf-8")


def print_pipeline_summary(results: list[GateResult], planned: list[str]) -> None:
    """One line per gate of `genai-gate run`, and the gates that did not run."""
    ran = {r.gate for r in results}
    for result in results:
        print(f"{result.gate:<16} {result.status.value:<6} {result.title}")
    for gate in planned:
        if gate not in ran:
            print(f"{gate:<16} {'-':<6} not run (an earlier gate could not run)")
