"""The table of commands: name -> implementing module, imported only when that command runs.

The gates' entries come from their descriptors (`genai_gate.gates.spec`). Keeping this table
free of command imports keeps `genai-gate --version` and `--help` fast. A command
module provides:

- its docstring: the description shown by `genai-gate <command> --help`;
- `add_arguments(parser: argparse.ArgumentParser) -> None`;
- `run(options, ctx: genai_gate.context.Context) -> GateResult | int`, taking its typed `Options`
  (a gate, `genai_gate.options`) or the parsed namespace (the other commands).
"""

from __future__ import annotations

from dataclasses import dataclass

from genai_gate.gates import gates


@dataclass(frozen=True)
class CommandSpec:
    """How to find and describe one command."""

    module: str
    """Dotted module implementing the command."""
    help: str
    """One line for `genai-gate --help`."""
    gate: bool = True
    """A gate writes `<results-dir>/<command>.json`, even when it ends in an error."""


_BEFORE_GATES = {
    "run": CommandSpec(
        "genai_gate.pipeline",
        "run every gate configured in genai-gate.yaml, in pipeline order",
        gate=False,
    ),
}
_AFTER_GATES = {
    "report": CommandSpec(
        "genai_gate.report.command",
        "merge shard results; post the sticky PR comment; record job outcomes",
        gate=False,
    ),
    "mock-llm": CommandSpec(
        "genai_gate.mockllm.command", "serve the OpenAI-compatible mock LLM", gate=False
    ),
}

COMMANDS: dict[str, CommandSpec] = {
    **_BEFORE_GATES,
    **{g.name: CommandSpec(g.command, g.help, gate=g.writes_results) for g in gates()},
    **_AFTER_GATES,
}
"""Every command: `run`, the gates (from their descriptors, `genai_gate.gates`), the tools."""

PIPELINE_ORDER = [
    g.name for g in sorted(gates(), key=lambda g: g.pipeline or 0) if g.pipeline is not None
]
"""Order of the PR-check gates run by `genai-gate run` (the local twin of genai-checks.yml)."""
