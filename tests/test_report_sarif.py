"""SARIF output validated against the official SARIF 2.1.0 JSON schema and by Microsoft's
SARIF Multitool (both from the npm package installed by scripts/bootstrap)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import jsonschema
import pytest
from support.sarif_multitool import multitool_validate, official_schema

from genai_gate.report import render, sarif
from genai_gate.results import ErrorKind, Finding, GateResult, Location, Severity, Status


@functools.cache
def validator() -> jsonschema.Draft7Validator:
    schema = official_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=jsonschema.FormatChecker())


def validate(text: str) -> dict:
    log = json.loads(text)
    errors = sorted(validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    return log


def lint_result() -> GateResult:
    return GateResult(
        gate="prompt-lint",
        status=Status.FAIL,
        findings=[
            Finding(
                rule_id="PL101",
                rule_name="missing-variable",
                severity=Severity.ERROR,
                message="template uses {{ customer_id }} but variables does not list it",
                location=Location(path="prompts/support.yaml", line=12, column=3, end_line=14),
                help_uri="https://example.org/rules/PL101",
                properties={"help": "Declare every template variable.", "tags": ["prompt"]},
            ),
            Finding(
                rule_id="PL101",
                rule_name="missing-variable",
                severity=Severity.ERROR,
                message="template uses {{ context }} but variables does not list it",
                location=Location(path="prompts/other.yaml", line=4),
            ),
            Finding(
                rule_id="PL301",
                severity=Severity.WARNING,
                message="an IBAN-like literal appears in the prompt",
                location=Location(path="prompts\\win\\style.yaml"),
                properties={"masked_evidence": "ES91 **** **** 1332"},
            ),
            Finding(rule_id="PL900", severity=Severity.NOTE, message="registry has 12 prompts"),
        ],
    )


def test_sarif_is_valid_and_has_one_category_per_gate() -> None:
    log = validate(sarif.render(lint_result(), "genai-gate.yaml"))
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "genai-gate/prompt-lint"
    assert run["automationDetails"]["id"] == "genai-gate/prompt-lint/"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["PL101", "PL301", "PL900"]
    assert rules[0]["help"]["text"].startswith("Declare every template variable.")
    assert rules[0]["helpUri"] == "https://example.org/rules/PL101"
    assert rules[0]["properties"]["tags"] == ["prompt"]
    results = run["results"]
    assert [r["ruleIndex"] for r in results] == [0, 0, 1, 2]
    assert [r["level"] for r in results] == ["error", "error", "warning", "note"]
    first = results[0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"]["uri"] == "prompts/support.yaml"
    assert first["region"] == {"startLine": 12, "startColumn": 3, "endLine": 14}
    assert results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "prompts/win/style.yaml"
    )
    # a finding without a file points at the config, line 1 (code scanning needs a location)
    last = results[3]["locations"][0]["physicalLocation"]
    assert last["artifactLocation"]["uri"] == "genai-gate.yaml"
    assert last["region"]["startLine"] == 1
    assert results[2]["properties"] == {"masked_evidence": "ES91 **** **** 1332"}


def test_fingerprints_are_stable_and_distinct() -> None:
    a = json.loads(sarif.render(lint_result()))["runs"][0]["results"]
    b = json.loads(sarif.render(lint_result()))["runs"][0]["results"]
    prints = [r["fingerprints"][sarif.FINGERPRINT_KEY] for r in a]
    assert prints == [r["fingerprints"][sarif.FINGERPRINT_KEY] for r in b]
    assert len(set(prints)) == len(prints)


def test_several_results_become_several_runs() -> None:
    other = GateResult(gate="injection-test", status=Status.PASS)
    log = validate(sarif.render_many([lint_result(), other]))
    assert [r["automationDetails"]["id"] for r in log["runs"]] == [
        "genai-gate/prompt-lint/",
        "genai-gate/injection-test/",
    ]
    assert log["runs"][1]["results"] == []


def test_a_gate_that_could_not_run_reports_a_failed_invocation() -> None:
    result = GateResult(
        gate="eval-gate",
        status=Status.ERROR,
        error="target unreachable",
        error_kind=ErrorKind.INFRA,
        incomplete=True,
    )
    log = validate(render(result, "sarif", Path("examples/bank/genai-gate.yaml")))
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == "target unreachable"


def test_the_schema_rejects_a_broken_log() -> None:
    log = json.loads(sarif.render(lint_result()))
    del log["runs"][0]["results"][0]["message"]
    with pytest.raises(AssertionError):
        validate(json.dumps(log))


def test_microsoft_sarif_multitool_accepts_the_log(tmp_path: Path) -> None:
    other = GateResult(gate="injection-test", status=Status.PASS)
    log_file = tmp_path / "genai-gate.sarif"
    log_file.write_text(sarif.render_many([lint_result(), other]), encoding="utf-8")
    assert multitool_validate(log_file, tmp_path) == []


def test_microsoft_sarif_multitool_reports_a_broken_log(tmp_path: Path) -> None:
    log = json.loads(sarif.render(lint_result()))
    log["runs"][0]["results"][0]["ruleIndex"] = 99  # points past the rules array
    log_file = tmp_path / "broken.sarif"
    log_file.write_text(json.dumps(log), encoding="utf-8")
    assert multitool_validate(log_file, tmp_path) != []
