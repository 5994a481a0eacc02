"""Scan the code and the locked dependencies with real security tools.

bandit (Python SAST), semgrep (the rule set shipped with genai-gate for Python LLM apps: model
output reaching eval/exec, shells or SQL; shell=True; pickle and yaml.load; verify=False;
hard-coded secrets; SQL built from strings; offline) and pip-audit (known vulnerabilities of
the pinned requirements, from OSV; rated by the advisory's own severity, and counted as critical
when it states none). Findings at or above --fail-on-severity fail the gate
(exit 1); a tool that is missing, times out or crashes ends it in exit 3, never a pass; an
unreadable or unpinned requirements file is exit 2. --sarif-dir writes one SARIF file per tool
that ran (`DIR/<tool>.sarif`, category `genai-gate/<tool>`) for code scanning; a tool that
could not run writes none, so its open alerts are not closed by an empty upload.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from genai_gate.gates.security.options import LEVELS, Options
from genai_gate.gates.security.tools import TOOLS

if TYPE_CHECKING:  # the run's modules are imported when it runs: `--help` stays fast
    from genai_gate.context import Context
    from genai_gate.results import GateResult


def _tools(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in TOOLS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown tool {', '.join(unknown) or '(none given)'}: choose from {', '.join(TOOLS)}"
        )
    return list(dict.fromkeys(names))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `genai-gate security-scan`."""
    parser.add_argument(
        "--tools",
        type=_tools,
        default=list(TOOLS),
        metavar="TOOL[,TOOL...]",
        help=f"tools to run, comma-separated (default: {','.join(TOOLS)})",
    )
    parser.add_argument(
        "--fail-on-severity",
        choices=LEVELS,
        default="high",
        metavar="{low,medium,high,critical}",
        help="findings of this severity or worse fail the gate (default: high)",
    )
    parser.add_argument(
        "--requirements",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="pinned requirements file for pip-audit; repeatable (default: "
        "requirements.lock or requirements.txt in --path)",
    )
    parser.add_argument(
        "--path",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="source folder for bandit and semgrep (default: .)",
    )
    parser.add_argument(
        "--sarif-dir",
        type=Path,
        metavar="DIR",
        help="write DIR/<tool>.sarif for every tool that ran (category genai-gate/<tool>)",
    )
    parser.add_argument(
        "--osv-url",
        metavar="URL",
        default=os.environ.get("PIP_AUDIT_OSV_URL"),
        help="OSV query endpoint for pip-audit (default: $PIP_AUDIT_OSV_URL, else the public "
        "OSV API)",
    )


def run(options: Options, ctx: Context) -> GateResult:
    """Run the tools, judge their findings, write the SARIF files."""
    from genai_gate.gates.security.scan import run as run_scan

    return run_scan(options, ctx)
