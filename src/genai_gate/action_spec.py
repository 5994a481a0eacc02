"""The composite actions of genai-gate: each action's inputs, how they map to the CLI, its outputs.

This table is the single source of the `actions/<name>/action.yml` files (written by
`scripts/release actions`) and of the validation in `genai_gate.action_inputs`: the runner does
not enforce `required: true` for composite inputs, so every check happens in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal[
    "str",
    "int",
    "bool",
    "list",
    "choice",
    "secret",
    "output",
    "setup",
    "cwd",
    "env",
    "secret-env",
    "mock",
]


@dataclass(frozen=True)
class Input:
    """One action input."""

    name: str
    """Input name (kebab-case), as callers write it under `with:`."""
    description: str
    """One line shown in the action's metadata."""
    option: str | None = None
    """CLI option it becomes; None for a positional argument or a non-CLI input."""
    kind: Kind = "str"
    """str / int: one option value; bool: a flag when `true`; list: the option repeated per
    line or comma-separated item; choice: one of `choices`; secret: exported as the `env`
    variable, never an argument; output: `--output FORMAT=PATH` with FORMAT in `option`;
    setup: read by the setup step; cwd: the working directory of the command; env / secret-env:
    NAME=VALUE lines exported to the command (secret-env values masked in the log); mock: how
    the mock LLM is served for the duration of the command."""
    required: bool = False
    """Must be non-empty (checked in Python)."""
    default: str = ""
    """Default value written to action.yml."""
    choices: tuple[str, ...] = ()
    """Allowed values of a choice input."""
    env: str | None = None
    """Environment variable a secret input is passed in."""
    positional: bool = False
    """Appended as positional argument(s) after the options."""
    excludes: tuple[str, ...] = ()
    """Inputs that cannot be given together with this one (checked in Python)."""


@dataclass(frozen=True)
class Output:
    """One action output, set by the `github` reporter (a key of the gate's summary)."""

    name: str
    description: str


@dataclass(frozen=True)
class ActionSpec:
    """One composite action: `genai-gate <command> [<sub-action>]` with mapped inputs."""

    name: str
    """Folder under actions/ (`genai-gate` for the umbrella action.yml at the root)."""
    command: str
    """genai-gate command run by the action (empty: chosen by the `command` input)."""
    description: str
    inputs: tuple[Input, ...]
    outputs: tuple[Output, ...]
    subaction: str | None = None
    """Name of the input that selects the sub-command (audit-log, report)."""
    output_source: str = ""
    """Which sub-action sets the gate-specific outputs (documentation and tests)."""


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

