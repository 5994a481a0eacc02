"""JUnit XML renderer: cases become testcases; a gate without cases reports its findings.

Status mapping: fail and flaky -> `<failure>` (flaky with type="flaky": fail closed, unless the
gate marked the case `details["counts_as_pass"] = True`, then it passes with a note in
`<system-out>`), error -> `<error>`, skipped -> `<skipped>`. Without cases, each error finding
is a failing testcase and each warning or note a passing one with the message in
`<system-out>`; a gate with neither gets one testcase carrying the gate's own status. A gate
that could not run adds an `<error>` case.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from typing import TYPE_CHECKING

from genai_gate.report.sections import evidence, location_text, status_text
from genai_gate.report.text import xml_safe
from genai_gate.results import Status

if TYPE_CHECKING:
    from genai_gate.results import CaseResult, Finding, GateResult

ELEMENT = {
    Status.FAIL: "failure",
    Status.FLAKY: "failure",
    Status.ERROR: "error",
    Status.SKIPPED: "skipped",
}


def _case(
    classname: str, name: str, status: Status, message: str, seconds: float | None, output: str = ""
) -> ET.Element:
    element = ET.Element("testcase", classname=classname, name=xml_safe(name))
    element.set("time", f"{seconds or 0.0:.3f}")
    tag = ELEMENT.get(status)
    if tag:
        child = ET.SubElement(element, tag, message=xml_safe(message[:1000]))
        if tag != "skipped":
            child.set("type", status.value)
            child.text = xml_safe(message)
    if output:
        ET.SubElement(element, "system-out").text = xml_safe(output)
    return element


def _from_case(classname: str, case: CaseResult) -> ET.Element:
    seconds = case.latency_ms / 1000 if case.latency_ms is not None else None
    score = f"score {case.score:.4g}: " if case.score is not None else ""
    if case.status is Status.FLAKY and case.details.get("counts_as_pass") is True:
        note = f"flaky, counts as pass under the gate's policy: {score}{case.reason}"
        return _case(classname, case.id, Status.PASS, "", seconds, note)
    regression = "regressed: " if status_text(case) != case.status.value else ""
    message = regression + score + case.reason
    element = _case(classname, case.id, case.status, message, seconds)
    body = "\n".join([message, *(f"{label}: {text}" for label, text in evidence(case))])
    for child in element:
        if child.tag in {"failure", "error"}:
            child.text = xml_safe(body)
    source = str(case.details.get("source") or "")
    path, _, line = source.rpartition(":")
    if line.isdigit():
        element.set("file", xml_safe(path))
        element.set("line", line)
    return element


def _from_finding(classname: str, finding: Finding) -> ET.Element:
    name = f"{finding.rule_id} {location_text(finding)}"
    if finding.severity.value == "error":
        return _case(classname, name, Status.FAIL, finding.message, None)
    return _case(
        classname, name, Status.PASS, "", None, f"{finding.severity.value}: {finding.message}"
    )


def testcases(result: GateResult) -> list[ET.Element]:
    """The testcase elements of one result."""
    classname = f"genai-gate.{result.gate}"
    if result.cases:
        cases = [_from_case(classname, c) for c in result.cases]
    elif result.findings:
        cases = [_from_finding(classname, f) for f in result.findings]
    elif result.status is not Status.ERROR:
        cases = [_case(classname, result.gate, result.status, result.title, None)]
    else:
        cases = []
    if result.status is Status.ERROR or result.incomplete:
        why = result.error or "the run did not cover everything it should have (incomplete)"
        cases.append(_case(classname, f"{result.gate} run", Status.ERROR, why, None))
    return cases


def suite(result: GateResult) -> ET.Element:
    """One `<testsuite>` for one result."""
    cases = testcases(result)
    counts = Counter(child.tag for case in cases for child in case if child.tag != "system-out")
    element = ET.Element(
        "testsuite",
        name=f"genai-gate.{result.gate}",
        tests=str(len(cases)),
        failures=str(counts["failure"]),
        errors=str(counts["error"]),
        skipped=str(counts["skipped"]),
    )
    if result.timings:
        element.set("time", f"{result.timings.duration_s:.3f}")
        element.set("timestamp", result.timings.started_at)
    if result.summary:
        props = ET.SubElement(element, "properties")
        for key, value in result.summary.items():
            ET.SubElement(props, "property", name=xml_safe(key), value=xml_safe(value))
    element.extend(cases)
    return element


def render(result: GateResult) -> str:
    """The result as a JUnit XML document (`<testsuites>` with one `<testsuite>`)."""
    inner = suite(result)
    root = ET.Element("testsuites", name="genai-gate")
    for attr in ("tests", "failures", "errors", "skipped", "time"):
        if attr in inner.attrib:
            root.set(attr, inner.attrib[attr])
    root.append(inner)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
