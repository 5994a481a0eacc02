"""`genai-gate` command line: argument parsing and dispatch only.

Exit codes (the same for every command): 0 passed, 1 failed, 2 usage or configuration error,
3 infrastructure error. An error never yields 0.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, cast

from genai_gate import __version__, gcpolicy, idle
from genai_gate.commands import COMMANDS, CommandSpec
from genai_gate.errors import ExitCode, GateError, UsageError

if TYPE_CHECKING:
    from importlib.abc import Loader

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
        "--verbose",
        "-v",
        action="store_true",
        default=argparse.SUPPRESS,
        help="log requests, retries and timings on standard error (secrets masked)",
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


def command_paths() -> list[tuple[str, ...]]:
    """Every command and subcommand as the words that name it (`("audit-log", "verify")`), for
    checks that go through each `--help`; imports every command module."""
    paths: list[tuple[str, ...]] = [()]
    for name in COMMANDS:
        parser, _ = build_parser(name)
        paths += [(name,), *((name, sub) for sub in _subcommands(_subcommands(parser)[name]))]
    return paths


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices) if actions else {}


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
        verbose=getattr(args, "verbose", False),
    )


def _timings(started: datetime, elapsed: float) -> Timings:
    from genai_gate.results import Timings

    return Timings(started_at=started.isoformat(timespec="seconds"), duration_s=round(elapsed, 3))


@dataclass(frozen=True)
class RepoFacts:
    """What the results file needs of git: HEAD and the repository root of the config's folder."""

    git_sha: Callable[[], str | None]
    root: Callable[[], Path | None]

    @classmethod
    def of(cls, ctx: Context) -> RepoFacts:
        """Looked up when asked."""
        from genai_gate.locations import repository_root
        from genai_gate.results import current_git_sha

        folder = ctx.config_path.parent
        return cls(lambda: current_git_sha(folder), lambda: repository_root(folder.resolve()))

    @classmethod
    def prefetch(cls, ctx: Context) -> RepoFacts:
        """Looked up in the background while the gate waits on its target (`genai_gate.idle`):
        no git process runs between the last answer and the results file."""
        git_sha = idle.answer(lambda: cls.of(ctx).git_sha())  # imports git's helpers there too
        root = idle.answer(lambda: cls.of(ctx).root())
        return cls(git_sha.get, root.get)


def finish_result(
    result: GateResult,
    ctx: Context,
    started: datetime,
    elapsed: float,
    repo: RepoFacts | None = None,
) -> int:
    """Stamp timings, config digest and git facts (`repo`, else looked up now), write the
    results file, publish; return the exit code.

    A results file that cannot be written (read-only folder, full disk) is an infrastructure
    error (exit 3), but the report is printed first so that the run is not lost.
    """
    from genai_gate import guard, report
    from genai_gate.locations import relocate_findings

    repo = repo or RepoFacts.of(ctx)
    if result.timings is None:
        result.timings = _timings(started, elapsed)
    loaded = ctx.loaded_config
    if result.config_digest is None and loaded is not None:
        result.config_digest = loaded.digest
    if result.git_sha is None:
        result.git_sha = repo.git_sha()
    relocate_findings(result, [ctx.config_path.parent.resolve(), Path.cwd()], repo.root)
    results_file = guard.results_path(ctx, result.gate)
    failed: list[tuple[Path, OSError]] = []
    try:
        result.write(results_file)
    except OSError as exc:
        failed.append((results_file, exc))
    guard.finished(result.gate)
    try:
        report.publish(result, ctx, results_file)
    except OSError as exc:  # an --output file (standard output was printed first)
        failed.append((_written_path(exc), exc))
    for path, error in failed:
        stale = " (it still holds an earlier run's result)" if path.exists() else ""
        print(
            f"genai-gate: error: cannot write {path}: {error.strerror or error}{stale}; "
            "check --results-dir and --output; exiting 3",
            file=sys.stderr,
        )
    if failed:
        return int(ExitCode.INFRA)
    return int(result.exit_code)


def _written_path(error: OSError) -> Path:
    """The file a failed write was for (write_atomic's temp files are `.NAME.RANDOM.tmp`)."""
    path = Path(error.filename or "?")
    if path.name.startswith(".") and path.name.endswith(".tmp"):
        return path.with_name(path.name[1:].rsplit(".", 2)[0])
    return path


