"""The audit trail as the `audit-log` actions open it: trail options, settings with the CLI
overrides applied, the published keys, the store, and verification failures as a result.

Shared by `command.py` (record, verify, prove, repair, ...) and `check_dora.py` (check, dora).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from genai_gate.context import Context
from genai_gate.gates.audit import chain, store_ops
from genai_gate.gates.audit.keys import Keyring, load_keyring
from genai_gate.gates.audit.options import Options
from genai_gate.gates.audit.settings import AuditSettings
from genai_gate.gates.audit.stores import AuditStore, open_store
from genai_gate.results import Finding, GateResult, Location, Severity, Status

GATE = "audit-log"


def verified_trail(
    options: Options,
    settings: AuditSettings,
    root: Path,
    what: str,
    visit: Callable[[dict[str, Any]], None] | None = None,
) -> store_ops.Verified | GateResult:
    """The whole trail verified with the published keys, or the failing result."""
    verified = store_ops.verify_trail(
        open_trail_store(settings, root),
        published_keys(options, settings, root),
        published=options.checkpoint,
        allow_empty=options.allow_empty,
        visit=visit,
    )
    if verified.scan.problems:
        exc = store_ops.IntegrityFailure(verified.location, verified.scan.problems)
        return integrity_failure(exc, what)
    return verified


def settings_of(options: Options, ctx: Context) -> tuple[AuditSettings, Path]:
    """The audit settings (config section with CLI overrides) and the folder paths resolve from."""
    config = ctx.config_if_present()
    # the defaults need no validation: building AuditSettings' validator costs more than `record`
    settings = (config.model.audit if config else None) or AuditSettings.model_construct()
    root = config.root if config else Path.cwd()
    store: dict[str, Any] = {}
    for option, field in (
        ("store", "kind"),
        ("log_dir", "path"),
        ("branch", "branch"),
        ("remote", "remote"),
        ("repo_dir", "repo"),
    ):
        value = getattr(options, option)
        if value is not None:
            store[field] = (
                str(Path(value).resolve()) if option in ("log_dir", "repo_dir") else value
            )
    update: dict[str, Any] = {"store": settings.store.model_copy(update=store)}
    if options.key_env:
        update["signing_key_env"] = options.key_env
    if options.public_keys_env:
        update["public_keys_env"] = options.public_keys_env
    return settings.model_copy(update=update), root


def published_keys(
    options: Options, settings: AuditSettings, root: Path, *, required: bool = True
) -> Keyring:
    """The published public keys: --public-key files, else audit.public_keys, plus the env var."""
    files = [Path(f).resolve() for f in options.public_key] or [
        root / f for f in settings.public_keys
    ]
    return load_keyring(
        files, settings.public_keys_env, settings.legacy_hmac_key_env, required=required
    )


def open_trail_store(settings: AuditSettings, root: Path) -> AuditStore:
    return open_store(settings.store, root)


def problem_findings(problems: list[chain.Problem], location: str) -> list[Finding]:
    """Integrity problems as findings naming the file, line and record."""
    folder = location if location.endswith(chain.LOG_FILE) else None
    findings = []
    for p in problems:
        path = p.file
        if folder is not None:
            path = str(Path(folder).parent / p.file)
        where = f"line {p.line}: " if p.line else ""
        findings.append(
            Finding(
                rule_id=f"audit/{p.kind}",
                severity=Severity.ERROR,
                message=f"{where}{p.message}",
                location=Location(path=path, line=p.line),
                properties={"seq": p.seq} if p.seq is not None else {},
            )
        )
    return findings


def integrity_failure(exc: store_ops.IntegrityFailure, what: str) -> GateResult:
    return GateResult(
        gate=GATE,
        status=Status.FAIL,
        title=f"{what}: the audit log at {exc.location} fails verification "
        f"({len(exc.problems)} problems, first: {exc.problems[0].message})",
        summary={"problems": len(exc.problems)},
        findings=problem_findings(exc.problems, exc.location),
    )
