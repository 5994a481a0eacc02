"""Check a freshly deployed environment: health, then a handful of golden cases.

`GET /health` must answer 200 with a healthy status and every dependency check ok. Then a few
cases of the golden dataset go through `POST /v1/chat` (the python-target request format); each
answer must contain the case's facts and tool calls. The test fails (exit 1) when health is bad,
when more cases fail than the error budget allows, or when the latency p95 is over the limit.
An unreachable endpoint exits 3 within the connect timeout; every request ends within
`timeout_s` and the whole test within `run_timeout_s` (exit 3 when the run's deadline passes or
no case got any answer), even against a server that dribbles its answers.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from genai_gate.gates.smoke.options import Options

if TYPE_CHECKING:  # the run's modules are imported when it runs: `--help` stays fast
    from genai_gate.context import Context
    from genai_gate.results import GateResult


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `genai-gate smoke-test`."""
    parser.add_argument("--url", metavar="URL", help="base URL of the deployment (smoke.url)")
    parser.add_argument(
        "--dataset", metavar="FILE", help="golden dataset to take the cases from (smoke.dataset)"
    )


def run(options: Options, ctx: Context) -> GateResult:
    """Health, then the sampled golden cases, against `--url` (or smoke.url)."""
    from genai_gate.gates.smoke.check import run as run_smoke

    return run_smoke(options, ctx)
