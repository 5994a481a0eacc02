"""The command line of `genai-gate audit-log` and its typed `Options`, and nothing else, so
that parsing imports no model, key or store module (a `record` run imports only what it uses)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Literal

from genai_gate.options import GateOptions

MANIFEST_FILE = "previous-release.json"
"""Where `audit-log previous` writes the manifest, in the results folder."""


def add_trail_options(sub: argparse.ArgumentParser) -> None:
    """Options of every command that verifies the whole trail first."""
    sub.add_argument(
        "--allow-empty",
        action="store_true",
        help="pass when there is no log yet (the first deploy); without it a missing "
        "log, folder or branch fails",
    )
    sub.add_argument(
        "--checkpoint",
        action="append",
        default=[],
        metavar="DIGEST",
        help="a checkpoint digest published earlier (output `checkpoint` of record): the "
        "log must still contain it, so a rollback of both files is caught; repeatable",
    )


def _store_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("store (override the audit: section of the config)")
    group.add_argument("--store", choices=["local", "git"], help="store kind")
    group.add_argument("--log-dir", metavar="DIR", help="local store folder")
    group.add_argument("--branch", help="git store branch (default genai-audit)")
    group.add_argument("--remote", help="git store remote name or URL (default origin)")
    group.add_argument("--repo-dir", metavar="DIR", help="git store: local repository to use")
    group.add_argument(
        "--key-env", metavar="VAR", help="environment variable holding the signing key"
    )
    _public_key_options(group)


def _public_key_options(group: argparse._ActionsContainer) -> None:
    group.add_argument(
        "--public-key",
        action="append",
        default=[],
        metavar="FILE",
        help="published Ed25519 public key(s) checkpoints may be signed with; repeatable "
        "(default: audit.public_keys)",
    )
    group.add_argument(
        "--public-keys-env",
        metavar="VAR",
        help="environment variable holding published public keys (default "
        "GENAI_GATE_AUDIT_PUBLIC_KEYS, e.g. from a repository variable)",
    )


def _record_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--event", choices=["deploy", "canary-step", "rollback"], required=True)
    parser.add_argument("--environment", required=True, help="e.g. staging, production")
    parser.add_argument("--version", dest="version", required=True, help="release version")
    parser.add_argument(
        "--outcome",
        choices=["success", "failure"],
        default="success",
        help="outcome of a deploy or rollback (canary steps take it from the decision)",
    )
    parser.add_argument("--sha", help="commit deployed (default: HEAD, else $GITHUB_SHA)")
    parser.add_argument("--deployer", help="who deployed (default: $GITHUB_ACTOR)")
    parser.add_argument("--deployment-id", help="groups one deployment's records (default: run id)")
    parser.add_argument("--ticket", help="change ticket id")
    parser.add_argument(
        "--approver", action="append", default=[], help="approver login; repeatable"
    )
    parser.add_argument(
        "--approvals",
        choices=["auto", "github", "none"],
        default="auto",
        help="read environment approvals of this run from GitHub (auto: in Actions, for the "
        "environments of audit.policy.approval_environments)",
    )
    parser.add_argument("--image-digest", help="container image digest (sha256:...)")
    parser.add_argument("--kb-snapshot", help="knowledge-base snapshot id")
    parser.add_argument("--base-ref", help="git ref of the previous release, to derive changes")
    parser.add_argument("--rollback-version", help="release to return to (default: from the log)")
    parser.add_argument("--rollback-sha", help="commit to return to (default: from the log)")
    parser.add_argument("--rollback-command", help="how to roll back")
    parser.add_argument("--traffic-percent", type=_percent, help="traffic on the new release")
    parser.add_argument("--canary-outcome", choices=["promote", "hold", "rollback"])
    parser.add_argument("--canary-score", type=float)
    parser.add_argument("--unplanned", action="store_true", help="a remediation deploy")
    parser.add_argument("--incident-id", help="incident this deploy restores from")
    parser.add_argument("--incident-opened-at", help="when the incident started (ISO-8601)")
    parser.add_argument("--notes", help="free text")
    parser.add_argument("--repo", help="OWNER/NAME for GitHub calls (default $GITHUB_REPOSITORY)")
    parser.add_argument("--api-url", help="GitHub API URL (default $GITHUB_API_URL)")


def _percent(value: str) -> float:
    number = float(value)
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError(f"{value} is not a percentage in [0, 100]")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Subcommands of `genai-gate audit-log`."""
    from genai_gate.cli import add_common_options

    subs = parser.add_subparsers(dest="action", metavar="<action>", parser_class=type(parser))
    subs.required = True
    specs = {
        "keygen": "write a new Ed25519 key pair for signing checkpoints",
        "record": "append a record (deploy, canary step or rollback) and a signed checkpoint",
        "verify": "verify the hash chain and the signed checkpoints",
        "repair": "complete or undo what a crash during an append left (local store)",
        "prove": "write an inclusion proof of record SEQ",
        "verify-proof": "check an inclusion proof file",
        "check": "check the compliance evidence required before production",
        "dora": "DORA metrics from the log and git history, against targets",
        "previous": "the release a rollback restores: manifest of the last successful deploy",
    }
    for name, help_text in specs.items():
        sub = subs.add_parser(name, help=help_text, description=help_text)
        if name == "keygen":
            sub.add_argument(
                "--out-dir",
                metavar="DIR",
                default=".genai-gate/keys",
                help="folder for audit-signing-key.pem and audit-public-key.pem",
            )
            sub.add_argument("--force", action="store_true", help="overwrite existing key files")
        elif name != "verify-proof":
            _store_options(sub)
        add_common_options(sub)
        if name == "record":
            _record_options(sub)
        elif name == "verify":
            sub.add_argument(
                "--chain-only",
                action="store_true",
                help="check the record chain only (cannot detect truncation or forgery: the "
                "result is incomplete, never a pass)",
            )
            add_trail_options(sub)
        elif name == "repair":
            pass
        elif name == "prove":
            sub.add_argument("seq", type=int, help="sequence number of the record")
            sub.add_argument(
                "--out", metavar="FILE", help="proof file (default: RESULTS_DIR/audit-proofs/)"
            )
        elif name == "verify-proof":
            sub.add_argument("proof", metavar="FILE", help="proof written by `audit-log prove`")
            _public_key_options(sub)
            sub.add_argument(
                "--skip-signature",
                action="store_true",
                help="check the path to the root but not the checkpoint signature (the result "
                "is incomplete, never a pass)",
            )
        else:
            _extra_options(name, sub)


