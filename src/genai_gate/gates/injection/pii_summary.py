"""The typed summary and details of `pii-scan`: what was scanned and the personal data found, in
total and by type (each summary figure is an action output)."""

from __future__ import annotations

from pydantic import Field

from genai_gate.results import TypedDetails, TypedSummary


class PiiSummary(TypedSummary):
    """Key figures of a scan. pii-scan writes the first four always and a `<type>_count` only
    for the types found (one per type of `genai_gate.pii.PII_TYPES`)."""

    omit_absent = True

    findings: int | None = None
    """Items of personal data found (all of them, also those past `--max-findings`)."""
    files: int | None = None
    """Files scanned."""
    skipped_binary: int | None = None
    """Files found in the folders given but skipped: binary or not UTF-8."""
    bytes: int | None = None
    """Bytes scanned."""
    email_count: int | None = None
    """E-mail addresses found."""
    iban_count: int | None = None
    """IBANs found (mod-97 confirmed, and the CCC check digits of Spanish ones)."""
    card_count: int | None = None
    """Payment card numbers found (Luhn, issuer prefix and length confirmed)."""
    es_nie_count: int | None = None
    """Spanish NIEs found (control letter confirmed)."""
    es_cif_count: int | None = None
    """Spanish CIFs found (control character confirmed)."""
    es_dni_count: int | None = None
    """Spanish DNIs found (control letter confirmed)."""
    us_ssn_count: int | None = None
    """US social security numbers found (in the ranges ever issued)."""
    phone_count: int | None = None
    """Phone numbers found (valid for their region)."""


class PiiDetails(TypedDetails):
    """Details of a scan; the keys not declared here pass untyped."""

    listed: int | None = None
    """Findings listed in the results (at most `--max-findings`)."""
    by_type: dict[str, int] = Field(default_factory=dict)
    """Items found by type (`email`, `iban`, ...), the types found only."""
