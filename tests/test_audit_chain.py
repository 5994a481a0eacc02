"""Audit log integrity: Merkle tree, hash chain, checkpoints, and every kind of tampering."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from genai_gate.canonical import (
    canonical_bytes,
    digest_without,
    parse_self_hashed,
    self_hashed,
)
from genai_gate.errors import ConfigError, UsageError
from genai_gate.gates.audit import chain, merkle, store_ops
from genai_gate.gates.audit.keys import Keyring, SigningKey
from genai_gate.gates.audit.proof import check_proof
from genai_gate.gates.audit.stores.local import LocalStore

KEY_ENV = "TEST_AUDIT_KEY"


def draft(i: int) -> dict:
    return {
        "timestamp": f"2026-11-{1 + i % 28:02d}T10:00:00Z",
        "event": "deploy",
        "deployment_id": f"run-{i}",
        "environment": "production",
        "version": f"1.{i}.0",
        "git_sha": hashlib.sha1(str(i).encode()).hexdigest(),
        "deployer": "alice",
        "manifest": {"code_sha": hashlib.sha1(str(i).encode()).hexdigest()},
        "success": True,
        "traffic_percent": 100,
    }


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> SigningKey:
    monkeypatch.setenv(KEY_ENV, "fe14010b4fe83303852f0467c919ef9a7ca089b91e96e3aad7d426dd87079297")
    return SigningKey.from_env(KEY_ENV)


@pytest.fixture
def store(tmp_path: Path, key: SigningKey) -> LocalStore:
    store = LocalStore(tmp_path / "audit")
    for i in range(8):
        store_ops.append(store, [draft(i)], key)
    return store


def lines(store: LocalStore) -> list[bytes]:
    return store.log_path.read_bytes().splitlines()


def write_lines(store: LocalStore, new: list[bytes]) -> None:
    store.log_path.write_bytes(b"".join(line + b"\n" for line in new))


def problems(store: LocalStore, key: SigningKey | None) -> list[chain.Problem]:
    return store_ops.verify(store, Keyring.of(key) if key else None).scan.problems


def rehash(raw: dict) -> bytes:
    raw = dict(raw)
    raw["hash"] = digest_without(raw, "hash")
    return canonical_bytes(raw)


def _mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 definition, recursively (reference for the iterative implementation)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return merkle.node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


def test_merkle_root_and_every_inclusion_proof_match_rfc6962() -> None:
    for size in range(1, 40):
        leaves = [merkle.leaf_hash(bytes([i])) for i in range(size)]
        assert merkle.root(leaves) == _mth(leaves)
        for index in range(size):
            path = merkle.inclusion_path(leaves, index)
            assert merkle.root_from_path(leaves[index], index, size, path) == _mth(leaves)
            other = merkle.leaf_hash(b"other")
            assert merkle.root_from_path(other, index, size, path) != _mth(leaves)


def test_rfc6962_known_answer() -> None:
    # Empty tree hash and a one-leaf tree of the empty string (RFC 6962 / CT test vectors).
    assert merkle.root([]).hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    assert merkle.root([merkle.leaf_hash(b"")]).hex() == (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )


def test_intact_log_verifies_and_records_are_canonical(store: LocalStore, key: SigningKey) -> None:
    assert problems(store, key) == []
    first = json.loads(lines(store)[0])
    assert first["seq"] == 0 and first["prev"] == "0" * 64
    assert (
        first["hash"]
        == hashlib.sha256(
            canonical_bytes({k: v for k, v in first.items() if k != "hash"})
        ).hexdigest()
    )
    assert len(store.checkpoints_path.read_bytes().splitlines()) == 8


def test_modified_record_is_named(store: LocalStore, key: SigningKey) -> None:
    rows = lines(store)
    raw = json.loads(rows[3])
    raw["deployer"] = "mallory"
    rows[3] = canonical_bytes(raw)
    write_lines(store, rows)
    found = problems(store, key)
    assert [(p.kind, p.seq, p.line) for p in found if p.file == chain.LOG_FILE] == [
        ("modified", 3, 4)
    ]
    assert "record seq 3: content modified" in found[0].message


def test_modified_and_rehashed_record_breaks_next_prev_and_checkpoints(
    store: LocalStore, key: SigningKey
) -> None:
    rows = lines(store)
    raw = json.loads(rows[3])
    raw["version"] = "9.9.9"
    rows[3] = rehash(raw)
    write_lines(store, rows)
    found = problems(store, key)
    kinds = {(p.kind, p.seq) for p in found}
    assert ("forged-prev", 4) in kinds
    assert any(p.kind == "checkpoint-mismatch" and "records seq 3..3" in p.message for p in found)


def test_deleted_record_is_named(store: LocalStore, key: SigningKey) -> None:
    rows = lines(store)
    del rows[5]
    write_lines(store, rows)
    found = problems(store, key)
    deleted = [p for p in found if p.kind == "deleted"]
    assert len(deleted) == 1 and "seq 5 deleted" in deleted[0].message and deleted[0].line == 6
    assert any(p.kind == "forged-prev" and p.seq == 6 for p in found)


def test_reordered_records_are_named(store: LocalStore, key: SigningKey) -> None:
    rows = lines(store)
    rows[2], rows[3] = rows[3], rows[2]
    write_lines(store, rows)
    found = problems(store, key)
    reordered = [(p.seq, p.line) for p in found if p.kind == "reordered"]
    assert reordered == [(3, 3), (2, 4)]


def test_forged_prev_is_named(store: LocalStore, key: SigningKey) -> None:
    rows = lines(store)
    raw = json.loads(rows[6])
    raw["prev"] = "f" * 64
    rows[6] = rehash(raw)
    write_lines(store, rows)
    found = problems(store, key)
    forged = [p for p in found if p.kind == "forged-prev"]
    assert forged[0].seq == 6 and "prev does not match the hash of the record before it" in (
        forged[0].message
    )


def test_truncation_passes_chain_check_but_fails_against_checkpoint(
    store: LocalStore, key: SigningKey
) -> None:
    write_lines(store, lines(store)[:6])
    assert problems(store, None) == []  # the chain alone cannot see it
    found = problems(store, key)
    assert [p.kind for p in found] == ["truncated"]
    assert "covers 8 records but the log holds 6; records seq 6..7 are missing" in found[0].message


def test_records_appended_without_a_checkpoint_are_uncovered(
    store: LocalStore, key: SigningKey
) -> None:
    rows = lines(store)
    extra = draft(8) | {"seq": 8, "prev": json.loads(rows[-1])["hash"], "hash": ""}
    write_lines(store, [*rows, rehash(extra)])
    found = problems(store, key)
    assert [(p.kind, p.seq) for p in found] == [("uncovered", 8)]


def test_forged_checkpoint_signature(store: LocalStore, key: SigningKey, monkeypatch) -> None:
    monkeypatch.setenv(
        "OTHER_KEY", "d9298a10d1b0735837dc4bd85dac641b0f3cef27a47e5d53a54f2f3f5b2fcffa"
    )
    assert {p.kind for p in problems(store, SigningKey.from_env("OTHER_KEY"))} == {
        "checkpoint-unknown-key"
    }


def test_corrupt_unknown_field_and_half_written_lines(store: LocalStore, key: SigningKey) -> None:
    rows = lines(store)
    raw = json.loads(rows[1])
    raw["favourite_colour"] = "blue"
    rows[1] = rehash(raw)
    rows[4] = b'{"seq": 4, "broken'
    store.log_path.write_bytes(b"".join(r + b"\n" for r in rows) + b'{"seq": 8')
    found = problems(store, key)
    assert ("unknown-field", 2) in {(p.kind, p.line) for p in found}
    assert any("unknown field 'favourite_colour'" in p.message for p in found)
    assert ("corrupt", 5) in {(p.kind, p.line) for p in found}
    assert any(p.kind == "corrupt" and "half-written" in p.message for p in found)


def test_append_to_a_tampered_log_is_refused_and_writes_nothing(
    store: LocalStore, key: SigningKey
) -> None:
    rows = lines(store)
    rows[2] = rows[2].replace(b'"alice"', b'"mallory"')
    write_lines(store, rows)
    before = (store.log_path.read_bytes(), store.checkpoints_path.read_bytes())
    with pytest.raises(store_ops.IntegrityFailure) as info:
        store_ops.append(store, [draft(9)], key)
    assert info.value.problems[0].seq == 2
    assert (store.log_path.read_bytes(), store.checkpoints_path.read_bytes()) == before
    assert not [p for p in store.folder.iterdir() if p.name.endswith(".tmp")]


def test_invalid_draft_is_rejected_before_anything_is_written(
    store: LocalStore, key: SigningKey
) -> None:
    before = store.log_path.read_bytes()
    with pytest.raises(ConfigError, match=r"^record: unknown_field: unknown field$"):
        store_ops.append(store, [draft(9) | {"unknown_field": 1}], key)
    assert store.log_path.read_bytes() == before


def test_missing_or_short_signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_SUCH_KEY", raising=False)
    with pytest.raises(UsageError, match="set the environment variable NO_SUCH_KEY"):
        SigningKey.from_env("NO_SUCH_KEY")
    monkeypatch.setenv("SHORT_KEY", "an-hmac-secret-of-an-earlier-version")
    with pytest.raises(UsageError, match="not an Ed25519 private key"):
        SigningKey.from_env("SHORT_KEY")


def test_inclusion_proof_checks_alone_and_detects_tampering(
    store: LocalStore, key: SigningKey
) -> None:
    ring = Keyring.of(key)
    for seq in range(8):
        proof = json.loads(json.dumps(store_ops.inclusion_proof(store, ring, seq)))
        assert all(c.ok for c in check_proof(proof, Keyring.of(key))), seq
    proof = json.loads(json.dumps(store_ops.inclusion_proof(store, ring, 5)))
    proof["record"]["deployer"] = "mallory"
    assert [c.name for c in check_proof(proof, Keyring.of(key)) if c.ok is False] == ["record hash"]
    proof = json.loads(json.dumps(store_ops.inclusion_proof(store, ring, 5)))
    proof["audit_path"][0] = "00" * 32
    assert [c.name for c in check_proof(proof, Keyring.of(key)) if c.ok is False] == ["audit path"]
    proof = json.loads(json.dumps(store_ops.inclusion_proof(store, ring, 5)))
    proof["checkpoint"]["root"] = proof["checkpoint"]["root"][::-1]
    failed = {c.name for c in check_proof(proof, Keyring.of(key)) if c.ok is False}
    assert failed == {"audit path", "checkpoint signature"}


def test_fast_canonical_json_equals_the_rfc8785_reference() -> None:
    import random

    import rfc8785

    rng = random.Random(7)
    alphabet = 'aZ09 _-"\\/\n\t\x00\x1f\x7fé€😀\u2028\ud7ff\ue000'
    floats = [0.1, 0.93, 1e-7, 1e21, -0.0, 100.0, 2.5e-5, 1e16, 3.0e15, 5e-324, 1.5e300]

    def value(depth: int = 0):
        kind = rng.randrange(7 if depth < 4 else 4)
        if kind == 0:
            return "".join(rng.choice(alphabet) for _ in range(rng.randrange(6)))
        if kind == 1:
            return rng.choice([rng.randrange(-1000, 1000), 2**53 + 1, -(2**60)])
        if kind == 2:
            return rng.choice([*floats, rng.random() * 10 ** rng.randrange(-9, 25)])
        if kind == 3:
            return rng.choice([True, False, None])
        if kind in (4, 5):
            return {
                "".join(rng.choice(alphabet) for _ in range(rng.randrange(4))): value(depth + 1)
                for _ in range(rng.randrange(5))
            }
        return [value(depth + 1) for _ in range(rng.randrange(5))]

    compared = 0
    for _ in range(5000):
        item = value()
        try:
            expected = rfc8785.dumps(item)
        except rfc8785.CanonicalizationError:
            continue
        assert canonical_bytes(item) == expected, item
        compared += 1
        if isinstance(item, dict):  # the self-hash helpers against the reference
            rest = {k: v for k, v in item.items() if k != "hash"}
            digest = hashlib.sha256(rfc8785.dumps(rest)).hexdigest()
            line = rfc8785.dumps({**rest, "hash": digest})
            assert self_hashed(item, "hash") == (digest, line), item
            _, canonical, parsed_digest = parse_self_hashed(line, "hash")
            assert (canonical, parsed_digest) == (True, digest), item
            loose = json.dumps({**rest, "hash": digest}, ensure_ascii=False).encode()
            if loose != line:
                assert parse_self_hashed(loose, "hash")[1:] == (False, digest), item
    assert compared > 3000


LIBRARY_APPEND = """
import json, sys
from pathlib import Path
from genai_gate.gates.audit import store_ops
from genai_gate.gates.audit.keys import SigningKey
from genai_gate.gates.audit.stores.local import LocalStore
for _ in range(2):  # the first append scans the empty folder, the second uses the cached tip
    done = store_ops.append(LocalStore(Path(sys.argv[1])), [json.loads(sys.argv[2])],
                            SigningKey.parse(sys.argv[3], "test"))
print(json.dumps({"seq": done.records[-1]["seq"], "pydantic": "pydantic" in sys.modules}))
"""


def test_a_library_append_imports_no_pydantic(tmp_path: Path) -> None:
    """The append path validates records with `record_check`, not the pydantic models."""
    key = hashlib.sha256(b"library").hexdigest()
    done = subprocess.run(
        [sys.executable, "-c", LIBRARY_APPEND, str(tmp_path / "log"), json.dumps(draft(0)), key],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(done.stdout) == {"seq": 1, "pydantic": False}
