"""Find personal data in text or results files: ES DNI / NIE / CIF, IBAN, card numbers, US SSN,
phone numbers and email addresses.

Candidates found by regular expressions count only when their checksum validates (python-stdnum:
DNI / NIE / CIF control letters, IBAN mod 97 with the Spanish CCC check digits, Luhn plus issuer
prefix and length for cards, SSN ranges; phonenumbers for phone numbers). Each finding gives the
type, FILE:LINE:COLUMN and a masked value, never the raw value. Folders are scanned recursively
(binary files skipped). Exit 1 when anything is found.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from genai_gate.errors import ConfigError, UsageError
from genai_gate.options import GateOptions
from genai_gate.pii import PII_TYPES, LineIndex, find_pii

if TYPE_CHECKING:  # the run's modules are imported when it runs: `--help` stays fast
    from genai_gate.context import Context
    from genai_gate.results import GateResult

_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".genai-gate"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `genai-gate pii-scan`."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to scan")
    parser.add_argument(
        "--type",
        dest="types",
        action="append",
        choices=PII_TYPES,
        help="only this type; repeatable (default: all)",
    )
    parser.add_argument(
        "--region",
        dest="regions",
        action="append",
        metavar="CC",
        help="country tried for phone numbers without +prefix; repeatable (default: ES and US)",
    )
    parser.add_argument(
        "--max-findings",
        type=int,
        default=1000,
        metavar="N",
        help="list at most N findings (all are counted; default 1000)",
    )


@dataclass(frozen=True)
class Options(GateOptions):
    """Options of one pii-scan run."""

    paths: tuple[str, ...] = ()
    """Files or folders to scan."""
    types: tuple[str, ...] | None = None
    """Only these types (default: all)."""
    regions: tuple[str, ...] | None = None
    """Countries tried for phone numbers without +prefix (default: ES and US)."""
    max_findings: int = 1000
    """List at most this many findings (all are counted)."""


def _files(paths: Sequence[str]) -> list[tuple[Path, bool]]:
    """(file, named explicitly) for every path; folders expand to their files."""
    found: list[tuple[Path, bool]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not _SKIP_DIRS.intersection(child.parts):
                    found.append((child, False))
        elif path.exists():
            found.append((path, True))
        else:
            raise UsageError(f"pii-scan: {raw}: no such file or folder")
    return found


def run(options: Options, ctx: Context) -> GateResult:
    """Scan the paths and return one finding per item of personal data."""
    import phonenumbers

    from genai_gate.gates.injection.pii_summary import PiiDetails, PiiSummary
    from genai_gate.results import Finding, GateResult, Location, Severity, Status
    from genai_gate.yamlio import read_text

    del ctx  # needs no config
    regions = tuple(r.upper() for r in (options.regions or ["ES", "US"]))
    unknown = [r for r in regions if r not in phonenumbers.SUPPORTED_REGIONS]
    if unknown:
        raise UsageError(f"pii-scan: --region {unknown[0]}: not a known country code (e.g. ES)")
    findings: list[Finding] = []
    counts: Counter[str] = Counter()
    scanned = skipped = size = 0
    for path, explicit in _files(options.paths):
        try:
            text = read_text(path)
        except ConfigError:
            if explicit:
                raise
            skipped += 1
            continue
        scanned += 1
        size += len(text.encode("utf-8"))
        lines = LineIndex(text)
        for match in find_pii(text, regions=regions, types=options.types):
            counts[match.type] += 1
            if len(findings) >= options.max_findings:
                continue
            line, column = lines.position(match.start)
            findings.append(
                Finding(
                    rule_id=f"pii/{match.type}",
                    rule_name="Personal data",
                    severity=Severity.ERROR,
                    message=f"{match.type} found: {match.masked}",
                    location=Location(path=str(path), line=line, column=column),
                    properties={"type": match.type, "masked": match.masked},
                )
            )
    total = sum(counts.values())
    title = (
        f"{total} items of personal data in {scanned} files"
        if total
        else (f"no personal data in {scanned} files")
    )
    return GateResult(
        gate="pii-scan",
        status=Status.FAIL if total else Status.PASS,
        title=title,
        summary=PiiSummary(
            findings=total,
            files=scanned,
            skipped_binary=skipped,
            bytes=size,
            **{f"{kind}_count": counts[kind] or None for kind in PII_TYPES},
        ).as_dict(),
        findings=findings,
        details=PiiDetails(listed=len(findings), by_type=dict(counts)).as_dict(),
    )
