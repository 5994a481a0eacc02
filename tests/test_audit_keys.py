"""Ed25519 checkpoints through the CLI: keygen, public-key-only verify, rotation, forged keys,
legacy HMAC, and an independent verifier (tests/independent_audit_verifier.py) that must agree."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from independent_audit_verifier import verify as independent_verify
from support.audit_tamper import modify, rechain

from genai_gate.canonical import canonical_bytes
from genai_gate.cli import main
from genai_gate.gates.audit import store_ops
from genai_gate.gates.audit.keys import Keyring, SigningKey
from genai_gate.gates.audit.stores.local import LocalStore
from genai_gate.results import GateResult


def draft(i: int) -> dict:
    sha = hashlib.sha1(str(i).encode()).hexdigest()
    return {
        "timestamp": f"2026-11-{1 + i % 28:02d}T10:00:00Z",
        "event": "deploy",
        "deployment_id": f"run-{i}",
        "environment": "production",
        "version": f"1.{i}.0",
        "git_sha": sha,
        "deployer": "alice",
        "manifest": {"code_sha": sha},
        "success": True,
        "traffic_percent": 100,
    }


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("GENAI_GATE_AUDIT_KEY", "GENAI_GATE_AUDIT_PUBLIC_KEYS", "GENAI_GATE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def cli(*args: str) -> tuple[int, GateResult]:
    code = main(["audit-log", *args, "--format", "json", "--no-progress", "--results-dir", "out"])
    return code, GateResult.read(Path("out") / "audit-log.json")


def keygen(folder: str) -> tuple[SigningKey, Path]:
    code, result = cli("keygen", "--out-dir", folder)
    assert code == 0, result.title
    private = Path(folder) / "audit-signing-key.pem"
    assert private.stat().st_mode & 0o777 == 0o600
    key = SigningKey.parse(private.read_text(), str(private))
    assert result.summary["key_id"] == key.key_id
    return key, Path(folder) / "audit-public-key.pem"


def test_keygen_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key, _ = keygen("keys")
    assert main(["audit-log", "keygen", "--out-dir", "keys", "--format", "json"]) == 2
    assert "keys/audit-signing-key.pem: exists; pass --force to replace it" in (
        capsys.readouterr().err
    )
    assert SigningKey.parse((tmp_path / "keys/audit-signing-key.pem").read_text(), "k").key_id == (
        key.key_id
    )


def test_rotation_verifies_with_every_published_key_and_rejects_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, old_pub = keygen("old")
    new, new_pub = keygen("new")
    store = LocalStore(tmp_path / "audit")
    for i in range(3):
        store_ops.append(store, [draft(i)], old)
    monkeypatch.setenv("GENAI_GATE_AUDIT_KEY", new.private_pem().decode())
    record = ["--log-dir", "audit", "--event", "deploy", "--environment", "dev", "--version", "9"]
    both = ["--public-key", str(old_pub), "--public-key", str(new_pub)]
    code, result = cli("record", *record, "--sha", "a" * 40, "--public-key", str(new_pub))
    assert code == 1, "the new key alone must not accept the old checkpoints"
    assert "not a published key" in result.findings[0].message
    code, result = cli("record", *record, "--sha", "a" * 40, *both)
    assert code == 0, result.title
    code, result = cli("verify", "--log-dir", "audit", *both)
    assert code == 0 and result.title.startswith("chain and checkpoints intact: 4 records")
    code, result = cli("verify", "--log-dir", "audit", "--public-key", str(new_pub))
    assert code == 1
    assert {f.rule_id for f in result.findings} == {"audit/checkpoint-unknown-key"}
    assert "checkpoint size 1: signed by key " + old.key_id[:16] in result.findings[0].message
    # a signing key that is not published is refused before anything is written
    rogue, _ = keygen("rogue")
    monkeypatch.setenv("GENAI_GATE_AUDIT_KEY", rogue.private_pem().decode())
    assert cli("record", *record, "--sha", "a" * 40, *both)[0] == 2
    keys = [load_pem_public_key(p.read_bytes()) for p in (old_pub, new_pub)]
    assert independent_verify(tmp_path / "audit", keys) == []  # type: ignore[arg-type]


def test_history_rewritten_with_a_forged_key_is_rejected(tmp_path: Path) -> None:
    real, real_pub = keygen("real")
    forger = SigningKey.generate()
    store = LocalStore(tmp_path / "audit")
    for i in range(4):
        store_ops.append(store, [draft(i)], real)
    forged = LocalStore(tmp_path / "forged")
    for i in range(4):
        store_ops.append(
            forged, [draft(i) | {"deployer": "mallory"} if i == 2 else draft(i)], forger
        )
    for name in ("audit.jsonl", "checkpoints.jsonl"):
        (tmp_path / "audit" / name).write_bytes((tmp_path / "forged" / name).read_bytes())
    code, result = cli("verify", "--log-dir", "audit", "--public-key", str(real_pub))
    assert code == 1
    assert result.findings[0].rule_id == "audit/checkpoint-unknown-key"
    assert "checkpoint size 1: signed by key " + forger.key_id[:16] in result.findings[0].message


def test_algorithm_is_verified_and_legacy_hmac_is_only_legacy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, pub = keygen("keys")
    store = LocalStore(tmp_path / "audit")
    store_ops.append(store, [draft(0)], key)
    path = store.checkpoints_path
    cp = json.loads(path.read_bytes())
    # an Ed25519 signature relabelled as HMAC does not parse; `none` is no algorithm
    for algorithm in ("hmac-sha256", "none"):
        path.write_bytes(canonical_bytes({**cp, "algorithm": algorithm}) + b"\n")
        code, result = cli("verify", "--log-dir", "audit", "--public-key", str(pub))
        assert code == 1 and result.findings[0].rule_id == "audit/checkpoint-corrupt"
    secret = b"an-hmac-secret-of-version-0.1"
    legacy = {**cp, "schema_version": 1, "algorithm": "hmac-sha256", "key_id": "ab" * 8}
    legacy.pop("signature")
    legacy["signature"] = hmac.new(secret, canonical_bytes(legacy), hashlib.sha256).hexdigest()
    path.write_bytes(canonical_bytes(legacy) + b"\n")
    code, result = cli("verify", "--log-dir", "audit", "--public-key", str(pub))
    assert code == 1 and result.findings[0].rule_id == "audit/checkpoint-legacy"
    assert "only its shared secret can check it" in result.findings[0].message
    (tmp_path / "genai-gate.yaml").write_text(
        "version: 1\nproject: p\naudit:\n  legacy_hmac_key_env: OLD_KEY\n"
        "  public_keys: [keys/audit-public-key.pem]\n  store: {path: audit}\n"
    )
    monkeypatch.setenv("OLD_KEY", secret.decode())
    code, result = cli("verify")
    assert code == 0, result.title
    monkeypatch.setenv("OLD_KEY", "another-secret-entirely")
    code, result = cli("verify")
    assert code == 1 and "bad legacy HMAC-SHA256 signature" in result.findings[0].message


def _forge_insert(lines: list[bytes]) -> list[bytes]:
    forged = json.loads(lines[1])
    forged["version"] = "6.6.6"
    return rechain([*lines[:2], canonical_bytes(forged), *lines[2:]], 2)


TAMPERS: dict[str, Callable[[list[bytes]], list[bytes]]] = {
    "intact": lambda lines: lines,
    "modify": modify,
    "delete": lambda lines: lines[:3] + lines[4:],
    "reorder": lambda lines: [lines[0], lines[2], lines[1], *lines[3:]],
    "insert-forged-rechained": _forge_insert,
    "rechain-after-modify": lambda lines: rechain(modify(lines), 2),
    "truncate-tail": lambda lines: lines[:-2],
    "duplicate": lambda lines: [*lines, lines[-1]],
}


@pytest.mark.parametrize("tamper", sorted(TAMPERS))
def test_independent_verifier_agrees(tmp_path: Path, tamper: str) -> None:
    key, pub = keygen("keys")
    store = LocalStore(tmp_path / "audit")
    for i in range(6):
        store_ops.append(store, [draft(i)], key)
    lines = store.log_path.read_bytes().splitlines()
    store.log_path.write_bytes(b"".join(line + b"\n" for line in TAMPERS[tamper](lines)))
    code, result = cli("verify", "--log-dir", "audit", "--public-key", str(pub))
    theirs = independent_verify(tmp_path / "audit", [load_pem_public_key(pub.read_bytes())])  # type: ignore[list-item]
    assert (code == 0) == (theirs == []), (tamper, result.title, theirs)
    assert (code == 0) == (tamper == "intact"), result.title
    if tamper == "truncate-tail":
        assert "audit/truncated" in {f.rule_id for f in result.findings}


def test_independent_verifier_agrees_with_keyring(tmp_path: Path) -> None:
    key = SigningKey.generate()
    store = LocalStore(tmp_path / "audit")
    store_ops.append(store, [draft(0), draft(1)], key)
    ours = store_ops.verify(store, Keyring.of(key)).scan.problems
    assert ours == [] and independent_verify(tmp_path / "audit", [key.public]) == []
    other = SigningKey.generate()
    assert store_ops.verify(store, Keyring.of(other)).scan.problems
    assert independent_verify(tmp_path / "audit", [other.public])
