"""The descriptor of `genai-gate injection-test` (see `genai_gate.gates.spec`)."""

from __future__ import annotations

from genai_gate.action_types import ActionSpec, Input, Output
from genai_gate.gates.spec import ConfigSection, GateSpec

GATE = GateSpec(
    name="injection-test",
    help="attack the target with the offline red-team suite",
    command="genai_gate.gates.injection.command",
    writes_results=True,
    config=ConfigSection(
        key="injection",
        settings="genai_gate.gates.injection.settings:InjectionSettings",
        doc="Settings of `injection-test`.",
    ),
    section="genai_gate.gates.injection.report:markdown_section",
    merger=None,
    summary="genai_gate.gates.injection.summary:InjectionSummary",
    details="genai_gate.gates.injection.summary:InjectionDetails",
    action=ActionSpec(
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
    pipeline=20,
)
