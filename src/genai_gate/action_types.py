"""The types of the composite actions' specs: inputs, outputs, one action.

Separate from `genai_gate.action_spec` (which gathers the specs) so that a gate's descriptor
can state its action without importing the table built from every descriptor.
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


GITHUB_TOKEN = Input(
    "github-token",
    "token for the GitHub API (e.g. github.token)",
    kind="secret",
    env="GITHUB_TOKEN",
)
"""The GitHub token input of the actions that call the GitHub API."""
