"""Checkpoint keys: the Ed25519 signing key (a secret), the published public keys, legacy HMAC.

Formats accepted for a key, in a file or an environment variable: PEM (PKCS#8 private key,
SubjectPublicKeyInfo public key), or the raw 32 bytes in base64 or hex. A public-key source may
hold several keys (one per line, or several PEM blocks): the keys published over time, so the
trail still verifies after a rotation.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey as _Ed25519Private
from nacl.signing import VerifyKey

from genai_gate.errors import UsageError
from genai_gate.gates.audit.checkpoint import LEGACY_HMAC, Checkpoint, unsigned_fields

_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z ]+)-----(.*?)-----END \1-----", re.DOTALL)
_PKCS8 = bytes.fromhex("302e020100300506032b657004220420")
"""DER of an Ed25519 PKCS#8 private key (RFC 8410) up to its 32-byte seed."""
_SPKI = bytes.fromhex("302a300506032b6570032100")
"""DER of an Ed25519 SubjectPublicKeyInfo (RFC 8410) up to its 32 raw bytes."""


def _pem(label: str, der: bytes) -> bytes:
    """A PEM block: base64 in lines of 64 characters (RFC 7468), as OpenSSL writes it."""
    text = base64.b64encode(der).decode()
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----", ""]).encode()


def _der_32(block: re.Match[str], label: str, prefix: bytes) -> bytes | None:
    """The 32 key bytes after `prefix` in a PEM `block` labelled `label`; None for any other."""
    try:
        der = base64.b64decode("".join(block.group(2).split()), validate=True)
    except binascii.Error:
        return None
    ok = block.group(1) == label and len(der) == len(prefix) + 32 and der.startswith(prefix)
    return der[len(prefix) :] if ok else None


@dataclass(frozen=True)
class PublicKey:
    """A published Ed25519 public key."""

    raw: bytes
    """The 32 bytes of RFC 8032."""

    @property
    def key_id(self) -> str:
        """sha256 hex of the raw 32-byte public key."""
        return hashlib.sha256(self.raw).hexdigest()

    def verify(self, signature: bytes, message: bytes) -> bool:
        """Whether `signature` is this key's Ed25519 signature of `message`."""
        try:
            VerifyKey(self.raw).verify(message, signature)
        except (BadSignatureError, ValueError, TypeError):  # forged, or not 64 bytes
            return False
        return True


def public_pem(public: PublicKey) -> bytes:
    """The public key as a SubjectPublicKeyInfo PEM block."""
    return _pem("PUBLIC KEY", _SPKI + public.raw)


def _raw_32(text: str) -> bytes | None:
    text = text.strip()
    for decode in (bytes.fromhex, base64.b64decode):
        try:
            value = decode(text)
        except (ValueError, binascii.Error):
            continue
        if len(value) == 32:
            return value
    return None


