"""Say the configured greeting (a toy gate for the descriptor tests)."""

from __future__ import annotations

import argparse

from genai_gate.context import Context
from genai_gate.results import GateResult, Status
from toy_gate.settings import ToySettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `genai-gate toy-gate`."""
    parser.add_argument("--greeting", help="what to say (default: toy.greeting)")


def run(args: argparse.Namespace, ctx: Context) -> GateResult:
    """Greet once."""
    settings = ctx.config.model.toy or ToySettings()  # type: ignore[attr-defined]
    greeting = args.greeting or settings.greeting
    return GateResult(
        gate="toy-gate",
        status=Status.PASS,
        title=f"said {greeting!r}",
        summary={"greetings": 1},
        details={"greeting": greeting},
    )
