"""The checkpoint as a plain dataclass: same lines as the files it reads, field-named errors,
and the same verdicts through `audit-log verify`."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from genai_gate.canonical import canonical_bytes
from genai_gate.gates.audit.checkpoint import Checkpoint

FIXTURE = Path(__file__).parent / "data" / "audit" / "signed-with-cryptography"


def fixture_lines() -> list[bytes]:
    return (FIXTURE / "checkpoints.jsonl").read_bytes().splitlines()


def test_parse_then_line_gives_back_the_signed_fixture_bytes() -> None:
    lines = fixture_lines()
    parsed = [Checkpoint.parse(json.loads(line)) for line in lines]
    assert [cp.line() for cp in parsed] == lines
    for before, after in itertools.pairwise(parsed):
        assert after.prev_checkpoint == before.digest()
    signed = json.loads(lines[0])
    del signed["signature"]
    assert parsed[0].signed_bytes() == canonical_bytes(signed)
    # the state file and proof documents keep the member order they had
    assert list(parsed[0].as_json()) == [
        "schema_version",
        "size",
        "head_hash",
        "root",
        "prev_checkpoint",
        "timestamp",
        "key_id",
        "algorithm",
        "signature",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"extra": 1}, "extra: unknown field"),
        ({"root": None}, "root: expected 64 lowercase hex digits, got None"),
        ({"size": True}, "size: expected an integer >= 0, got True"),
        ({"size": -1}, "size: expected an integer >= 0, got -1"),
        ({"size": "3"}, "size: expected an integer >= 0, got '3'"),
        ({"head_hash": "A" * 64}, "head_hash: expected 64 lowercase hex digits"),
        ({"key_id": "ab"}, "key_id: expected 16 to 64 lowercase hex digits, got 'ab'"),
        ({"algorithm": "none"}, "algorithm: expected ed25519 or hmac-sha256, got 'none'"),
        ({"algorithm": "hmac-sha256"}, "signature: hmac-sha256 signatures are 64 hex digits"),
        ({"schema_version": 3}, "schema_version: expected 1 or 2, got 3"),
        ({"timestamp": 5}, "timestamp: expected a string, got 5"),
    ],
)
def test_a_malformed_checkpoint_names_its_field(change: dict, message: str) -> None:
    raw = {**json.loads(fixture_lines()[0]), **change}
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
        Checkpoint.parse(raw)


def test_missing_member_is_named_and_defaults_are_the_format_s() -> None:
    raw = json.loads(fixture_lines()[0])
    del raw["signature"]
    with pytest.raises(ValueError, match=r"^signature: field required$"):
        Checkpoint.parse(raw)
    full = json.loads(fixture_lines()[0])
    short = {k: v for k, v in full.items() if k not in ("schema_version", "algorithm")}
    assert Checkpoint.parse(short).line() == fixture_lines()[0]
