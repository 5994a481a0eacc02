"""The four-step severity scale of security findings, and how it maps onto SARIF."""

from __future__ import annotations

from enum import Enum

from genai_gate.results import Severity


class Level(str, Enum):
    """Severity of a security finding, ordered low < medium < high < critical."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for low up to 3 for critical."""
        return list(Level).index(self)

    def at_least(self, threshold: Level) -> bool:
        """True when this severity is `threshold` or worse."""
        return self.rank >= threshold.rank

    @property
    def sarif_level(self) -> Severity:
        """SARIF result level: critical and high are errors, medium a warning, low a note."""
        return _SARIF_LEVEL[self]

    @property
    def security_severity(self) -> str:
        """GitHub code scanning's numeric `security-severity` (CVSS-like, 0.1-10.0)."""
        return _SECURITY_SEVERITY[self]


_SARIF_LEVEL = {
    Level.LOW: Severity.NOTE,
    Level.MEDIUM: Severity.WARNING,
    Level.HIGH: Severity.ERROR,
    Level.CRITICAL: Severity.ERROR,
}
_SECURITY_SEVERITY = {
    Level.LOW: "2.0",
    Level.MEDIUM: "5.5",
    Level.HIGH: "8.0",
    Level.CRITICAL: "9.5",
}