def _results_dir_of(argv: list[str]) -> Path:
    """The results folder named by `argv` even when the rest of it does not parse."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--config", default=argparse.SUPPRESS)
    parser.add_argument("--results-dir", default=argparse.SUPPRESS)
    known, _ = parser.parse_known_args(argv)
    return make_context(known).results_dir


def command_input(module: ModuleType, args: argparse.Namespace) -> object:
    """What the command's `run` takes: its typed `Options` (a gate converted to the typed
    contract, `genai_gate.options`), else the parsed namespace."""
    options = getattr(module, "Options", None)
    return args if options is None else options.from_args(args)


def _run_gate(command: str, module: ModuleType, args: argparse.Namespace, ctx: Context) -> int:
    from genai_gate import guard, report

    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    guard.mark_started(command, ctx)
    report.prefetch(ctx.formats)  # imported while the gate waits on its target
    repo = RepoFacts.prefetch(ctx)
    options = command_input(module, args)
    result = guard.run_gate(command, lambda: module.run(options, ctx), ctx.verbose)
    return finish_result(result, ctx, started, time.perf_counter() - clock, repo)


def _record_usage_error(command: str, argv: list[str], exc: GateError) -> None:
    """A gate whose command line is wrong still replaces its old results file."""
    from genai_gate import guard

    with contextlib.suppress(OSError, GateError):  # the usage error is reported anyway
        guard.error_result(command, exc).write(_results_dir_of(argv) / f"{command}.json")


def _abandon(why: str) -> None:
    from genai_gate import guard

    guard.abandon(why)


PLUGINS_OFF = ("__all__", "1", "true")
"""Values of `PYDANTIC_DISABLE_PLUGINS` for which pydantic loads no plugin at all."""


def skip_pydantic_plugins() -> None:
    """No pydantic plugin lookup in the console script's process: genai-gate uses no plugin, and
    the lookup reads the metadata of every installed distribution (40-90 ms). The switch is
    pydantic's documented `PYDANTIC_DISABLE_PLUGINS`; a value already set is kept (set it empty
    to have plugins loaded, e.g. for a `python` target that relies on one).

    With every plugin off, pydantic's plugin loader only answers "no plugins", yet importing it
    imports `importlib.metadata` (30-70 ms, a fifth of the start-up before the first request);
    the loader is then given as a module answering the same without that import."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] in PLUGINS_OFF and _NO_PLUGINS not in sys.meta_path:
        sys.meta_path.insert(0, _NO_PLUGINS)


class _NoPluginLoader:
    """Import hook giving `pydantic.plugin._loader`, when pydantic imports it, as a module whose
    `get_plugins()` returns no plugin (what pydantic's own returns while they are disabled)."""

    name = "pydantic.plugin._loader"

    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        return ModuleSpec(name, cast("Loader", self)) if name == self.name else None

    def create_module(self, spec: ModuleSpec) -> None:
        return None  # the default module object

    def exec_module(self, module: ModuleType) -> None:
        module.get_plugins = _no_plugins  # type: ignore[attr-defined]


def _no_plugins() -> tuple[()]:
    return ()


_NO_PLUGINS = _NoPluginLoader()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `genai-gate` console script; returns the exit code."""
    from genai_gate import interrupts

    gcpolicy.tune_process()
    if argv is None:  # the console script: the process is ours
        skip_pydantic_plugins()
    argv_given = argv
    argv = list(sys.argv[1:] if argv is None else argv)
    command = _command_name(argv)
    spec: CommandSpec | None = COMMANDS.get(command) if command else None
    # SIGINT / SIGTERM end every command with exit 3 (the mock LLM server handles its own)
    serves = command == "mock-llm"
    restore_signals = interrupts.install(_abandon) if spec and not serves else None
    parsed = False
    try:
        parser, module = build_parser(command)
        args = parser.parse_args(argv)
        parsed = True
        if module is None:
            parser.print_help()
            return int(ExitCode.USAGE)
        ctx = make_context(args)
        if ctx.verbose:
            from genai_gate import logs

            logs.configure(verbose=True)
        # an action of a gate command that is not a gate run (eval-gate import-promptfoo) sets
        # its own `func(args, ctx)` as the parser's default: it writes no results file
        action = getattr(args, "func", None)
        if spec is not None and spec.gate and command is not None and action is None:
            return _run_gate(command, module, args, ctx)
        started = datetime.now(timezone.utc)
        clock = time.perf_counter()
        outcome = (
            action(args, ctx)
            if action is not None
            else module.run(command_input(module, args), ctx)
        )
        if isinstance(outcome, int):
            return outcome
        return finish_result(outcome, ctx, started, time.perf_counter() - clock)
    except GateError as exc:
        print(f"genai-gate: error: {exc}", file=sys.stderr)
        if spec is not None and spec.gate and command is not None and not parsed:
            _record_usage_error(command, argv, exc)
        return int(exc.exit_code)
    except Exception:  # a bug must not look like a failed (exit 1) or passed gate
        traceback.print_exc()
        print("genai-gate: internal error (please report it); exiting 3", file=sys.stderr)
        return int(ExitCode.INFRA)
    except (KeyboardInterrupt, interrupts.Interrupted) as exc:
        name = getattr(exc, "signal_name", "SIGINT")
        print(f"genai-gate: interrupted by {name}; exiting 3", file=sys.stderr)
        return int(ExitCode.INFRA)
    finally:
        loop = sys.modules.get("genai_gate.eventloop")  # only commands that ran requests
        if loop is not None:
            loop.close()
        if restore_signals is not None:
            restore_signals()
        if argv_given is None:  # the console script: the process ends here
            gcpolicy.before_exit()


if __name__ == "__main__":
    sys.exit(main())
