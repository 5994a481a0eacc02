"""SARIF 2.1.0 renderer: one run per result, so code scanning keeps one category per gate.

Each run has `tool.driver.name` = `genai-gate/<gate>`, rules with help text, results with a
physical location (a finding without a file points at the config file, line 1, because code
scanning rejects results without a location), stable fingerprints, and
`automationDetails.id` = `genai-gate/<gate>/` (the category is the part before the last `/`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from genai_gate import __version__

if TYPE_CHECKING:
    from genai_gate.results import Finding, GateResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
DEFAULT_PATH = "genai-gate.yaml"
INFORMATION_URI = "https://github.com/genai-gate/genai-gate"
"""Where code-scanning users learn about the tool (SARIF `tool.driver.informationUri`)."""
FINGERPRINT_KEY = "genaiGate/v1"
LEVELS = {"error": "error", "warning": "warning", "note": "note"}


def category(gate: str) -> str:
    """The code-scanning category of a gate's SARIF run."""
    return f"genai-gate/{gate}"


def fingerprint(gate: str, finding: Finding) -> str:
    """sha256 over gate, rule, location and message: stable across runs of the same finding."""
    loc = finding.location
    key = [
        gate,
        finding.rule_id,
        loc.path if loc else "",
        str(loc.line if loc else ""),
        finding.message,
    ]
    return hashlib.sha256("\x1f".join(key).encode("utf-8")).hexdigest()


def _help(finding: Finding) -> dict[str, str]:
    name = finding.rule_name or finding.rule_id
    text = str(finding.properties.get("help") or f"{name}: {finding.message}")
    markdown = f"**{name}** (`{finding.rule_id}`)\n\n{text}"
    if finding.help_uri:
        text += f"\nSee {finding.help_uri}"
        markdown += f"\n\n[Documentation]({finding.help_uri})"
    return {"text": text, "markdown": markdown}


def _rule(finding: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": finding.rule_id,
        "name": finding.rule_name or finding.rule_id,
        "shortDescription": {"text": finding.rule_name or finding.rule_id},
        "fullDescription": {"text": str(finding.properties.get("help") or finding.message)},
        "help": _help(finding),
        "defaultConfiguration": {"level": LEVELS[finding.severity.value]},
    }
    if finding.help_uri:
        rule["helpUri"] = finding.help_uri
    tags = finding.properties.get("tags")
    if isinstance(tags, list) and all(isinstance(t, str) for t in tags):
        rule["properties"] = {"tags": sorted(set(tags))}
    return rule


def _location(finding: Finding, default_path: str) -> dict[str, Any]:
    loc = finding.location
    region: dict[str, int] = {"startLine": max(loc.line or 1, 1) if loc else 1}
    if loc and loc.column:
        region["startColumn"] = max(loc.column, 1)
    if loc and loc.end_line and loc.end_line >= region["startLine"]:
        region["endLine"] = loc.end_line
    return {
        "physicalLocation": {
            "artifactLocation": {
                "uri": (loc.path if loc else default_path).replace("\\", "/"),
                "uriBaseId": "%SRCROOT%",
            },
            "region": region,
        }
    }


def run(result: GateResult, default_path: str = DEFAULT_PATH) -> dict[str, Any]:
    """One SARIF run for one gate result."""
    rules: dict[str, dict[str, Any]] = {}
    for finding in result.findings:
        rules.setdefault(finding.rule_id, _rule(finding))
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    results = []
    for finding in result.findings:
        item: dict[str, Any] = {
            "ruleId": finding.rule_id,
            "ruleIndex": index[finding.rule_id],
            "level": LEVELS[finding.severity.value],
            "message": {"text": finding.message},
            "locations": [_location(finding, default_path)],
            "fingerprints": {FINGERPRINT_KEY: fingerprint(result.gate, finding)},
        }
        props = {k: v for k, v in finding.properties.items() if k not in ("help", "tags")}
        if props:
            item["properties"] = props
        results.append(item)
    invocation: dict[str, Any] = {"executionSuccessful": result.error is None}
    if result.error:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": result.error}}
        ]
    return {
        "tool": {
            "driver": {
                "name": category(result.gate),
                "version": result.tool_version or __version__,
                "informationUri": INFORMATION_URI,
                "rules": list(rules.values()),
            }
        },
        "automationDetails": {"id": category(result.gate) + "/"},
        "invocations": [invocation],
        "results": results,
        "properties": {"status": result.status.value, "incomplete": result.incomplete},
    }


def render_many(results: Sequence[GateResult], default_path: str = DEFAULT_PATH) -> str:
    """A SARIF log with one run per result."""
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [run(r, default_path) for r in results],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def render(result: GateResult, default_path: str = DEFAULT_PATH) -> str:
    """A SARIF log with the one run of `result`."""
    return render_many([result], default_path)
