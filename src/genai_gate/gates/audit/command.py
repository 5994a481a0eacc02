"""Tamper-evident deployment records: record, verify, prove, verify-proof, check and dora.

The log is one RFC 8785 canonical JSON record per line (audit.jsonl), chained by hash
(`prev`, `hash` = sha256 of the record without `hash`, gap-free `seq`), with a signed checkpoint
after every append (checkpoints.jsonl: size, head hash, RFC 6962 Merkle root, previous checkpoint
digest, Ed25519 signature by the private key in $GENAI_GATE_AUDIT_KEY or audit.signing_key_env).
Verifying needs only the published public keys (--public-key FILE, $GENAI_GATE_AUDIT_PUBLIC_KEYS,
audit.public_keys). It lives in a local folder or on a git branch (default genai-audit) appended
with compare-and-swap.

  keygen        write a new Ed25519 key pair (private key file 0600, public key file)
  record        append a record for a deploy, canary step or rollback (needs the signing key)
  verify        check chain, checkpoints and history; names each broken record and why (exit 1)
  repair        finish an append a crash interrupted; refuses to touch a tampered log
  prove SEQ     write an inclusion proof of one record that a reviewer can check alone
  verify-proof  check such a proof file
  check         compliance evidence required before a production deploy (exit 1 if missing)
  dora          deployment frequency, lead time, change failure rate, time to restore, success
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from genai_gate.gates.audit.options import Options as Options
from genai_gate.gates.audit.options import add_arguments as add_arguments

if TYPE_CHECKING:  # an action's modules are imported when it runs: `--help` stays fast
    from genai_gate.context import Context
    from genai_gate.results import GateResult


def _handler(action: str) -> Callable[[Options, Context], GateResult]:
    """The function running `action` (each imports its modules only then)."""
    if action in ("check", "dora"):
        from genai_gate.gates.audit import check_dora

        return check_dora.run_check if action == "check" else check_dora.run_dora
    if action == "previous":
        from genai_gate.gates.audit.previous import run_previous

        return run_previous
    from genai_gate.gates.audit import actions

    handlers: dict[str, Callable[[Options, Context], GateResult]] = {
        "keygen": actions.run_keygen,
        "record": actions.run_record,
        "verify": actions.run_verify,
        "repair": actions.run_repair,
        "prove": actions.run_prove,
        "verify-proof": actions.run_verify_proof,
    }
    return handlers[action]


def run(options: Options, ctx: Context) -> GateResult:
    """Dispatch to the subcommand."""
    result = _handler(options.action)(options, ctx)
    result.details["action"] = options.action
    return result
