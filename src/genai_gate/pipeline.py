"""`genai-gate run`: every gate configured in genai-gate.yaml, in pipeline order, one summary.

The local twin of the genai-checks.yml workflow: the same gates with their default options, each
writing its own results file, then one table. The exit code is the worst of the gates'.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from genai_gate.commands import COMMANDS, PIPELINE_ORDER
from genai_gate.context import Context
from genai_gate.errors import ExitCode
from genai_gate.gates import gates

if TYPE_CHECKING:  # imported when a gate runs, not for `--help`
    from genai_gate.results import GateResult

SECTION_OF_GATE = {
    g.name: g.config.key for g in gates() if g.name in PIPELINE_ORDER and g.config is not None
}
"""The genai-gate.yaml section whose presence makes `genai-gate run` run a gate."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `genai-gate run`."""
    parser.add_argument(
        "--only",
        action="append",
        choices=PIPELINE_ORDER,
        metavar="GATE",
        help="run only this gate; repeatable (default: every configured gate)",
    )
    parser.add_argument(
        "--details",
        action="store_true",
        help="print each gate's full console report, not only the summary table",
    )
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="run later gates even after one could not run (exit 2 or 3)",
    )


def configured_gates(ctx: Context) -> list[str]:
    """Gates whose section is present in the config, in pipeline order."""
    model = ctx.config.model
    return [gate for gate in PIPELINE_ORDER if getattr(model, SECTION_OF_GATE[gate]) is not None]


def _run_gate(gate: str, ctx: Context) -> GateResult:
    """Run one gate with its default options (`Options()`: no command line is parsed)."""
    from genai_gate import guard

    guard.mark_started(gate, ctx)
    module = importlib.import_module(COMMANDS[gate].module)
    options = module.Options()
    return guard.run_gate(gate, lambda: module.run(options, ctx), ctx.verbose)


def _mark_not_run(gates: list[str], last: str, ctx: Context) -> None:
    """Results files of the planned gates that did not run say so (no earlier `pass` stays)."""
    from genai_gate import guard
    from genai_gate.results import incomplete_error

    for gate in gates:
        reason = f"not run: genai-gate run stopped after {last}"
        with contextlib.suppress(OSError):  # a read-only folder was reported already
            incomplete_error(gate, reason).write(guard.results_path(ctx, gate))


def worst_exit_code(results: list[GateResult]) -> ExitCode:
    """Usage errors first (the config must be fixed), then infra errors, then failures."""
    return worst_of([r.exit_code for r in results])


def worst_of(exit_codes: list[ExitCode]) -> ExitCode:
    """The exit code that matters most among `exit_codes` (see `worst_exit_code`)."""
    codes = set(exit_codes)
    for code in (ExitCode.USAGE, ExitCode.INFRA, ExitCode.FAILED):
        if code in codes:
            return code
    return ExitCode.PASSED


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Run the configured gates and print one summary table."""
    from genai_gate import report
    from genai_gate.cli import finish_result
    from genai_gate.results import Status

    gates = args.only or configured_gates(ctx)
    if not gates:
        raise ctx.config.error(
            "no gate is configured (add a prompt_lint, injection, eval or cost section)", "version"
        )
    formats = [f for f in ctx.formats if f != "console" or args.details]
    gate_ctx = dataclasses.replace(ctx, formats=formats)
    results: list[GateResult] = []
    codes: list[ExitCode] = []  # a results file that could not be written makes a pass exit 3
    for gate in gates:
        started, clock = datetime.now(timezone.utc), time.perf_counter()
        result = _run_gate(gate, gate_ctx)
        code = finish_result(result, gate_ctx, started, time.perf_counter() - clock)
        codes.append(ExitCode(code))
        results.append(result)
        if "signal" in result.details:  # interrupted: stop at once, whatever --keep-going says
            break
        if result.status is Status.ERROR and not args.keep_going:
            break
    _mark_not_run(gates[len(results) :], results[-1].gate if results else "", gate_ctx)
    report.print_pipeline_summary(results, gates)
    print(f"results: {ctx.results_dir}/<gate>.json (add --details for each gate's full report)")
    return int(worst_of(codes))
