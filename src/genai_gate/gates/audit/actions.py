"""The `audit-log` actions on the trail itself: keygen, record, verify, repair, prove and
verify-proof (check, dora and previous are in `check_dora.py` and `previous.py`)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from genai_gate.context import Context
from genai_gate.errors import ConfigError, UsageError, located
from genai_gate.gates.audit import store_ops
from genai_gate.gates.audit.keys import Keyring, SigningKey
from genai_gate.gates.audit.options import Options
from genai_gate.gates.audit.settings import AuditSettings
from genai_gate.gates.audit.trail import (
    GATE,
    integrity_failure,
    open_trail_store,
    problem_findings,
    published_keys,
    settings_of,
)
from genai_gate.results import CaseResult, GateResult, Status


def signer(options: Options, settings: AuditSettings, root: Path) -> tuple[SigningKey, Keyring]:
    """The signing key and the keys existing checkpoints are checked with.

    Without published keys, the signer's own public key is the only one trusted; with them,
    a signing key that is not published is refused (its checkpoints would not verify).
    """
    key = SigningKey.from_env(settings.signing_key_env)
    keys = published_keys(options, settings, root, required=False)
    if not keys.public:
        keys.add([key.public], key.source)
    elif key.key_id not in keys.public:
        raise UsageError(
            f"the signing key in {key.source} (key id {key.key_id}) is not among the published "
            f"public keys ({', '.join(keys.sources)}): publish its public key first "
            "(`genai-gate audit-log keygen` prints it)"
        )
    return key, keys


def run_record(options: Options, ctx: Context) -> GateResult:
    """Append one record."""
    from genai_gate.gates.audit.chain import Tip
    from genai_gate.gates.audit.draft import DraftBuilder, check_draft

    settings, root = settings_of(options, ctx)
    key, keys = signer(options, settings, root)
    approvals = _approvals(options, settings)
    builder = DraftBuilder(options, ctx.config_if_present(), settings, ctx.results_dir, approvals)
    check_draft(builder.draft(Tip()))
    store = open_trail_store(settings, root)
    try:
        done = store_ops.append(store, lambda tip: [builder.draft(tip)], key, keys)
    except store_ops.IntegrityFailure as exc:
        return integrity_failure(exc, "record refused, nothing was written")
    record, cp = done.records[-1], done.checkpoint
    return GateResult(
        gate=GATE,
        status=Status.PASS,
        title=f"recorded seq {record['seq']}: {record['event']} {record['version']} to "
        f"{record['environment']} ({'success' if record['success'] else 'failure'})",
        summary={
            "seq": record["seq"],
            "hash": record["hash"],
            "size": cp.size,
            "root": cp.root,
            "checkpoint": cp.digest(),
        },
        details={"record": record},
    )


def _approvals(options: Options, settings: AuditSettings) -> list[dict[str, Any]]:
    """The record's `approvers`: the --approver logins, then the run's environment approvals."""
    approvals: list[dict[str, Any]] = [{"user": user, "source": "cli"} for user in options.approver]
    wanted = options.approvals == "github" or (
        options.approvals == "auto"
        and bool(os.environ.get("GITHUB_RUN_ID"))
        and options.environment in settings.policy.approval_environments
    )
    if not wanted:
        return approvals
    run_id = os.environ.get("GITHUB_RUN_ID")
    if not run_id:
        raise UsageError("--approvals github needs $GITHUB_RUN_ID (run inside GitHub Actions)")
    from genai_gate.gates.audit.github import GitHubAccess, run_approvals

    access = GitHubAccess.from_env(options.repo, options.api_url)
    return approvals + [a.model_dump() for a in run_approvals(access, run_id)]


def run_verify(options: Options, ctx: Context) -> GateResult:
    """Verify the whole trail: chain, checkpoints, history and published checkpoints."""
    settings, root = settings_of(options, ctx)
    keys = None if options.chain_only else published_keys(options, settings, root)
    verified = store_ops.verify_trail(
        open_trail_store(settings, root),
        keys,
        published=options.checkpoint,
        allow_empty=options.allow_empty,
    )
    scan = verified.scan
    scope = "chain" if keys is None else "chain and checkpoints"
    tip = scan.tip
    summary: dict[str, Any] = {
        "records": tip.size,
        "checkpoints": tip.checkpoints,
        "problems": len(scan.problems) + scan.omitted,
        "head": tip.head_hash,
        "root": tip.frontier.root().hex(),
        "checkpoint": tip.checkpoint.digest() if tip.checkpoint else None,
    }
    if scan.problems:
        first = scan.problems[0]
        more = f" (+{scan.omitted} more not listed)" if scan.omitted else ""
        return GateResult(
            gate=GATE,
            status=Status.FAIL,
            title=f"{scope}: {summary['problems']} problems in {verified.location}; "
            f"first: {first.message}{more}",
            summary=summary,
            findings=problem_findings(scan.problems, verified.location),
        )
    if keys is None:
        return unchecked_signatures(
            f"chain intact but checkpoints not checked (--chain-only): {tip.size} "
            f"records ({verified.location}); truncation and forgery are not excluded",
            summary,
        )
    notes = "".join(f"; {note}" for note in verified.notes)
    legacy = f", {scan.legacy} legacy HMAC" if scan.legacy else ""
    published = (
        f", {len(options.checkpoint)} published checkpoint(s) found" if options.checkpoint else ""
    )
    return GateResult(
        gate=GATE,
        status=Status.PASS,
        title=f"{scope} intact: {tip.size} records, {tip.checkpoints} checkpoints{legacy}"
        f"{published} ({verified.location}){notes}",
        summary=summary,
    )


def unchecked_signatures(title: str, summary: dict[str, Any], **extra: Any) -> GateResult:
    """A check that left the signatures out: incomplete, never a pass."""
    return GateResult(
        gate=GATE,
        status=Status.ERROR,
        incomplete=True,
        error="checkpoint signatures were not checked",
        title=title,
        summary=summary,
        **extra,
    )


def run_prove(options: Options, ctx: Context) -> GateResult:
    """Write an inclusion proof of one record."""
    from genai_gate.integrations.files import write_atomic

    settings, root = settings_of(options, ctx)
    store = open_trail_store(settings, root)
    try:
        proof = store_ops.inclusion_proof(
            store, published_keys(options, settings, root), options.given(options.seq, "SEQ")
        )
    except store_ops.IntegrityFailure as exc:
        return integrity_failure(exc, "no proof")
    except IndexError as exc:
        raise UsageError(str(exc)) from None
    text = json.dumps(proof, indent=2, sort_keys=True) + "\n"
    out = (
        Path(options.out)
        if options.out
        else ctx.results_dir / "audit-proofs" / f"seq-{options.seq}.json"
    )
    write_atomic(out, text)
    return GateResult(
        gate=GATE,
        status=Status.PASS,
        title=f"inclusion proof of seq {options.seq} in a tree of {proof['tree_size']} records: "
        f"{len(proof['audit_path'])} hashes, {len(text.encode())} bytes -> {out}",
        summary={
            "proof_file": str(out),
            "proof_bytes": len(text.encode()),
            "path_hashes": len(proof["audit_path"]),
            "root": proof["checkpoint"]["root"],
        },
    )


def run_verify_proof(options: Options, ctx: Context) -> GateResult:
    """Check a proof file alone."""
    from genai_gate.gates.audit.proof import check_proof

    path = Path(options.given(options.proof, "FILE"))
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(located(path, None, "", "proof file not found")) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(located(path, None, "", f"not a JSON proof file: {exc}")) from None
    keys = None
    if not options.skip_signature:
        settings, root = settings_of(options, ctx)
        keys = published_keys(options, settings, root)
    checks = check_proof(doc, keys)
    cases = [
        CaseResult(
            id=c.name,
            status=Status.SKIPPED if c.ok is None else Status.PASS if c.ok else Status.FAIL,
            reason=c.detail,
        )
        for c in checks
    ]
    failed = [c for c in checks if c.ok is False]
    seq = doc.get("leaf_index") if isinstance(doc, dict) else None
    title = (
        f"proof of seq {seq} holds ({len(checks)} checks)"
        if not failed
        else f"proof of seq {seq} is invalid: {failed[0].name}: {failed[0].detail}"
    )
    summary = {"checks": len(checks), "failed": len(failed)}
    if keys is None and not failed:
        return unchecked_signatures(
            f"proof of seq {seq}: path to the root holds, signature not checked "
            "(--skip-signature): the tree may be forged",
            summary,
            cases=cases,
        )
    return GateResult(
        gate=GATE,
        status=Status.FAIL if failed else Status.PASS,
        title=title,
        cases=cases,
        summary=summary,
    )


def run_repair(options: Options, ctx: Context) -> GateResult:
    """Finish what a crash left in a local store; a tampered log is reported, not repaired."""
    from genai_gate.gates.audit.stores.local import LocalStore

    settings, root = settings_of(options, ctx)
    store = open_trail_store(settings, root)
    if not isinstance(store, LocalStore):
        return GateResult(
            gate=GATE,
            status=Status.PASS,
            title=f"{store.location}: a git push is atomic, a crash leaves nothing to repair",
        )
    keys = published_keys(options, settings, root, required=False)
    if not keys.public:
        keys = signer(options, settings, root)[1]
    try:
        done = store.repair(keys)
    except store_ops.IntegrityFailure as exc:
        return integrity_failure(exc, "repair refused: this is not what a crash leaves")
    return GateResult(
        gate=GATE,
        status=Status.PASS,
        title=f"{store.location}: "
        + ("; ".join(done) if done else "nothing to repair")
        + "; the log verifies",
        summary={"actions": len(done)},
        details={"actions": done},
    )


def run_keygen(options: Options, ctx: Context) -> GateResult:
    """Write a new key pair: the private key (mode 0600) and the public key to publish."""
    from genai_gate.gates.audit.keys import public_pem

    folder = Path(options.out_dir)
    private_path = folder / "audit-signing-key.pem"
    public_path = folder / "audit-public-key.pem"
    existing = [p for p in (private_path, public_path) if p.exists()]
    if existing and not options.force:
        raise UsageError(
            f"{existing[0]}: exists; pass --force to replace it (a rotation: keep publishing "
            "the old public key so earlier checkpoints still verify)"
        )
    key = SigningKey.generate()
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key.private_pem())
    os.chmod(private_path, 0o600)
    public_path.write_bytes(public_pem(key.public))
    return GateResult(
        gate=GATE,
        status=Status.PASS,
        title=f"new Ed25519 key {key.key_id[:16]}...: store {private_path} as the secret "
        f"GENAI_GATE_AUDIT_KEY of the production environment, then delete it; publish "
        f"{public_path} (commit it and list it in audit.public_keys)",
        summary={
            "key_id": key.key_id,
            "private_key_file": str(private_path),
            "public_key_file": str(public_path),
        },
    )