def _extra_options(name: str, sub: argparse.ArgumentParser) -> None:
    options = {"check": add_check_options, "previous": add_previous_options}
    options.get(name, add_dora_options)(sub)


def add_check_options(parser: argparse.ArgumentParser) -> None:
    """Options of `audit-log check`."""
    parser.add_argument("--environment", required=True, help="environment about to be deployed")
    parser.add_argument("--sha", help="commit about to be deployed (default: HEAD)")
    parser.add_argument("--pr", type=int, help="pull request number (default: from the event)")
    parser.add_argument("--repo", help="OWNER/NAME (default $GITHUB_REPOSITORY)")
    parser.add_argument("--api-url", help="GitHub API URL (default $GITHUB_API_URL)")
    parser.add_argument("--run-id", help="workflow run whose approvals count (default run)")
    parser.add_argument("--image-digest", help="image digest of the release")
    parser.add_argument("--kb-snapshot", help="knowledge-base snapshot id of the release")
    add_trail_options(parser)


def add_dora_options(parser: argparse.ArgumentParser) -> None:
    """Options of `audit-log dora`."""
    parser.add_argument("--git-dir", metavar="DIR", help="repository for commit times (default .)")
    parser.add_argument("--chart", metavar="FILE", help="PNG chart (default: results dir)")
    parser.add_argument("--environment", help="environment (default audit.dora.environment)")
    add_trail_options(parser)


