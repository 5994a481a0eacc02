"""The composite actions of genai-gate: each action's inputs, how they map to the CLI, its outputs.

The gates' actions come from their descriptors (`genai_gate.gates.spec`). This table is the
single source of the `actions/<name>/action.yml` files (written by
`scripts/release actions`) and of the validation in `genai_gate.action_inputs`: the runner does
not enforce `required: true` for composite inputs, so every check happens in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from genai_gate.action_types import GITHUB_TOKEN, ActionSpec, Input, Kind, Output
from genai_gate.gates import gates

__all__ = ["ActionSpec", "Input", "Kind", "Output"]

COMMON_INPUTS: tuple[Input, ...] = (
    Input("config", "genai-gate.yaml to use (default: genai-gate.yaml)", "--config"),
    Input("working-directory", "folder to run in (default: the workspace)", kind="cwd"),
    Input(
        "results-dir",
        "folder for <command>.json results files (default: .genai-gate/results)",
        "--results-dir",
    ),
    Input(
        "requirements",
        "requirements file of the caller installed into the same venv "
        "(e.g. the agent's dependencies for a python target)",
        kind="setup",
    ),
    Input(
        "agent-env",
        "environment of the command and the agent under test, NAME=VALUE per line",
        kind="env",
    ),
    Input(
        "agent-secrets",
        "secret environment of the agent (e.g. its LLM key), NAME=VALUE per line, masked",
        kind="secret-env",
    ),
    Input(
        "cache",
        "restore and save the genai-gate venv with actions/cache (false in jobs holding a "
        "signing key or a write token)",
        kind="setup",
        default="true",
    ),
    Input(
        "mock-llm-script",
        "serve genai-gate's mock LLM with this script (YAML) on 127.0.0.1 for the duration of "
        "the command, unless the variable named by mock-llm-url-env is already set",
        kind="mock",
    ),
    Input(
        "mock-llm-url-env",
        "variable that receives the mock LLM's base URL (http://127.0.0.1:PORT/v1)",
        kind="mock",
        default="OPENAI_BASE_URL",
    ),
    Input("sarif-file", "also write the result as SARIF to this path", "sarif", "output"),
    Input("junit-file", "also write the result as JUnit XML to this path", "junit", "output"),
    Input("markdown-file", "also write the Markdown report to this path", "markdown", "output"),
)

COMMON_OUTPUTS: tuple[Output, ...] = (
    Output("status", "pass, fail or error"),
    Output("exit-code", "exit code of the command: 0 pass, 1 fail, 2 usage, 3 infrastructure"),
    Output("results-file", "path of the JSON results file"),
)

REPORT = ActionSpec(
    "report",
    "report",
    "Merge shard results, or post the one sticky PR comment gathering every gate.",
    (
        Input(
            "action",
            "merge or comment",
            kind="choice",
            required=True,
            choices=("merge", "comment"),
            positional=True,
        ),
        Input("files", "merge: shard results files (one per line)", kind="list", positional=True),
        Input("output-file", "merge: where to write the merged results", "--output-file"),
        Input("repo", "comment: OWNER/NAME (default: github.repository)", "--repo"),
        Input("pr", "comment: pull request number", "--pr", "int"),
        Input("run-url", "comment: link to the workflow run", "--run-url"),
        Input(
            "expect",
            "comment: jobs and gates that must have left a results file (comma-separated); "
            "one that did not shows as error, never as pass",
            "--expect",
            "list",
        ),
        Input("api-url", "comment: GitHub REST API base (default: $GITHUB_API_URL)", "--api-url"),
        GITHUB_TOKEN,
    ),
    (
        Output("cases", "merge: cases evaluated over all shards"),
        Output("passed", "merge: cases passed"),
        Output("failed", "merge: cases failed"),
        Output("flaky", "merge: cases passing only some samples"),
        Output("errors", "merge: cases that errored"),
        Output("score", "merge: weighted mean score"),
        Output("regressed", "merge: cases that passed on the baseline and fail now"),
    ),
    subaction="action",
    output_source="merge",
)
"""The action of `genai-gate report` (not a gate: it merges and comments on gates' results)."""

ACTIONS: tuple[ActionSpec, ...] = (
    *(gate.action for gate in gates() if gate.action is not None),
    REPORT,
)
"""Every composite action under actions/: the gates' (from their descriptors), then report."""

UMBRELLA = ActionSpec(
    "genai-gate",
    "",
    "genai-gate: run one gate (prompt-lint, injection-test, eval-gate, cost-estimate, ...).",
    (
        Input(
            "command",
            "genai-gate command to run, e.g. prompt-lint",
            kind="choice",
            required=True,
            positional=True,
        ),
        Input("args", "further arguments, one per line (no shell)", kind="list", positional=True),
    ),
    (),
)


@dataclass(frozen=True)
class WorkflowRequirement:
    """A reusable-workflow input that must not be empty (GitHub's `required: true` only checks
    that a caller passes the input, and a caller forwarding its own empty input passes it)."""

    input: str
    why: str
    """What the workflow cannot do without it (shown in the error)."""
    choices: tuple[str, ...] = ()
    """When set, the value must be one of these (not only non-empty)."""


WORKFLOW_REQUIREMENTS: dict[str, tuple[WorkflowRequirement, ...]] = {
    "genai-deploy": (
        WorkflowRequirement("deploy-command", "nothing would be deployed to staging or production"),
        WorkflowRequirement("traffic-command", "no traffic would reach the canary it judges"),
        WorkflowRequirement("rollback-command", "a failed canary could not be rolled back"),
        WorkflowRequirement(
            "strategy", "it selects how production is rolled out", ("canary", "blue-green")
        ),
    ),
}
"""Non-empty inputs per reusable workflow, checked by `python -m genai_gate.action_inputs
--workflow NAME` before the workflow does anything."""


def action(name: str) -> ActionSpec:
    """The spec of the action in actions/<name> (`genai-gate`: the root umbrella)."""
    for spec in (*ACTIONS, UMBRELLA):
        if spec.name == name:
            return spec
    raise KeyError(f"no action {name!r}")


def inputs_of(spec: ActionSpec) -> tuple[Input, ...]:
    """All inputs of an action: its own, then the common ones."""
    return (*spec.inputs, *COMMON_INPUTS)


def outputs_of(spec: ActionSpec) -> tuple[Output, ...]:
    """All outputs of an action: the common ones, then the gate's summary figures."""
    return (*COMMON_OUTPUTS, *spec.outputs)
