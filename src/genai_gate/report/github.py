"""`github` renderer: action outputs, step summary, annotations, masks and the run log.

`publish` does, inside a GitHub Actions step:

1. `::add-mask::` for every secret value passed in (before anything else is printed);
2. appends `status`, `results-file` and every `result.summary` key (`_` -> `-`) to
   `$GITHUB_OUTPUT` with random heredoc delimiters;
3. appends the Markdown report to `$GITHUB_STEP_SUMMARY`, within the 1 MiB per-step limit
   (counting what earlier commands of the step already wrote there);
4. prints annotations: at most 10 per level (`error`, `warning`, `notice`) per step and 50 per
   job, counted across the job's steps (`annotation_budget`); when some do not fit, the last one
   shown notes how many were omitted and the step summary says how many were not shown;
5. prints the console report, which holds untrusted text, inside `::stop-commands::`.
"""

# No `from __future__ import annotations`: this module's `annotations()` would shadow it.
import json
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from genai_gate.report import console, markdown
from genai_gate.report.annotation_budget import PER_JOB, PER_LEVEL_PER_STEP, AnnotationBudget
from genai_gate.report.document import utf8_size
from genai_gate.report.workflow import (
    add_mask,
    append_file,
    command,
    format_outputs,
    output_key,
    stop_commands,
)
from genai_gate.results import GateResult, Status

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


def _candidates(
    result: GateResult, findings: bool = True
) -> list[tuple[str, str, dict[str, object]]]:
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
    for f in result.findings if findings else []:
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


@dataclass(frozen=True)
class AnnotationPlan:
    """The annotation commands to print, and how many did not fit, by level."""

    lines: list[str]
    omitted: dict[str, int] = field(default_factory=dict)

    @property
    def omitted_total(self) -> int:
        """Annotations not shown, all levels together."""
        return sum(self.omitted.values())


def plan_annotations(
    result: GateResult, budget: AnnotationBudget | None = None, findings: bool = True
) -> AnnotationPlan:
    """The annotations `budget` allows (default: a fresh step), the last one noting omissions.

    `findings=False` leaves out the per-finding annotations (a shard merge: the shard steps
    printed them already) and keeps the gate's own failed / could-not-run annotation.
    """
    by_level: dict[str, list[str]] = {"error": [], "warning": [], "notice": []}
    for level, message, props in _candidates(result, findings):
        by_level[level].append(command(level, message, **props))
    granted = (budget or AnnotationBudget({})).grant({k: len(v) for k, v in by_level.items()})
    lines: list[str] = []
    omitted: dict[str, int] = {}
    for level, items in by_level.items():
        room = granted[level]
        if len(items) <= room:
            lines += items
            continue
        shown = max(room - 1, 0)
        omitted[level] = len(items) - shown
        lines += items[:shown]
        if room:
            note = (
                f"{omitted[level]} more {level} annotations omitted (GitHub shows "
                f"{PER_LEVEL_PER_STEP} per level per step, {PER_JOB} per job); see the step "
                "summary or the results file"
            )
            lines.append(command(level, note, title=f"{result.gate}: annotations truncated"))
    return AnnotationPlan(lines, omitted)


def annotations(result: GateResult, budget: AnnotationBudget | None = None) -> list[str]:
    """Annotation commands of `result` within `budget` (default: a fresh step)."""
    return plan_annotations(result, budget).lines


def omitted_note(plan: AnnotationPlan, findings: bool = True) -> str:
    """Step-summary line saying how many annotations were not shown ("" when all were)."""
    parts = [f"{n} {level}{'s' if n != 1 else ''}" for level, n in plan.omitted.items() if n]
    text = ""
    if parts:
        text = (
            f"\n> **Annotations:** {plan.omitted_total} not shown ({', '.join(parts)}): GitHub "
            f"shows {PER_LEVEL_PER_STEP} per level per step and {PER_JOB} per job. Every "
            "finding is listed in this summary and in the results file.\n"
        )
    if not findings:
        text += (
            "\n> **Annotations:** the findings were annotated by the shard steps; the merge "
            "does not repeat them.\n"
        )
    return text


def step_summary(result: GateResult, path: Path, note: str = "") -> str:
    """Markdown to append to the step summary at `path`, within what is left of 1 MiB; `note`
    (the annotations not shown) goes after the report."""
    used = path.stat().st_size if path.exists() else 0
    room = markdown.STEP_SUMMARY_LIMIT - markdown.SAFETY_MARGIN - used - utf8_size(note)
    if room < 8192:
        text = f"\n{result.gate}: {result.status.value} (report omitted: step summary is full)\n"
        return text if utf8_size(text) <= markdown.STEP_SUMMARY_LIMIT - used else ""
    return ("\n" if used else "") + markdown.render(result, limit=room) + note


def render(
    result: GateResult, secrets: Iterable[str] = (), plan: AnnotationPlan | None = None
) -> str:
    """What the `github` format prints: masks, annotations, then the report in stop-commands."""
    lines = add_mask(secrets) + (plan or plan_annotations(result)).lines
    head = "\n".join(lines) + "\n" if lines else ""
    return head + stop_commands(console.render(result))


def publish(
    result: GateResult,
    results_file: Path | None,
    secrets: Iterable[str] = (),
    environ: Mapping[str, str] | None = None,
    out: TextIO | None = None,
    annotate_findings: bool = True,
) -> None:
    """Write outputs and step summary when the runner provides their files, and print.

    Annotations count against this step's and this job's limits; `annotate_findings=False`
    (a shard merge) prints only the gate's own annotation."""
    env = os.environ if environ is None else environ
    stream = out or sys.stdout
    secret_list = [s for s in secrets if s]
    masks = add_mask(secret_list)
    if masks:  # masks first, before anything could echo a secret
        stream.write("\n".join(masks) + "\n")
        stream.flush()
    if env.get("GITHUB_OUTPUT"):
        append_file(env["GITHUB_OUTPUT"], format_outputs(outputs(result, results_file)))
    plan = plan_annotations(result, AnnotationBudget(env), findings=annotate_findings)
    if env.get("GITHUB_STEP_SUMMARY"):
        path = Path(env["GITHUB_STEP_SUMMARY"])
        append_file(path, step_summary(result, path, omitted_note(plan, annotate_findings)))
    stream.write(render(result, plan=plan))
    stream.flush()
