"""Renderers: console, markdown, json, sarif, junit and github (outputs, annotations, summary).

One module per format, each with `render(result) -> str` (model: pip-audit's `_format/`).
`publish` is what the CLI calls after a gate returns: it prints the `--format`s asked for and
writes the `--output FORMAT=PATH` files. Per-gate Markdown sections are registered in
`genai_gate.report.sections`, per-gate shard merges in `genai_gate.report.merge`.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genai_gate import idle
from genai_gate.report.workflow import stop_commands

if TYPE_CHECKING:
    from genai_gate.context import Context
    from genai_gate.results import GateResult

RENDERERS: dict[str, str] = {
    "console": "console",
    "markdown": "markdown",
    "json": "json",
    "junit": "junit",
    "github": "github",
}
"""Module of `genai_gate.report` whose `render(result)` renders each format (SARIF aside):
imported when that format is asked for, so a JSON run never loads rich."""

RAW_IN_ACTIONS = frozenset({"json", "sarif"})
"""Formats printed unwrapped in Actions (so `> file` stays valid JSON): JSON escapes newlines,
so no line of it can start a workflow command. Every other format printed to standard output
in Actions (console, markdown, junit) goes inside `::stop-commands::`, since it holds untrusted
text (model output, prompt text)."""


def render(result: GateResult, fmt: str, config_path: Path | None = None) -> str:
    """The result rendered as text in `fmt` (SARIF points location-less findings at the config)."""
    if fmt == "sarif":
        from genai_gate.report import sarif

        return sarif.render(result, _repo_path(config_path))
    try:
        renderer: Callable[[GateResult], str] = _renderer_module(RENDERERS[fmt]).render
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}") from None
    return renderer(result)


def _renderer_path(name: str) -> str:
    return f"genai_gate.report.{name}"


def _renderer_module(name: str) -> Any:
    return importlib.import_module(_renderer_path(name))


def prefetch(formats: Iterable[str]) -> None:
    """Import the renderers of `formats` in a background thread once the gate waits on its
    target (`genai_gate.idle`): the console renderer (rich) takes about 50 ms of CPU to import,
    which would otherwise delay the first request or the end of the run. `publish` later finds
    them imported, waits for the import to end, or (a gate that sent no request) imports them."""
    names = [RENDERERS[fmt] for fmt in dict.fromkeys(formats) if fmt in RENDERERS]
    if names:
        idle.prefetch(_renderer_path(name) for name in names)


def _repo_path(path: Path | None) -> str:
    from genai_gate.report import sarif

    if path is None:
        return sarif.DEFAULT_PATH
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.name
    return path.as_posix()


def in_actions(environ: Any = None) -> bool:
    """True inside a GitHub Actions job."""
    return (os.environ if environ is None else environ).get("GITHUB_ACTIONS") == "true"


def secret_values(ctx: Context) -> list[str]:
    """Values of the environment variables the loaded config names in `*_env` fields."""
    loaded = ctx.loaded_config
    if loaded is None:
        return []
    names: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if str(key).endswith("_env") and isinstance(value, str):
                    names.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(loaded.model.model_dump())
    return [os.environ[name] for name in names if os.environ.get(name)]


def publish(
    result: GateResult, ctx: Context, results_file: Path, annotate_findings: bool = True
) -> None:
    """Print the formats asked for and write the `--output` files (`annotate_findings=False`:
    the `github` format leaves out per-finding annotations, which shard steps printed)."""
    from genai_gate.integrations.files import write_atomic

    secrets = secret_values(ctx)
    actions = in_actions()
    for fmt in ctx.formats:
        if fmt == "github":
            _renderer_module("github").publish(
                result, results_file, secrets, annotate_findings=annotate_findings
            )
        elif fmt == "console" and not actions:
            _renderer_module("console").print_result(result)
        else:
            text = render(result, fmt, ctx.config_path)
            wrap = actions and fmt not in RAW_IN_ACTIONS
            sys.stdout.write(stop_commands(text) if wrap else text)
            sys.stdout.flush()
    for fmt, path in ctx.outputs.items():
        write_atomic(path, render(result, fmt, ctx.config_path))


def print_pipeline_summary(
    results: list[GateResult], planned: Iterable[str], file: Any = None
) -> None:
    """One row per gate of `genai-gate run`, including the gates that did not run."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from genai_gate.report import console
    from genai_gate.results import Status

    table = Table(title="genai-gate run", title_justify="left")
    for column in ("gate", "status", "result", "time"):
        table.add_column(column, overflow="fold")
    ran = {r.gate for r in results}
    for r in results:
        status = Text(
            r.status.value + (" (incomplete)" if r.incomplete else ""),
            style=console.STYLES.get(r.status, ""),
        )
        seconds = f"{r.timings.duration_s:.1f} s" if r.timings else "-"
        outcome = r.title or ""
        if r.error:  # why it could not run matters more than the counts
            outcome = f"{r.error}\n{outcome}".strip()
        table.add_row(Text(r.gate), status, Text(outcome), seconds)
    for gate in planned:
        if gate not in ran:
            table.add_row(
                Text(gate), Text("not run", style="dim"), Text("an earlier gate could not run"), "-"
            )
    worst = next(
        (s for s in (Status.ERROR, Status.FAIL) if any(r.status is s for r in results)), Status.PASS
    )
    Console(file=file or sys.stdout, highlight=False).print(table)
    Console(file=file or sys.stdout, highlight=False).print(
        Text(f"overall: {worst.value}", style=console.STYLES[worst])
    )
