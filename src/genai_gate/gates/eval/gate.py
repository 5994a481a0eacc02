"""The descriptor of `genai-gate eval-gate` (see `genai_gate.gates.spec`)."""

from __future__ import annotations

from genai_gate.action_types import ActionSpec, Input, Output
from genai_gate.gates.spec import ConfigSection, GateSpec

GATE = GateSpec(
    name="eval-gate",
    help="run eval suites and gate on scores and regressions",
    command="genai_gate.gates.eval.command",
    writes_results=True,
    config=ConfigSection(
        key="eval",
        settings="genai_gate.gates.eval.settings:EvalSettings",
        doc="Suites of `eval-gate` (absent: the gate cannot run).",
    ),
    section="genai_gate.gates.eval.report:markdown_section",
    merger="genai_gate.gates.eval.merge:merge_results",
    summary="genai_gate.gates.eval.details:EvalSummary",
    details="genai_gate.gates.eval.details:EvalDetails",
    action=ActionSpec(
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
            Input(
                "replay",
                "score the recorded answers of this transcript file (JSONL, YAML or CSV) with "
                "one suite's scorers, without calling any target",
                "--replay",
                excludes=("target", "repeat", "baseline", "base-ref", "changed-only", "shard"),
            ),
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
    pipeline=30,
)
