"""Post-deploy monitoring as code.

genai-gate monitor rules [--output-file PATH] [--check] [--test FILE ...]
    Generate Prometheus alerting rules from genai-gate.yaml (`monitor.rules`) for the runtime
    guard's series: error rate, p95 latency, quality score below its threshold, spend per
    15 minutes, PII incidents. Writes PATH (default: standard output). --check validates the
    file with `promtool check rules`, --test runs `promtool test rules` on unit-test files.
    Exit 0 when written (and valid), 1 when promtool rejects the rules or a test fails,
    2 for a config error, 3 when promtool is missing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from genai_gate.context import Context
from genai_gate.errors import InfraError, UsageError

PROMTOOL_TIMEOUT_S = 60
"""Time limit of one promtool run."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Subcommand `rules`."""
    from genai_gate.cli import EPILOG

    sub = parser.add_subparsers(dest="action", metavar="<action>", required=True)
    rules = sub.add_parser(
        "rules",
        help="generate Prometheus alerting rules from genai-gate.yaml",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rules.add_argument(
        "--output-file",
        type=Path,
        metavar="PATH",
        help="where to write the rules (default: stdout)",
    )
    rules.add_argument(
        "--check", action="store_true", help="validate the rules with `promtool check rules`"
    )
    rules.add_argument(
        "--test",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="promtool unit-test file to run against the rules (repeatable; implies --output-file"
        " or a temporary file named in the test's rule_files)",
    )


def promtool(*arguments: str) -> subprocess.CompletedProcess[str]:
    """Run promtool (InfraError when it is not installed or hangs)."""
    binary = shutil.which("promtool")
    if binary is None:
        raise InfraError(
            "promtool not found on PATH (Debian/Ubuntu: apt-get install prometheus; or a "
            "Prometheus release archive)"
        )
    try:
        return subprocess.run(
            [binary, *arguments], capture_output=True, text=True, timeout=PROMTOOL_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        raise InfraError(
            f"promtool {arguments[0]} did not finish in {PROMTOOL_TIMEOUT_S} s"
        ) from None


def run_rules(args: argparse.Namespace, ctx: Context) -> int:
    """Generate, write, and optionally check and unit-test the rules."""
    from genai_gate.gates.monitor.rules import build_rules, render

    text = render(build_rules(ctx.config.model))
    if args.test and args.output_file is None:
        raise UsageError(
            "monitor rules: --test needs --output-file (the test files name it in rule_files)"
        )
    for test in args.test:
        if not test.is_file():
            raise UsageError(f"monitor rules: test file not found: {test}")
    with tempfile.TemporaryDirectory() as tmp:
        target = args.output_file or Path(tmp) / "rules.yml"
        if args.output_file is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".tmp")
            partial.write_text(text, encoding="utf-8")
            partial.replace(target)
        else:
            target.write_text(text, encoding="utf-8")
            sys.stdout.write(text)
        failed = False
        if args.check:
            checked = promtool("check", "rules", str(target))
            print((checked.stdout + checked.stderr).strip(), file=sys.stderr)
            failed |= checked.returncode != 0
        for test in args.test:
            tested = promtool("test", "rules", str(test))
            print((tested.stdout + tested.stderr).strip(), file=sys.stderr)
            failed |= tested.returncode != 0
    if args.output_file is not None:
        print(f"alerting rules written to {args.output_file}", file=sys.stderr)
    return 1 if failed else 0


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Dispatch to the subcommand."""
    return run_rules(args, ctx)
