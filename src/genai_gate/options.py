"""Typed options of a gate: a frozen dataclass, built from the command line or from defaults.

A gate's command module defines `Options`, a frozen dataclass subclassing `GateOptions`, and
`run(options: Options, ctx) -> GateResult`. Its field names are the `dest`s of the options
`add_arguments` declares and its defaults are theirs, so `Options()` is what the command line
gives without options: `genai-gate run` builds it directly (`tests/test_gate_specs.py` checks
that the two agree). Repeatable options become tuples.
"""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any, TypeVar

from genai_gate.errors import UsageError

OptionsT = TypeVar("OptionsT", bound="GateOptions")
_T = TypeVar("_T")


class GateOptions:
    """Base of a gate's `Options` dataclass."""

    @classmethod
    def from_args(cls: type[OptionsT], args: argparse.Namespace) -> OptionsT:
        """The options parsed by the gate's parser (fields the parser lacks keep defaults)."""
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        given = {f.name: _frozen(getattr(args, f.name)) for f in fields if hasattr(args, f.name)}
        return cls(**given)

    @staticmethod
    def given(value: _T | None, flag: str) -> _T:
        """`value` of an option its action cannot do without: the parser requires it, Options
        built otherwise may lack it (a usage error naming the flag)."""
        if value is None:
            raise UsageError(f"{flag} is required")
        return value


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
