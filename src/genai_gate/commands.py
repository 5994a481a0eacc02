"""The table of commands: name -> implementing module, imported only when that command runs.

Keeping this table free of imports keeps `genai-gate --version` and `--help` fast. A command
module provides:

- its docstring: the description shown by `genai-gate <command> --help`;
- `add_arguments(parser: argparse.ArgumentParser) -> None`;
- `run(args: argparse.Namespace, ctx: genai_gate.context.Context) -> GateResult | int`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommandSpec:
    """How to find and describe one command."""

    module: str
    """Dotted module implementing the command."""
    help: str
    """One line for `genai-gate --help`."""
    gate: bool = True
    """A gate writes `<results-dir>/<command>.json`, even when it ends in an error."""


COMMANDS: dict[str, CommandSpec] = {
    "run": CommandSpec(
        "genai_gate.pipeline",
        "run every gate configured in genai-gate.yaml, in pipeline order",
        gate=False,
    ),
    "prompt-lint": CommandSpec(
        "genai_gate.gates.prompt_lint.command", "validate the prompt and model registries"
    ),
    "injection-test": CommandSpec(
        "genai_gate.gates.injection.command", "attack the target with the offline red-team suite"
    ),
    "pii-scan": CommandSpec(
        "genai_gate.gates.injection.pii_command", "find personal data in text or results files"
    ),
    "security-scan": CommandSpec(
        "genai_gate.gates.security.command",
        "SAST (bandit, semgrep) and dependency audit (pip-audit), SARIF per tool",
    ),
    "eval-gate": CommandSpec(
        "genai_gate.gates.eval.command", "run eval suites and gate on scores and regressions"
    ),
    "cost-estimate": CommandSpec(
        "genai_gate.gates.cost.command", "estimate token and dollar cost, base vs head"
    ),
    "audit-log": CommandSpec(
        "genai_gate.gates.audit.command",
        "record, verify, prove and check deployment records; DORA metrics",
    ),
    "canary-gate": CommandSpec(
        "genai_gate.gates.canary.command", "judge a canary step from Prometheus metrics"
    ),
    "smoke-test": CommandSpec(
        "genai_gate.gates.smoke.command", "check a freshly deployed environment"
    ),
    "report": CommandSpec(
        "genai_gate.report.command",
        "merge shard results; post the sticky PR comment; record job outcomes",
        gate=False,
    ),
    "monitor": CommandSpec(
        "genai_gate.gates.monitor.command",
        "post-deploy monitoring: Prometheus alerting rules, degradation issue",
        gate=False,
    ),
    "mock-llm": CommandSpec(
        "genai_gate.mockllm.command", "serve the OpenAI-compatible mock LLM", gate=False
    ),
}

PIPELINE_ORDER = ["prompt-lint", "injection-test", "eval-gate", "cost-estimate"]
"""Order of the PR-check gates run by `genai-gate run` (the local twin of genai-checks.yml)."""
