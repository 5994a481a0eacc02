"""An audit-trail verifier written from docs/audit-log-format.md alone.

It imports nothing of genai-gate: only the standard library, `rfc8785` (JCS) and `cryptography`
(Ed25519), as a third party would. FOLDER is a local store, or a checkout of the audit branch.
Usage: python independent_audit_verifier.py FOLDER KEY.pem...
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ZERO = "0" * 64
CHECKPOINT_MEMBERS = {
    "schema_version",
    "size",
    "head_hash",
    "root",
    "prev_checkpoint",
    "timestamp",
    "key_id",
    "algorithm",
    "signature",
}


def _mth(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + _mth(leaves[:k]) + _mth(leaves[k:])).digest()


def _lines(folder: Path, name: str, segments: str, errors: list[str]) -> list[bytes]:
    """The lines of one logical file: `name` if present, then the segments anywhere under the
    `segments` folder, in the order of the number their file name is."""
    files = [folder / name] if (folder / name).is_file() else []
    found = [p for p in (folder / segments).rglob("*.jsonl") if p.stem.isdigit()]
    files += sorted(found, key=lambda path: int(path.stem))
    if not files:
        errors.append(f"{name}: missing")
    lines: list[bytes] = []
    for path in files:
        data = path.read_bytes()
        if data and not data.endswith(b"\n"):
            errors.append(f"{path.name}: last line has no newline")
        lines += data.split(b"\n")[:-1] if data else []
    return lines


def verify(folder: Path, public_keys: list[Ed25519PublicKey]) -> list[str]:
    """Every error found; an empty list means the trail verifies."""
    errors: list[str] = []
    keys = {
        hashlib.sha256(
            k.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        ).hexdigest(): k
        for k in public_keys
    }
    hashes: list[str] = []
    records = _lines(folder, "audit.jsonl", "log", errors)
    if not records and not errors:
        errors.append("audit.jsonl: empty")
    for number, line in enumerate(records):
        try:
            record = json.loads(line)
        except ValueError:
            errors.append(f"record on line {number + 1}: not JSON")
            hashes.append("")
            continue
        if rfc8785.dumps(record) != line:
            errors.append(f"record seq {record.get('seq')}: not canonical")
        body = {k: v for k, v in record.items() if k != "hash"}
        if hashlib.sha256(rfc8785.dumps(body)).hexdigest() != record.get("hash"):
            errors.append(f"record seq {record.get('seq')}: hash does not match content")
        if record.get("seq") != number:
            errors.append(f"record seq {record.get('seq')}: on line {number + 1}")
        if record.get("prev") != (hashes[-1] if hashes else ZERO):
            errors.append(f"record seq {record.get('seq')}: prev is not the previous hash")
        hashes.append(str(record.get("hash")))
    previous_digest, previous_size = ZERO, 0
    checkpoints = _lines(folder, "checkpoints.jsonl", "checkpoints", errors)
    for number, line in enumerate(checkpoints):
        try:
            cp = json.loads(line)
        except ValueError:
            errors.append(f"checkpoint line {number + 1}: not JSON")
            continue
        where = f"checkpoint size {cp.get('size')}"
        if set(cp) != CHECKPOINT_MEMBERS or cp.get("algorithm") != "ed25519":
            errors.append(f"{where}: not an ed25519 checkpoint")
            continue
        key = keys.get(cp["key_id"])
        unsigned = rfc8785.dumps({k: v for k, v in cp.items() if k != "signature"})
        if key is None:
            errors.append(f"{where}: key {cp['key_id']} is not published")
        else:
            try:
                key.verify(bytes.fromhex(cp["signature"]), unsigned)
            except (InvalidSignature, ValueError):
                errors.append(f"{where}: bad signature")
        if cp["prev_checkpoint"] != previous_digest or cp["size"] <= previous_size:
            errors.append(f"{where}: does not follow the previous checkpoint")
        size = cp["size"]
        if size > len(hashes):
            errors.append(f"{where}: the log holds only {len(hashes)} records (truncated)")
        else:
            try:
                leaves = [bytes.fromhex(h) for h in hashes[:size]]
            except ValueError:
                leaves = []
            if _mth(leaves).hex() != cp["root"] or hashes[size - 1] != cp["head_hash"]:
                errors.append(f"{where}: root or head hash differs from the records")
        previous_digest = hashlib.sha256(rfc8785.dumps(cp)).hexdigest()
        previous_size = size
    if previous_size < len(hashes):
        errors.append(f"records seq {previous_size}..{len(hashes) - 1}: not covered")
    return errors


def main(argv: list[str]) -> int:
    keys = []
    for path in argv[1:]:
        key = serialization.load_pem_public_key(Path(path).read_bytes())
        assert isinstance(key, Ed25519PublicKey)
        keys.append(key)
    errors = verify(Path(argv[0]), keys)
    for error in errors:
        print(error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