_GITHUB_TOKEN = Input(
    "github-token",
    "token for the GitHub API (e.g. github.token)",
    kind="secret",
    env="GITHUB_TOKEN",
)

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "prompt-lint",
        "prompt-lint",
        "Validate the prompt and model registries (schema, templates, token limits, secrets, "
        "PII, versioning).",
        (
            Input("prompts", "prompt registry folder (default: registry.prompts)", "--prompts"),
            Input("models", "model registry file (default: registry.models)", "--models"),
            Input("base-ref", "git ref to compare with (version bumps, removals)", "--base-ref"),
        ),
        (
            Output("findings", "number of findings"),
            Output("errors", "findings of severity error"),
            Output("warnings", "findings of severity warning"),
            Output("prompts", "prompts checked"),
        ),
    ),
    ActionSpec(
        "injection-test",
        "injection-test",
        "Attack the agent with the offline red-team suite; fail on successful attacks.",
        (
            Input("target", "target to attack (default: injection.target)", "--target"),
            Input("sample", "run N attacks stratified by category", "--sample", "int"),
            Input("full", "run the full suite, ignoring sample", "--full", "bool", default="false"),
            Input("seed", "seed of the sample", "--seed", "int"),
            Input(
                "categories", "only these categories (one per line or comma)", "--category", "list"
            ),
            Input("languages", "only these languages (en, es)", "--language", "list"),
            Input(
                "attacks",
                "also run the attacks of these files (JSONL, YAML or CSV; one per line or "
                "comma), added to injection.attacks",
                "--attacks",
                "list",
            ),
            Input(
                "replay",
                "judge the recorded transcripts of this file (JSONL, YAML or CSV) without "
                "calling any target",
                "--replay",
                excludes=("target", "attacks", "paraphrase"),
            ),
            Input(
                "paraphrase",
                "also run paraphrased attacks",
                "--paraphrase",
                "bool",
                default="false",
            ),
        ),
        (
            Output("attacks", "attacks run"),
            Output("successful-attacks", "attacks that succeeded"),
            Output("success-rate", "share of attacks that succeeded"),
            Output("refusals", "attacks the agent refused"),
            Output("errors", "attacks that errored"),
            Output("failed-categories", "categories over their threshold, comma-separated"),
            Output("suite-version", "version of the attack suite"),
        ),
    ),
    ActionSpec(
        "pii-scan",
        "pii-scan",
        "Find checksum-confirmed personal data (IBAN, DNI/NIE, cards, SSN, phones, emails).",
        (
            Input(
                "paths",
                "files or folders to scan (one per line)",
                kind="list",
                required=True,
                positional=True,
            ),
            Input("types", "only these types (one per line or comma)", "--type", "list"),
            Input("regions", "countries tried for phone numbers", "--region", "list"),
            Input("max-findings", "list at most N findings", "--max-findings", "int"),
        ),
        (Output("findings", "items of personal data found"), Output("files", "files scanned")),
    ),
    ActionSpec(
        "eval-gate",
        "eval-gate",
        "Run the eval suites against the agent; gate on scores and regressions vs a baseline.",
        (
            Input("suites", "suites to run (one per line or comma)", "--suite", "list"),
            Input("target", "target to evaluate (default: config)", "--target"),
            Input("repeat", "samples per case", "--repeat", "int"),
            Input("baseline", "eval-gate results file of the base branch", "--baseline"),
            Input(
                "base-ref",
                "git ref of the base branch: without baseline, its tree is evaluated for the "
                "baseline; changed-only compares prompts with it",
                "--base-ref",
            ),
            Input(
                "changed-only",
                "evaluate only cases whose prompt changed",
                "--changed-only",
                "bool",
                default="false",
            ),
            Input("shard", "evaluate slice I/N (merge with the report action)", "--shard"),
            Input("max-errors", "errored cases tolerated", "--max-errors", "int"),
        ),
        (
            Output("cases", "cases evaluated"),
            Output("passed", "cases passed"),
            Output("failed", "cases failed"),
            Output("flaky", "cases passing only some samples"),
            Output("errors", "cases that errored"),
            Output("score", "weighted mean score"),
        ),
    ),
    ActionSpec(
        "cost-estimate",
        "cost-estimate",
        "Estimate token and dollar cost of the prompts, base vs head; fail on spikes.",
        (
            Input("base-ref", "git ref to compare with (the PR base)", "--base-ref"),
            Input(
                "pr-labels", "PR labels, comma-separated (default: from the event)", "--pr-labels"
            ),
            Input(
                "actual",
                "results files whose usage is compared with the estimate",
                "--actual",
                "list",
            ),
        ),
        (
            Output("monthly-cost-usd", "projected monthly cost (USD)"),
            Output("delta-pct", "change vs the base ref (%), empty without base-ref"),
            Output("prompts", "prompts priced"),
        ),
    ),
    ActionSpec(
        "security-scan",
        "security-scan",
        "Scan the code (bandit, semgrep with genai-gate's rules) and the locked dependencies "
        "(pip-audit, OSV); SARIF per tool.",
        (
            Input(
                "tools",
                "tools to run, comma-separated (default: bandit,semgrep,pip-audit)",
                "--tools",
            ),
            Input(
                "fail-on-severity",
                "findings of this severity or worse fail the gate (default: high)",
                "--fail-on-severity",
                "choice",
                choices=("low", "medium", "high", "critical"),
            ),
            Input(
                "scan-requirements",
                "pinned requirements files audited by pip-audit, one per line "
                "(default: requirements.lock or requirements.txt in path)",
                "--requirements",
                "list",
            ),
            Input("path", "source folder scanned by bandit and semgrep (default: .)", "--path"),
            Input("sarif-dir", "write <sarif-dir>/<tool>.sarif for every tool run", "--sarif-dir"),
            Input(
                "osv-url",
                "OSV query endpoint for pip-audit (default: the public OSV API)",
                "--osv-url",
            ),
        ),
        (
            Output("findings", "findings of all tools"),
            Output("blocking", "findings at or above fail-on-severity"),
            Output("critical", "critical findings"),
            Output("high", "high findings"),
            Output("medium", "medium findings"),
            Output("low", "low findings"),
            Output("tools", "tools run, comma-separated"),
        ),
    ),
    ActionSpec(
        "audit-log",
        "audit-log",
        "Append to, verify or check the tamper-evident deployment audit log.",
        (
            Input(
                "action",
                "record, verify, check, dora or previous",
                kind="choice",
                required=True,
                choices=("record", "verify", "check", "dora", "previous"),
                positional=True,
            ),
            Input("event", "record: deploy, canary-step or rollback", "--event"),
            Input("environment", "environment (staging, production)", "--environment"),
            Input("version", "release version", "--version"),
            Input("outcome", "record: success or failure", "--outcome"),
            Input("sha", "commit deployed (default: HEAD)", "--sha"),
            Input("deployer", "who deployed (default: github.actor)", "--deployer"),
            Input(
                "deployment-id",
                "groups one deployment's records (default: run id)",
                "--deployment-id",
            ),
            Input("ticket", "change ticket id", "--ticket"),
            Input("approvers", "approver logins (one per line or comma)", "--approver", "list"),
            Input("approvals", "read environment approvals: auto, github or none", "--approvals"),
            Input("image-digest", "container image digest (sha256:...)", "--image-digest"),
            Input("kb-snapshot", "knowledge-base snapshot id", "--kb-snapshot"),
            Input("base-ref", "git ref of the previous release", "--base-ref"),
            Input("rollback-command", "how to roll back", "--rollback-command"),
            Input("traffic-percent", "traffic on the new release", "--traffic-percent", "int"),
            Input("canary-outcome", "promote, hold or rollback", "--canary-outcome"),
            Input("canary-score", "canary score", "--canary-score"),
            Input("notes", "free text", "--notes"),
            Input("pr", "check: pull request number", "--pr", "int"),
            Input(
                "manifest-file",
                "previous: where the previous release's manifest is written (JSON)",
                "--manifest-file",
            ),
            Input(
                "checkpoint",
                "verify: checkpoint digests published earlier that the log must still contain "
                "(one per line)",
                "--checkpoint",
                "list",
            ),
            Input(
                "chain-only", "verify: chain only (no key)", "--chain-only", "bool", default="false"
            ),
            Input("store", "store kind: local or git", "--store"),
            Input("log-dir", "local store folder", "--log-dir"),
            Input("branch", "git store branch (default genai-audit)", "--branch"),
            Input("remote", "git store remote (default origin)", "--remote"),
            Input(
                "signing-key",
                "HMAC key signing the checkpoints (a secret)",
                kind="secret",
                env="GENAI_GATE_AUDIT_KEY",
            ),
            _GITHUB_TOKEN,
        ),
        (
            Output("seq", "record: sequence number of the new record"),
            Output("hash", "record: hash of the new record"),
            Output("root", "record / verify: Merkle root of the log"),
            Output("checkpoint", "record: digest of the new signed checkpoint (publish it)"),
            Output("size", "record: records in the log after the append"),
            Output("records", "verify: records in the log"),
            Output("found", "previous: true when the trail holds a successful deploy"),
            Output("manifest-file", "previous: JSON file of the previous release and its manifest"),
            Output("previous-version", "previous: version of the release a rollback restores"),
            Output("previous-sha", "previous: its commit"),
            Output("previous-image-digest", "previous: its image digest"),
            Output("previous-kb-snapshot", "previous: its knowledge-base snapshot id"),
            Output("previous-prompts", "previous: its prompts, id@version comma-separated"),
        ),
        subaction="action",
        output_source="record",
    ),
    ActionSpec(
        "canary-gate",
        "canary-gate",
        "Judge one canary step from Prometheus metrics: promote, hold or roll back.",
        (
            Input("step", "canary traffic % being judged", "--step", "int", required=True),
            Input("baseline-label", "baseline deployment label", "--baseline-label", required=True),
            Input("canary-label", "canary deployment label", "--canary-label", required=True),
            Input("prometheus-url", "Prometheus base URL (default: config)", "--prometheus-url"),
            Input("window", "judged period, e.g. 10m (default: config)", "--window"),
            Input("end", "end of the window, RFC 3339 or unix seconds (default: now)", "--end"),
            Input(
                "baseline-end",
                "end of the baseline's window (default: end): the previous release before a switch",
                "--baseline-end",
            ),
        ),
        (
            Output("decision", "promote, hold or rollback"),
            Output("step", "traffic % judged"),
            Output("next-traffic-pct", "traffic % to move to"),
            Output("score", "share of passing metrics (empty when metrics are unavailable)"),
            Output("failed-metrics", "metrics judged harmful, comma-separated"),
            Output("baseline-requests", "baseline requests in the window"),
            Output("canary-requests", "canary requests in the window"),
        ),
    ),
    ActionSpec(
        "smoke-test",
        "smoke-test",
        "Check a freshly deployed environment: health, then a few golden cases.",
        (
            Input("url", "base URL of the deployment (default: smoke.url)", "--url"),
            Input("dataset", "golden dataset (default: smoke.dataset)", "--dataset"),
        ),
        (
            Output("healthy", "true when /health is ok"),
            Output("cases", "golden cases sent"),
            Output("failed", "cases failed"),
        ),
    ),
    ActionSpec(
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
            Input(
                "files", "merge: shard results files (one per line)", kind="list", positional=True
            ),
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
            Input(
                "api-url", "comment: GitHub REST API base (default: $GITHUB_API_URL)", "--api-url"
            ),
            _GITHUB_TOKEN,
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
    ),
)

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
