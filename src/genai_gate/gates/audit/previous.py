"""`audit-log previous`: the release a rollback restores, read from the verified trail.

The last successful deploy to an environment is what production returns to when the new
release is rolled back: its code (version, commit, image) and its data and configuration
(prompt versions, models, knowledge-base snapshot, config digest). The whole trail is verified
first; the manifest is written as a JSON file and its main fields become action outputs, so the
rollback command restores data and configs together with the code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from genai_gate.context import Context
from genai_gate.gates.audit.options import MANIFEST_FILE, Options
from genai_gate.gates.audit.trail import GATE, settings_of, verified_trail
from genai_gate.integrations.files import write_atomic
from genai_gate.results import GateResult, Status


def prompt_pins(manifest: dict[str, Any]) -> str:
    """`id@version` of each prompt, comma-separated."""
    return ",".join(f"{p['prompt_id']}@{p['version']}" for p in manifest.get("prompts", []))


def run_previous(options: Options, ctx: Context) -> GateResult:
    """Write the previous release's manifest; outputs name its version, image, KB and prompts."""
    settings, root = settings_of(options, ctx)
    verified = verified_trail(options, settings, root, "previous release unknown")
    if isinstance(verified, GateResult):
        return verified
    raw = verified.scan.tip.last_deploys.get(options.given(options.environment, "--environment"))
    path = Path(options.manifest_file) if options.manifest_file else ctx.results_dir / MANIFEST_FILE
    release = None
    if raw is not None:
        release = {
            "seq": raw.get("seq"),
            "version": raw.get("version"),
            "git_sha": raw.get("git_sha"),
            "environment": raw.get("environment"),
            "manifest": raw.get("manifest") or {},
        }
    write_atomic(path, json.dumps({"previous_release": release}, indent=2) + "\n")
    if release is None:
        return GateResult(
            gate=GATE,
            status=Status.PASS,
            title=f"no successful deploy to {options.environment} in the trail: nothing to restore "
            "but the removal of the new release",
            summary={"found": False, "manifest_file": str(path)},
        )
    manifest: dict[str, Any] = release.get("manifest") or {}
    return GateResult(
        gate=GATE,
        status=Status.PASS,
        title=f"previous release of {options.environment}: {release['version']} (seq "
        f"{release['seq']}), KB snapshot {manifest.get('kb_snapshot_id') or 'none'}",
        summary={
            "found": True,
            "manifest_file": str(path),
            "previous_version": release["version"] or "",
            "previous_sha": release["git_sha"] or "",
            "previous_image_digest": manifest.get("image_digest") or "",
            "previous_kb_snapshot": manifest.get("kb_snapshot_id") or "",
            "previous_prompts": prompt_pins(manifest),
        },
        details={"previous_release": release},
    )
