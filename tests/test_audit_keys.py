"""Ed25519 checkpoints through the CLI: keygen, public-key-only verify, rotation, forged keys,
legacy HMAC, and an independent verifier (tests/independent_audit_verifier.py) that must agree.

`cryptography` (OpenSSL) is the oracle of the key formats and signatures: genai-gate signs with
PyNaCl (libsodium) and reads and writes PKCS#8 / SubjectPublicKeyInfo PEM itself (RFC 8410)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, x25519
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from independent_audit_verifier import verify as independent_verify
from support.audit_tamper import modify, rechain

from genai_gate.canonical import canonical_bytes
from genai_gate.cli import main
from genai_gate.errors import UsageError
from genai_gate.gates.audit import store_ops
from genai_gate.gates.audit.keys import (
    Keyring,
    PublicKey,
    SigningKey,
    parse_public_keys,
    public_pem,
)
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
    theirs = [load_pem_public_key(public_pem(k.public)) for k in (key, SigningKey.generate())]
    assert ours == [] and independent_verify(tmp_path / "audit", theirs[:1]) == []  # type: ignore[arg-type]
    other = SigningKey.generate()
    assert store_ops.verify(store, Keyring.of(other)).scan.problems
    assert independent_verify(tmp_path / "audit", theirs[1:])  # type: ignore[arg-type]


PEM, PKCS8, SPKI = (
    serialization.Encoding.PEM,
    serialization.PrivateFormat.PKCS8,
    serialization.PublicFormat.SubjectPublicKeyInfo,
)
UNENCRYPTED = serialization.NoEncryption()


def oracle_pems(private: Ed25519PrivateKey) -> tuple[bytes, bytes]:
    return (
        private.private_bytes(PEM, PKCS8, UNENCRYPTED),
        private.public_key().public_bytes(PEM, SPKI),
    )


def test_pem_files_are_byte_identical_to_openssls() -> None:
    theirs = Ed25519PrivateKey.generate()
    seed = theirs.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, UNENCRYPTED
    )
    ours = SigningKey.parse(seed.hex(), "seed")
    private, public = oracle_pems(theirs)
    assert ours.private_pem() == private
    assert public_pem(ours.public) == public
    assert SigningKey.parse(private.decode(), "k.pem").key_id == ours.key_id
    assert parse_public_keys(public.decode() * 2, "pub.pem") == [ours.public] * 2
    raw = theirs.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    assert ours.public.raw == raw and ours.key_id == hashlib.sha256(raw).hexdigest()


def test_signatures_agree_with_openssl_both_ways(tmp_path: Path) -> None:
    key = SigningKey.generate()
    store = LocalStore(tmp_path / "audit")
    store_ops.append(store, [draft(0)], key)
    (checkpoint,) = store.checkpoints_path.read_bytes().splitlines()
    cp = json.loads(checkpoint)
    unsigned = canonical_bytes({k: v for k, v in cp.items() if k != "signature"})
    theirs = load_pem_public_key(public_pem(key.public))
    assert isinstance(theirs, Ed25519PublicKey)
    theirs.verify(bytes.fromhex(cp["signature"]), unsigned)  # raises when it does not hold
    with pytest.raises(InvalidSignature):
        theirs.verify(bytes.fromhex(cp["signature"]), unsigned + b" ")
    signer = Ed25519PrivateKey.generate()
    public = PublicKey(
        signer.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    assert public.verify(signer.sign(b"message"), b"message")
    assert not public.verify(signer.sign(b"message"), b"messagE")
    assert not public.verify(signer.sign(b"message")[:63], b"message")


def test_rfc_8032_test_vector_1() -> None:
    key = SigningKey.parse(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "rfc"
    )
    assert key.public.raw.hex() == (
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    )
    signature = bytes.fromhex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )
    assert key.public.verify(signature, b"")


def test_checkpoints_signed_before_the_move_to_pynacl_still_verify(tmp_path: Path) -> None:
    data = Path(__file__).parent / "data" / "audit" / "signed-with-cryptography"
    (tmp_path / "audit").mkdir()
    for name in ("audit.jsonl", "checkpoints.jsonl"):
        (tmp_path / "audit" / name).write_bytes((data / name).read_bytes())
    code, result = cli(
        "verify", "--log-dir", "audit", "--public-key", str(data / "audit-public-key.pem")
    )
    assert code == 0 and result.title.startswith("chain and checkpoints intact: 3 records"), (
        result.title
    )
    code, result = cli("verify", "--log-dir", "audit", "--public-key", str(keygen("new")[1]))
    assert code == 1 and result.findings[0].rule_id == "audit/checkpoint-unknown-key"


def other_keys() -> dict[str, bytes]:
    """PEM blocks OpenSSL writes that are not an unencrypted Ed25519 key."""
    ed = Ed25519PrivateKey.generate()
    x = x25519.X25519PrivateKey.generate()  # same lengths as Ed25519, another OID
    p256 = ec.generate_private_key(ec.SECP256R1())
    return {
        "x25519-private": x.private_bytes(PEM, PKCS8, UNENCRYPTED),
        "x25519-public": x.public_key().public_bytes(PEM, SPKI),
        "ed448-private": ed448.Ed448PrivateKey.generate().private_bytes(PEM, PKCS8, UNENCRYPTED),
        "p256-private": p256.private_bytes(PEM, PKCS8, UNENCRYPTED),
        "p256-public": p256.public_key().public_bytes(PEM, SPKI),
        "encrypted": ed.private_bytes(PEM, PKCS8, serialization.BestAvailableEncryption(b"pw")),
        "public-as-private": ed.public_key().public_bytes(PEM, SPKI),
        "private-as-public": ed.private_bytes(PEM, PKCS8, UNENCRYPTED),
    }


PRIVATE_REFUSED = (
    "k.pem: the private key is not an unencrypted Ed25519 PKCS#8 key (`genai-gate audit-log "
    "keygen` and `openssl genpkey -algorithm ed25519` write one)"
)
PUBLIC_REFUSED = (
    "pub.pem: a public key is not an Ed25519 SubjectPublicKeyInfo PEM block (`genai-gate "
    "audit-log keygen` writes one)"
)


def refusal(parse: Callable[[str, str], object], text: str, source: str) -> str:
    with pytest.raises(UsageError) as caught:
        parse(text, source)
    assert caught.value.exit_code == 2
    return str(caught.value)


@pytest.mark.parametrize("kind", sorted(other_keys()))
def test_anything_but_an_ed25519_key_is_refused_with_exit_2(kind: str) -> None:
    pem = other_keys()[kind].decode()
    if kind.endswith("public") or kind == "private-as-public":
        assert refusal(parse_public_keys, pem, "pub.pem") == PUBLIC_REFUSED
    else:
        assert refusal(SigningKey.parse, pem, "k.pem") == PRIVATE_REFUSED


def test_malformed_pem_is_refused() -> None:
    private, public = (pem.decode() for pem in oracle_pems(Ed25519PrivateKey.generate()))
    body = private.splitlines()[1]
    extra_byte = base64.b64encode(base64.b64decode(body) + b"\0").decode()
    assert refusal(SigningKey.parse, private.replace(body, extra_byte), "k.pem") == (
        PRIVATE_REFUSED  # 49 bytes of DER
    )
    not_base64 = private.replace(body, body[:-4] + "!!!!")
    assert refusal(SigningKey.parse, not_base64, "k.pem") == PRIVATE_REFUSED
    assert refusal(SigningKey.parse, private * 2, "k.pem") == (
        "k.pem: not a PEM private key: expected one PEM block"
    )
    body = public.splitlines()[1]
    short = public.replace(body, body[:-4])  # 42 bytes of DER
    assert refusal(parse_public_keys, short, "pub.pem") == PUBLIC_REFUSED
