"""CVSS v3 base scores of OSV records, checked against the `cvss` library (Red Hat's) as oracle."""

from __future__ import annotations

import itertools

import pytest
from cvss import CVSS3

from genai_gate.gates.security.osv_severity import (
    api_base,
    cvss3_base_score,
    qualitative,
    record_severity,
)
from genai_gate.gates.security.severity import Level

METRICS = {
    "AV": "NALP",
    "AC": "LH",
    "PR": "NLH",
    "UI": "NR",
    "S": "UC",
    "C": "HLN",
    "I": "HLN",
    "A": "HLN",
}


def test_every_cvss31_base_vector_scores_as_the_reference_library() -> None:
    names = list(METRICS)
    checked = 0
    for values in itertools.product(*METRICS.values()):
        vector = "CVSS:3.1/" + "/".join(f"{n}:{v}" for n, v in zip(names, values, strict=True))
        oracle = CVSS3(vector)
        assert cvss3_base_score(vector) == float(oracle.base_score), vector
        expected = oracle.severities()[0].lower()
        got = qualitative(cvss3_base_score(vector))
        assert (got.value if got else "none") == expected, vector
        checked += 1
    assert checked == 4 * 2 * 3 * 2 * 2 * 3 * 3 * 3


def test_bad_vectors_are_rejected() -> None:
    with pytest.raises(ValueError, match="not a CVSS v3 vector"):
        cvss3_base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
    with pytest.raises(ValueError, match="bad or missing 'UI'"):
        cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/S:U/C:H/I:N/A:N")


def test_record_severity_prefers_the_database_rating_and_skips_v4_only_records() -> None:
    v31 = {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}
    rated = record_severity(
        {"id": "X", "severity": [v31], "database_specific": {"severity": "LOW"}}
    )
    assert rated is not None and rated.level is Level.LOW
    rated = record_severity({"id": "X", "severity": [v31]})
    assert rated is not None and rated.level is Level.CRITICAL and rated.source.endswith("= 9.8")
    v4 = {
        "type": "CVSS_V4",
        "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    }
    assert record_severity({"id": "X", "severity": [v4]}) is None


def test_api_base_of_the_query_url() -> None:
    assert api_base(None) == "https://api.osv.dev"
    assert api_base("http://127.0.0.1:8080/v1/query") == "http://127.0.0.1:8080"
    assert api_base("https://osv.example/mirror/v1/query/") == "https://osv.example/mirror"
