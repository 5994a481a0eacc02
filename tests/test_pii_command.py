"""`genai-gate pii-scan`: type, FILE:LINE:COL and masked value of findings, never the raw one."""

from __future__ import annotations

from pathlib import Path

import pytest

from genai_gate.cli import main
from genai_gate.results import GateResult, Status

RAW_VALUES = [
    "12345678Z",
    "ES91 2100 0418 4502 0005 1332",
    "4111 1111 1111 1111",
    "a.b@example.com",
]


def scan(tmp_path: Path, *args: str) -> tuple[int, GateResult | None]:
    out = tmp_path / "results"
    code = main(["pii-scan", *args, "--results-dir", str(out), "--format", "json"])
    path = out / "pii-scan.json"
    return code, GateResult.read(path) if path.exists() else None


def test_findings_have_type_location_and_masked_value(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text(
        "Ticket 1: nothing here, order 48213377 of 2024-03-15.\n"
        "Cliente con DNI 12345678Z e IBAN ES91 2100 0418 4502 0005 1332.\n"
        "Card 4111 1111 1111 1111, mail a.b@example.com, tarjeta 4111 1111 1111 1112.\n",
        encoding="utf-8",
    )
    code, result = scan(tmp_path, str(notes))
    assert code == 1 and result is not None and result.status is Status.FAIL
    found = [
        (f.properties["type"], f.location.line, f.location.column, f.properties["masked"])
        for f in result.findings
        if f.location
    ]
    assert found == [
        ("es_dni", 2, 17, "*******8Z"),
        ("iban", 2, 34, "**** **** **** **** **** 1332"),
        ("card", 3, 6, "**** **** **** 1111"),
        ("email", 3, 32, "a***@***.com"),
    ]
    raw = (tmp_path / "results" / "pii-scan.json").read_text(encoding="utf-8")
    for value in RAW_VALUES:
        assert value not in raw
    assert result.summary["findings"] == 4 and result.summary["files"] == 1


def test_folders_are_scanned_recursively_and_binary_files_skipped(tmp_path: Path) -> None:
    root = tmp_path / "data"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "results.json").write_text('{"answer": "IBAN ES9121000418450200051332"}\n')
    (root / "clean.md").write_text("# Nothing personal\n")
    (root / "blob.bin").write_bytes(b"\x00\x01 12345678Z")
    code, result = scan(tmp_path, str(root))
    assert code == 1 and result is not None
    assert result.summary["files"] == 2 and result.summary["skipped_binary"] == 1
    assert [f.rule_id for f in result.findings] == ["pii/iban"]
    assert result.findings[0].location.path.endswith("results.json")


def test_clean_file_passes_and_type_filter(tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_text("call +34 612 345 678 tomorrow\n", encoding="utf-8")
    code, result = scan(tmp_path, str(text), "--type", "email")
    assert code == 0 and result is not None and result.status is Status.PASS
    code, result = scan(tmp_path, str(text), "--type", "phone")
    assert code == 1 and result is not None and result.findings[0].rule_id == "pii/phone"


def test_unknown_region_is_a_usage_error(tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_text("x\n", encoding="utf-8")
    assert scan(tmp_path, str(text), "--region", "XX")[0] == 2


@pytest.mark.parametrize("kind", ["missing", "binary"])
def test_bad_explicit_paths_exit_2(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.bin"
    if kind == "binary":
        path.write_bytes(b"\x00\xff")
    code, _ = scan(tmp_path, str(path))
    assert code == 2