class SigningKey:
    """The Ed25519 private key that signs new checkpoints."""

    def __init__(self, seed: bytes, source: str) -> None:
        self._private = _Ed25519Private(seed)
        self.public = PublicKey(bytes(self._private.verify_key))
        self.key_id = self.public.key_id
        self.source = source
        """Where it was read, for messages (never the key)."""

    @classmethod
    def generate(cls) -> SigningKey:
        """A fresh key pair (the seed from the OS's random source, as libsodium draws it)."""
        return cls(bytes(_Ed25519Private.generate()), "generated")

    @classmethod
    def parse(cls, text: str, source: str) -> SigningKey:
        """A key from PEM or raw base64/hex text; anything else is a usage error (exit 2)."""
        if "-----BEGIN" in text:
            blocks = list(_PEM_BLOCK.finditer(text))
            if len(blocks) != 1:
                raise UsageError(f"{source}: not a PEM private key: expected one PEM block")
            seed = _der_32(blocks[0], "PRIVATE KEY", _PKCS8)
            if seed is None:
                raise UsageError(
                    f"{source}: the private key is not an unencrypted Ed25519 PKCS#8 key "
                    "(`genai-gate audit-log keygen` and `openssl genpkey -algorithm ed25519` "
                    "write one)"
                )
            return cls(seed, source)
        raw = _raw_32(text)
        if raw is None:
            raise UsageError(
                f"{source}: not an Ed25519 private key (PEM, or 32 bytes in base64 or hex). "
                "Create one with `genai-gate audit-log keygen`; an HMAC secret of an earlier "
                "version only verifies old checkpoints (audit.legacy_hmac_key_env)"
            )
        return cls(raw, source)

    @classmethod
    def from_env(cls, env_name: str) -> SigningKey:
        """The key in `$env_name`; missing or malformed is a usage error (exit 2)."""
        value = os.environ.get(env_name, "")
        if not value.strip():
            raise UsageError(
                f"audit signing key missing: set the environment variable {env_name} to an "
                "Ed25519 private key (`genai-gate audit-log keygen` writes one; "
                "audit.signing_key_env names the variable)"
            )
        return cls.parse(value, f"${env_name}")

    def private_pem(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM (for `keygen` only)."""
        return _pem("PRIVATE KEY", _PKCS8 + bytes(self._private))

    def make(
        self, *, size: int, head_hash: str, root: str, prev: Checkpoint | None, timestamp: str
    ) -> Checkpoint:
        """A new checkpoint following `prev`, signed."""
        fields = unsigned_fields(
            size=size,
            head_hash=head_hash,
            root=root,
            prev=prev,
            timestamp=timestamp,
            key_id=self.key_id,
        )
        unsigned = Checkpoint(**fields, signature="")
        signature = self._private.sign(unsigned.signed_bytes()).signature.hex()
        return Checkpoint(**fields, signature=signature)


def parse_public_keys(text: str, source: str) -> list[PublicKey]:
    """Every public key in `text`: PEM blocks, else one raw base64/hex key per line."""
    keys: list[PublicKey] = []
    blocks = list(_PEM_BLOCK.finditer(text))
    if blocks:
        for block in blocks:
            raw = _der_32(block, "PUBLIC KEY", _SPKI)
            if raw is None:
                raise UsageError(
                    f"{source}: a public key is not an Ed25519 SubjectPublicKeyInfo PEM block "
                    "(`genai-gate audit-log keygen` writes one)"
                )
            keys.append(PublicKey(raw))
        return keys
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        raw = _raw_32(line)
        if raw is None:
            raise UsageError(
                f"{source}:{number}: not an Ed25519 public key (PEM, or 32 bytes in base64/hex)"
            )
        keys.append(PublicKey(raw))
    return keys


@dataclass
class Keyring:
    """The keys checkpoints are checked with: published Ed25519 keys and a legacy HMAC secret."""

    public: dict[str, PublicKey] = field(default_factory=dict)
    """key id -> public key."""
    sources: list[str] = field(default_factory=list)
    """Where the public keys were read, for messages."""
    legacy_secret: bytes | None = None
    """HMAC-SHA256 secret of an earlier version, to check its checkpoints (optional)."""

    @classmethod
    def of(cls, *keys: SigningKey) -> Keyring:
        """A keyring trusting the public halves of `keys`."""
        ring = cls()
        for key in keys:
            ring.add([key.public], key.source)
        return ring

    def add(self, keys: Iterable[PublicKey], source: str) -> None:
        """Publish `keys` (read from `source`)."""
        for key in keys:
            self.public[key.key_id] = key
        self.sources.append(source)

    def problem(self, checkpoint: Checkpoint) -> tuple[str, str] | None:
        """(kind, reason) when the checkpoint's signature does not hold, else None."""
        if checkpoint.algorithm == LEGACY_HMAC:
            return self._legacy_problem(checkpoint)
        key = self.public.get(checkpoint.key_id)
        if key is None:
            return (
                "checkpoint-unknown-key",
                f"signed by key {checkpoint.key_id[:16]}..., which is not a published key "
                f"({len(self.public)} known): forged, or its public key was never published",
            )
        if not key.verify(bytes.fromhex(checkpoint.signature), checkpoint.signed_bytes()):
            return (
                "checkpoint-signature",
                f"bad Ed25519 signature for key {checkpoint.key_id[:16]}...: forged or modified",
            )
        return None

    def _legacy_problem(self, checkpoint: Checkpoint) -> tuple[str, str] | None:
        if self.legacy_secret is None:
            return (
                "checkpoint-legacy",
                "legacy HMAC checkpoint: only its shared secret can check it "
                "(set audit.legacy_hmac_key_env), and whoever holds that can forge it",
            )
        expected = hmac.new(
            self.legacy_secret, checkpoint.signed_bytes(), hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(expected, checkpoint.signature):
            return ("checkpoint-signature", "bad legacy HMAC-SHA256 signature: forged or modified")
        return None


def load_keyring(
    files: Iterable[Path],
    env_name: str | None,
    legacy_env: str | None,
    *,
    required: bool,
) -> Keyring:
    """Published public keys from files and an environment variable (or a repository variable
    passed through one); with `required`, none at all is a usage error."""
    ring = Keyring()
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{path}: cannot read the audit public key: {exc.strerror}") from None
        ring.add(parse_public_keys(text, str(path)), str(path))
    if env_name and os.environ.get(env_name, "").strip():
        ring.add(parse_public_keys(os.environ[env_name], f"${env_name}"), f"${env_name}")
    if legacy_env and os.environ.get(legacy_env):
        ring.legacy_secret = os.environ[legacy_env].encode("utf-8")
    if required and not ring.public:
        raise UsageError(
            "no audit public key: pass --public-key FILE, set "
            f"${env_name or 'GENAI_GATE_AUDIT_PUBLIC_KEYS'} or list files in audit.public_keys "
            "(`genai-gate audit-log keygen` writes a key pair)"
        )
    return ring
