"""Severity of an OSV vulnerability, which pip-audit does not report.

`GET <OSV>/v1/vulns/<id>` returns the OSV record; its severity is, in this order of trust:
`database_specific.severity` (GitHub advisories: LOW, MODERATE, HIGH, CRITICAL), else the
CVSS v3 base score of `severity[].score` (qualitative scale of CVSS v3.1: 0.1-3.9 low,
4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical). A record without either, or with only a
CVSS v4 vector, has no usable severity: the caller counts it as critical (fail closed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from genai_gate.errors import InfraError
from genai_gate.gates.security.severity import Level

DEFAULT_OSV_API = "https://api.osv.dev"
TIMEOUT_S = 10
DATABASE_SEVERITY = {
    "LOW": Level.LOW,
    "MODERATE": Level.MEDIUM,
    "MEDIUM": Level.MEDIUM,
    "HIGH": Level.HIGH,
    "CRITICAL": Level.CRITICAL,
}

_WEIGHTS: dict[str, dict[str, float]] = {
    "AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
    "AC": {"L": 0.77, "H": 0.44},
    "UI": {"N": 0.85, "R": 0.62},
    "C": {"H": 0.56, "L": 0.22, "N": 0.0},
    "I": {"H": 0.56, "L": 0.22, "N": 0.0},
    "A": {"H": 0.56, "L": 0.22, "N": 0.0},
}
_PRIVILEGES = {"U": {"N": 0.85, "L": 0.62, "H": 0.27}, "C": {"N": 0.85, "L": 0.68, "H": 0.5}}


def _roundup(value: float) -> float:
    """CVSS v3.1 Roundup: the smallest one-decimal number >= value, free of float noise."""
    scaled = round(value * 100_000)
    if scaled % 10_000 == 0:
        return scaled / 100_000
    return (math.floor(scaled / 10_000) + 1) / 10.0


def cvss3_base_score(vector: str) -> float:
    """Base score of a `CVSS:3.x/AV:../AC:../PR:../UI:../S:../C:../I:../A:..` vector."""
    parts = vector.split("/")
    if not parts[0].startswith("CVSS:3"):
        raise ValueError(f"not a CVSS v3 vector: {vector!r}")
    metrics = dict(part.split(":", 1) for part in parts[1:] if ":" in part)
    try:
        scope = metrics["S"]
        weights = {name: table[metrics[name]] for name, table in _WEIGHTS.items()}
        privileges = _PRIVILEGES[scope][metrics["PR"]]
    except KeyError as missing:
        raise ValueError(f"CVSS v3 vector {vector!r}: bad or missing {missing}") from None
    iss = 1 - (1 - weights["C"]) * (1 - weights["I"]) * (1 - weights["A"])
    changed = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15
    impact = 6.42 * iss if scope == "U" else changed
    exploitability = 8.22 * weights["AV"] * weights["AC"] * privileges * weights["UI"]
    if impact <= 0:
        return 0.0
    total = impact + exploitability if scope == "U" else 1.08 * (impact + exploitability)
    return _roundup(min(total, 10.0))


def qualitative(score: float) -> Level | None:
    """CVSS v3.1 qualitative rating of a base score (None for 0.0, "none")."""
    if score >= 9.0:
        return Level.CRITICAL
    if score >= 7.0:
        return Level.HIGH
    if score >= 4.0:
        return Level.MEDIUM
    if score > 0:
        return Level.LOW
    return None


@dataclass(frozen=True)
class RatedSeverity:
    """A severity and where it came from."""

    level: Level
    source: str
    """e.g. `GHSA-x84v-xcm2-53pg: database_specific.severity MODERATE`."""


def record_severity(record: dict[str, Any]) -> RatedSeverity | None:
    """The severity an OSV record states, or None when it states none we can use."""
    vuln_id = str(record.get("id", "?"))
    stated = str((record.get("database_specific") or {}).get("severity", "")).upper()
    if stated in DATABASE_SEVERITY:
        return RatedSeverity(
            DATABASE_SEVERITY[stated], f"{vuln_id}: database_specific.severity {stated}"
        )
    for entry in record.get("severity") or []:
        if entry.get("type") != "CVSS_V3":
            continue
        try:
            score = cvss3_base_score(str(entry.get("score", "")))
        except ValueError:
            continue
        level = qualitative(score)
        if level is not None:
            return RatedSeverity(level, f"{vuln_id}: {entry['score']} = {score}")
    return None


def api_base(query_url: str | None) -> str:
    """The OSV API root of a `.../v1/query` URL (the public API when None)."""
    if not query_url:
        return DEFAULT_OSV_API
    return query_url.rstrip("/").removesuffix("/query").removesuffix("/v1")


class OsvRecords:
    """`GET /v1/vulns/<id>` of one OSV service, each record fetched once."""

    def __init__(self, query_url: str | None, session: requests.Session | None = None) -> None:
        self.base = api_base(query_url)
        self.session = session or requests.Session()
        self._cache: dict[str, dict[str, Any] | None] = {}

    def get(self, vuln_id: str) -> dict[str, Any] | None:
        """The record of `vuln_id`, None when OSV does not know it; InfraError when unreachable."""
        if vuln_id not in self._cache:
            url = f"{self.base}/v1/vulns/{quote(vuln_id, safe='')}"
            try:
                response = self.session.get(url, timeout=TIMEOUT_S)
            except requests.RequestException as exc:
                raise InfraError(f"OSV unreachable at {url}: {type(exc).__name__}") from None
            if response.status_code == 404:
                self._cache[vuln_id] = None
            elif response.ok:
                try:
                    self._cache[vuln_id] = response.json()
                except ValueError:
                    raise InfraError(f"OSV answered {url} with something not JSON") from None
            else:
                raise InfraError(f"OSV answered HTTP {response.status_code} for {url}")
        return self._cache[vuln_id]

    def severity(self, ids: list[str]) -> RatedSeverity | None:
        """The first severity stated by the records of `ids` (the id, then its aliases)."""
        for vuln_id in ids:
            record = self.get(vuln_id)
            rated = record_severity(record) if record else None
            if rated is not None:
                return rated
        return None