def add_previous_options(parser: argparse.ArgumentParser) -> None:
    """Options of `audit-log previous`."""
    parser.add_argument(
        "--environment", required=True, help="environment whose previous release is wanted"
    )
    parser.add_argument(
        "--manifest-file",
        metavar="FILE",
        help=f"where the manifest is written (default: RESULTS_DIR/{MANIFEST_FILE})",
    )
    add_trail_options(parser)


@dataclass(frozen=True)
class Options(GateOptions):
    """Options of one `audit-log` run: the action and the options of every action (an option
    another action takes keeps its default)."""

    action: str = "verify"
    """keygen, record, verify, repair, prove, verify-proof, check, dora or previous."""
    store: str | None = None
    """Store kind (local or git), overriding audit.store.kind."""
    log_dir: str | None = None
    """Local store folder."""
    branch: str | None = None
    """Git store branch."""
    remote: str | None = None
    """Git store remote name or URL."""
    repo_dir: str | None = None
    """Git store: local repository used to talk to the remote."""
    key_env: str | None = None
    """Environment variable holding the signing key."""
    public_key: tuple[str, ...] = ()
    """Published public key files (default: audit.public_keys)."""
    public_keys_env: str | None = None
    """Environment variable holding published public keys."""
    allow_empty: bool = False
    """Pass when there is no log yet (the first deploy)."""
    checkpoint: tuple[str, ...] = ()
    """Checkpoint digests published earlier that the log must still contain."""
    out_dir: str = ".genai-gate/keys"
    """keygen: folder of the key files."""
    force: bool = False
    """keygen: overwrite existing key files."""
    event: str | None = None
    """record: deploy, canary-step or rollback."""
    environment: str | None = None
    """Environment deployed (record, check, previous) or measured (dora)."""
    version: str | None = None
    """record: release version."""
    outcome: str = "success"
    """record: outcome of a deploy or rollback."""
    sha: str | None = None
    """Commit deployed (record) or about to be deployed (check)."""
    deployer: str | None = None
    """record: who deployed."""
    deployment_id: str | None = None
    """record: groups one deployment's records."""
    ticket: str | None = None
    """record: change ticket id."""
    approver: tuple[str, ...] = ()
    """record: approver logins given on the command line."""
    approvals: str = "auto"
    """record: read environment approvals from GitHub: auto, github or none."""
    image_digest: str | None = None
    """Container image digest of the release."""
    kb_snapshot: str | None = None
    """Knowledge-base snapshot id of the release."""
    base_ref: str | None = None
    """record: git ref of the previous release, to derive changes."""
    rollback_version: str | None = None
    """record: release to return to."""
    rollback_sha: str | None = None
    """record: commit to return to."""
    rollback_command: str | None = None
    """record: how to roll back."""
    traffic_percent: float | None = None
    """record: traffic on the new release."""
    canary_outcome: Literal["promote", "hold", "rollback"] | None = None
    """record: promote, hold or rollback."""
    canary_score: float | None = None
    """record: canary-gate score."""
    unplanned: bool = False
    """record: a remediation deploy."""
    incident_id: str | None = None
    """record: incident this deploy restores from."""
    incident_opened_at: str | None = None
    """record: when that incident started (ISO-8601)."""
    notes: str | None = None
    """record: free text."""
    repo: str | None = None
    """OWNER/NAME for GitHub calls."""
    api_url: str | None = None
    """GitHub API URL."""
    chain_only: bool = False
    """verify: the record chain only (incomplete, never a pass)."""
    seq: int | None = None
    """prove: sequence number of the record."""
    out: str | None = None
    """prove: proof file."""
    proof: str | None = None
    """verify-proof: the proof file."""
    skip_signature: bool = False
    """verify-proof: leave the signature out (incomplete, never a pass)."""
    pr: int | None = None
    """check: pull request number."""
    run_id: str | None = None
    """check: workflow run whose approvals count."""
    git_dir: str | None = None
    """dora: repository for commit times."""
    chart: str | None = None
    """dora: PNG chart file."""
    manifest_file: str | None = None
    """previous: where the manifest is written."""
