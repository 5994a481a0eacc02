"""The descriptor of one gate: every table that names gates is derived from these.

A gate is a package under `genai_gate.gates` with a `gate.py` holding `GATE = GateSpec(...)`
and one line in `genai_gate.gates.GATE_MODULES`. From the descriptors come the command table
(`genai_gate.commands`), the sections of genai-gate.yaml (`genai_gate.config`), the order of
`genai-gate run` (`genai_gate.pipeline`), the gate-specific Markdown (`report.sections`), the
shard mergers (`report.merge`), the composite actions (`genai_gate.action_spec`) and the
typed results of each gate (`genai_gate.result_types`).

Every field is given explicitly (there are no defaults): a gate says "none" for a hook it does
not provide, so `tests/test_gate_specs.py` can check that every gate decided every hook.
Modules are named by dotted strings and imported only when used: reading the descriptors
imports nothing heavy (`genai-gate --help` stays fast).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from genai_gate.action_types import ActionSpec


@dataclass(frozen=True)
class ConfigSection:
    """The gate's section of genai-gate.yaml."""

    key: str
    """Key of the section at the top level of genai-gate.yaml, e.g. `cost`."""
    settings: str
    """`module:Class` of its pydantic model (a `genai_gate.schema.StrictModel`)."""
    doc: str
    """Description of the section in the config's JSON Schema and docs."""


@dataclass(frozen=True)
class GateSpec:
    """Everything the rest of genai-gate needs to know about one gate."""

    name: str
    """Command name: `genai-gate <name>`, `<results-dir>/<name>.json`."""
    help: str
    """One line for `genai-gate --help`."""
    command: str
    """Module implementing the command: `add_arguments(parser)`, `Options`, `run(options, ctx)`."""
    writes_results: bool
    """A run writes `<results-dir>/<name>.json`, even when it ends in an error."""
    config: ConfigSection | None
    """Its section of genai-gate.yaml; None: the gate reads none."""
    section: str | None
    """`module:function` returning the gate-specific Markdown of a result; None: generic only."""
    merger: str | None
    """`module:function` merging shard results; None: the generic merge of `report.merge`."""
    summary: str | None
    """`module:Class` of its typed summary (a `results.TypedSummary`); None: untyped figures."""
    details: str | None
    """`module:Class` of its typed details (a `results.TypedDetails`); None: untyped details."""
    action: ActionSpec | None
    """Its composite action (`actions/<name>/action.yml`); None: no action."""
    pipeline: int | None
    """Position in `genai-gate run` (ascending); None: not run by it."""


def resolve(ref: str) -> object:
    """The object named by a `module:attribute` reference (imports the module)."""
    module_name, sep, attr = ref.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"registry entry {ref!r} is not of the form module:function")
    return getattr(importlib.import_module(module_name), attr)
