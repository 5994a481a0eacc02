"""Say the configured greeting (a toy gate for the descriptor tests)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from genai_gate.context import Context
from genai_gate.options import GateOptions
from genai_gate.results import GateResult, Status
from toy_gate.settings import ToySettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `genai-gate toy-gate`."""
    parser.add_argument("--greeting", help="what to say (default: toy.greeting)")


@dataclass(frozen=True)
class Options(GateOptions):
    """Options of one toy run."""

    greeting: str | None = None
    """What to say (default: toy.greeting)."""


def run(options: Options, ctx: Context) -> GateResult:
    """Greet once."""
    settings = ctx.config.model.toy or ToySettings()  # type: ignore[attr-defined]
    greeting = options.greeting or settings.greeting
    return GateResult(
        gate="toy-gate",
        status=Status.PASS,
        title=f"said {greeting!r}",
        summary={"greetings": 1},
        details={"greeting": greeting},
    )
