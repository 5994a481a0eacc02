"""`genai-gate` command line: argument parsing and dispatch only.

Exit codes (the same for every command): 0 passed, 1 failed, 2 usage or configuration error,
3 infrastructure error. An error never yields 0.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from genai_gate import __version__, gcpolicy
from genai_gate.commands import COMMANDS, CommandSpec
from genai_gate.errors import ExitCode, GateError, UsageError

if TYPE_CHECKING:
    from genai_gate.context import Context
    from genai_gate.results import GateResult, Timings

FORMATS = ("console", "github", "json", "markdown", "sarif", "junit")

EPILOG = """\
exit codes:
  0  gate passed
  1  gate failed: findings or scores outside policy
  2  usage or configuration error (the message names file:line and the field)
  3  infrastructure error: target unreachable, retries exhausted, tool missing

Run `genai-gate <command> --help` for the options of one command."""


def _output_option(value: str) -> tuple[str, Path]:
    fmt, sep, path = value.partition("=")
    if not sep or fmt not in FORMATS or not path:
        raise argparse.ArgumentTypeError(
            f"expected FORMAT=PATH with FORMAT one of {', '.join(FORMATS)}, got {value!r}"
        )
    return fmt, Path(path)


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """Options every command accepts (after the command name as well as before it)."""
    group = parser.add_argument_group("common options")
    group.add_argument(
        "--config",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="genai-gate.yaml to use (default: ./genai-gate.yaml, or $GENAI_GATE_CONFIG)",
    )
    group.add_argument(
        "--format",
        dest="formats",
        action="append",
        choices=FORMATS,
        default=argparse.SUPPRESS,
        help="how to print the result on standard output; repeatable (default: console)",
    )
    group.add_argument(
        "--output",
        dest="outputs",
        action="append",
        type=_output_option,
        metavar="FORMAT=PATH",
        default=argparse.SUPPRESS,
        help="also write the result in FORMAT to PATH; repeatable",
    )
    group.add_argument(
        "--results-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="folder for <command>.json results files (default: .genai-gate/results)",
    )
    group.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        default=argparse.SUPPRESS,
        help="never draw progress bars",
    )


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors exit 2 through UsageError (consistent message format)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser(command: str | None) -> tuple[argparse.ArgumentParser, ModuleType | None]:
    """Top-level parser; only the module of `command` is imported (fast --help / --version)."""
    parser = _Parser(
        prog="genai-gate",
        description="Gated, auditable delivery for GenAI agents.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"genai-gate {__version__}")
    add_common_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="<command>", parser_class=_Parser)
    module = None
    for name, spec in COMMANDS.items():
        if name != command:
            subparsers.add_parser(name, help=spec.help)
            continue
        module = importlib.import_module(spec.module)
        sub = subparsers.add_parser(
            name,
            help=spec.help,
            description=(module.__doc__ or spec.help).strip(),
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(sub)
        add_common_options(sub)
    return parser, module


def _command_name(argv: list[str]) -> str | None:
    """The first argument that names a command (options before it may take values)."""
    takes_value = {"--config", "--format", "--output", "--results-dir"}
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in takes_value:
            skip = True
        elif arg in COMMANDS:
            return arg
        elif not arg.startswith("-"):
            return None
    return None


def make_context(args: argparse.Namespace) -> Context:
    """Context from the common options, with defaults and $GENAI_GATE_CONFIG."""
    from genai_gate.context import Context

    config = getattr(args, "config", None) or os.environ.get("GENAI_GATE_CONFIG")
    config_path = Path(config or "genai-gate.yaml")
    default_results = ".genai-gate/results"
    if config:  # results live beside the config unless told otherwise
        default_results = str(config_path.parent / default_results)
    return Context(
        config_path=config_path,
        results_dir=Path(getattr(args, "results_dir", default_results)),
        formats=getattr(args, "formats", None) or ["console"],
        outputs=dict(getattr(args, "outputs", [])),
        progress=getattr(args, "progress", True),
    )


def error_result(gate: str, exc: GateError) -> GateResult:
    """The incomplete `error` result of a gate that raised a usage or infrastructure error."""
    from genai_gate.results import ErrorKind, GateResult, Status

    kind = ErrorKind.USAGE if exc.exit_code == ExitCode.USAGE else ErrorKind.INFRA
    return GateResult(
        gate=gate,
        status=Status.ERROR,
        error=str(exc),
        error_kind=kind,
        incomplete=True,
        title=f"{gate} could not run",
    )


def _timings(started: datetime, elapsed: float) -> Timings:
    from genai_gate.results import Timings

    return Timings(started_at=started.isoformat(timespec="seconds"), duration_s=round(elapsed, 3))


def finish_result(result: GateResult, ctx: Context, started: datetime, elapsed: float) -> int:
    """Stamp timings and config digest, write the results file, publish; return the exit code."""
    from genai_gate import report
    from genai_gate.locations import relocate_findings
    from genai_gate.results import current_git_sha

    if result.timings is None:
        result.timings = _timings(started, elapsed)
    loaded = ctx.loaded_config
    if result.config_digest is None and loaded is not None:
        result.config_digest = loaded.digest
    if result.git_sha is None:
        result.git_sha = current_git_sha(ctx.config_path.parent)
    relocate_findings(result, [ctx.config_path.parent.resolve(), Path.cwd()])
    results_file = result.write(ctx.results_dir / f"{result.gate}.json")
    report.publish(result, ctx, results_file)
    return int(result.exit_code)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `genai-gate` console script; returns the exit code."""
    gcpolicy.tune_process()
    argv = list(sys.argv[1:] if argv is None else argv)
    command = _command_name(argv)
    spec: CommandSpec | None = COMMANDS.get(command) if command else None
    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    args: argparse.Namespace | None = None
    try:
        parser, module = build_parser(command)
        args = parser.parse_args(argv)
        if module is None:
            parser.print_help()
            return int(ExitCode.USAGE)
        ctx = make_context(args)
        outcome = module.run(args, ctx)
        if isinstance(outcome, int):
            return outcome
        return finish_result(outcome, ctx, started, time.perf_counter() - clock)
    except GateError as exc:
        print(f"genai-gate: error: {exc}", file=sys.stderr)
        if spec is not None and spec.gate and args is not None:
            result = error_result(command, exc)
            result.timings = _timings(started, time.perf_counter() - clock)
            result.write(make_context(args).results_dir / f"{command}.json")
        return int(exc.exit_code)
    except Exception:  # a bug must not look like a failed (exit 1) or passed gate
        traceback.print_exc()
        print("genai-gate: internal error (please report it); exiting 3", file=sys.stderr)
        return int(ExitCode.INFRA)
    except KeyboardInterrupt:
        print("genai-gate: interrupted", file=sys.stderr)
        return int(ExitCode.INFRA)


if __name__ == "__main__":
    sys.exit(main())
