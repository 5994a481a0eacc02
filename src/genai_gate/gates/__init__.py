"""The gates: one package each, listed (one line per gate) in `GATE_MODULES`.

See `genai_gate.gates.spec` for what a gate's descriptor holds and which tables derive from it.
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from genai_gate.gates.spec import GateSpec

GATE_MODULES: list[str] = [
    # one line per gate: the module holding its `GATE` descriptor, in `genai-gate --help` order
    "genai_gate.gates.prompt_lint.gate",
    "genai_gate.gates.injection.gate",
    "genai_gate.gates.injection.pii_gate",
    "genai_gate.gates.security.gate",
    "genai_gate.gates.eval.gate",
    "genai_gate.gates.cost.gate",
    "genai_gate.gates.audit.gate",
    "genai_gate.gates.canary.gate",
    "genai_gate.gates.smoke.gate",
    "genai_gate.gates.monitor.gate",
]
"""Modules of the gate descriptors (each defines `GATE`)."""


@functools.cache
def _load(modules: tuple[str, ...]) -> tuple[GateSpec, ...]:
    return tuple(importlib.import_module(name).GATE for name in modules)


def gates() -> tuple[GateSpec, ...]:
    """The descriptors of every gate, in `GATE_MODULES` order (imports only the descriptors)."""
    return _load(tuple(GATE_MODULES))
