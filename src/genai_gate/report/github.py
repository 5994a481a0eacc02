"""`github` renderer: action outputs, step summary, annotations, masks and the run log.

`publish` does, inside a GitHub Actions step:

1. `::add-mask::` for every secret value passed in (before anything else is printed);
2. appends `status`, `results-file` and every `result.summary` key (`_` -> `-`) to
   `$GITHUB_OUTPUT` with random heredoc delimiters;
3. appends the Markdown report to `$GITHUB_STEP_SUMMARY`, within the 1 MiB per-step limit
   (counting what earlier commands of the step already wrote there);
4. prints annotations: at most 10 per level (`error`, `warning`, `notice`), the 10th replaced by
   a note saying how many were omitted;
5. prints the console report, which holds untrusted text, inside `::stop-commands::`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from genai_gate.report import console, markdown
from genai_gate.report.document import utf8_size
from genai_gate.report.workflow import (
    add_mask,
    append_file,
    command,
    format_outputs,
    output_key,
    stop_commands,
)
from genai_gate.results import Status

if TYPE_CHECKING:
    from genai_gate.results import GateResult

MAX_PER_LEVEL = 10
"""GitHub shows at most 10 annotations of each level per step."""
LEVEL = {"error": "error", "warning": "warning", "note": "notice"}


def output_value(value: object) -> str:
    """A summary figure as an output string (JSON for lists and mappings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, separators=(",", ":"), sort_keys=True)
    return str(value)


def outputs(result: GateResult, results_file: Path | None) -> dict[str, str]:
    """The action outputs of a result: `status`, `results-file` and the summary figures."""
    values = {"status": result.status.value, "results-file": str(results_file or "")}
    for key, value in result.summary.items():
        values.setdefault(output_key(key), output_value(value))
    return values


def _candidates(result: GateResult) -> list[tuple[str, str, dict[str, object]]]:
    items: list[tuple[str, str, dict[str, object]]] = []
    if result.status is Status.ERROR:
        items.append(
            ("error", result.error or result.title, {"title": f"{result.gate} could not run"})
        )
    elif result.status is Status.FAIL:
        items.append(("error", result.title or "gate failed", {"title": f"{result.gate} failed"}))
    elif result.incomplete:
        items.append(
            (
                "warning",
                "partial results: the run did not cover everything",
                {"title": f"{result.gate} incomplete"},
            )
        )
    for f in result.findings:
        props: dict[str, object] = {"title": f"{result.gate}: {f.rule_name or f.rule_id}"}
        if f.location is not None:
            props = {
                "file": f.location.path,
                "line": f.location.line,
                "col": f.location.column,
                "endLine": f.location.end_line,
                **props,
            }
        items.append((LEVEL[f.severity.value], f"{f.rule_id}: {f.message}", props))
    return items


def annotations(result: GateResult, per_level: int = MAX_PER_LEVEL) -> list[str]:
    """Annotation commands, at most `per_level` per level, the last one noting omissions."""
    by_level: dict[str, list[str]] = {"error": [], "warning": [], "notice": []}
    for level, message, props in _candidates(result):
        by_level[level].append(command(level, message, **props))
    lines: list[str] = []
    for level, items in by_level.items():
        if len(items) <= per_level:
            lines += items
            continue
        omitted = len(items) - (per_level - 1)
        lines += items[: per_level - 1]
        note = (
            f"{omitted} more {level} annotations omitted (GitHub shows {per_level} per "
            "level per step); see the step summary or the results file"
        )
        lines.append(command(level, note, title=f"{result.gate}: annotations truncated"))
    return lines


def step_summary(result: GateResult, path: Path) -> str:
    """Markdown to append to the step summary at `path`, within what is left of 1 MiB."""
    used = path.stat().st_size if path.exists() else 0
    room = markdown.STEP_SUMMARY_LIMIT - markdown.SAFETY_MARGIN - used
    if room < 8192:
        text = f"\n{result.gate}: {result.status.value} (report omitted: step summary is full)\n"
        return text if utf8_size(text) <= markdown.STEP_SUMMARY_LIMIT - used else ""
    return ("\n" if used else "") + markdown.render(result, limit=room)


def render(result: GateResult, secrets: Iterable[str] = ()) -> str:
    """What the `github` format prints: masks, annotations, then the report in stop-commands."""
    lines = add_mask(secrets) + annotations(result)
    head = "\n".join(lines) + "\n" if lines else ""
    return head + stop_commands(console.render(result))


def publish(
    result: GateResult,
    results_file: Path | None,
    secrets: Iterable[str] = (),
    environ: Mapping[str, str] | None = None,
    out: TextIO | None = None,
) -> None:
    """Write outputs and step summary when the runner provides their files, and print."""
    env = os.environ if environ is None else environ
    stream = out or sys.stdout
    secret_list = [s for s in secrets if s]
    masks = add_mask(secret_list)
    if masks:  # masks first, before anything could echo a secret
        stream.write("\n".join(masks) + "\n")
        stream.flush()
    if env.get("GITHUB_OUTPUT"):
        append_file(env["GITHUB_OUTPUT"], format_outputs(outputs(result, results_file)))
    if env.get("GITHUB_STEP_SUMMARY"):
        path = Path(env["GITHUB_STEP_SUMMARY"])
        append_file(path, step_summary(result, path))
    stream.write(render(result))
    stream.flush()
