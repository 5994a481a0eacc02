"""Build the draft of a record from CLI options, the Actions environment and the results files.

The draft is plain JSON data (`record_check` checks and completes it): `record` builds no
pydantic model of the record.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genai_gate.errors import ConfigError, UsageError
from genai_gate.gates.audit import record_check
from genai_gate.gates.audit.chain import Tip, utc_now
from genai_gate.gates.audit.checkpoint import GENESIS
from genai_gate.gates.audit.options import Options
from genai_gate.gates.audit.settings import AuditSettings
from genai_gate.integrations import git

if TYPE_CHECKING:
    from genai_gate.config import LoadedConfig
    from genai_gate.gates.audit.record import Manifest
    from genai_gate.results import GateResult

SELF = "audit-log"


def run_info(env: Mapping[str, str]) -> dict[str, Any] | None:
    """The GitHub Actions run described by the environment (`run` of the record), or None
    outside Actions."""
    if not env.get("GITHUB_RUN_ID"):
        return None
    attempt = env.get("GITHUB_RUN_ATTEMPT", "")
    return _present(
        repository=env.get("GITHUB_REPOSITORY"),
        run_id=env["GITHUB_RUN_ID"],
        run_attempt=int(attempt) if attempt.isdigit() else None,
        workflow=env.get("GITHUB_WORKFLOW"),
        ref=env.get("GITHUB_REF"),
        event_name=env.get("GITHUB_EVENT_NAME"),
        server_url=env.get("GITHUB_SERVER_URL"),
    )


def _present(**fields: Any) -> dict[str, Any]:
    """The fields that are not None (what a record leaves out)."""
    return {name: value for name, value in fields.items() if value is not None}


def results_files(results_dir: Path) -> dict[str, tuple[GateResult, bytes]]:
    """Gate results of this run by gate name, with the file bytes (the audit-log's own excluded).

    A corrupt results file is a usage error (exit 2): evidence must never be silently dropped.
    """
    found: dict[str, tuple[GateResult, bytes]] = {}
    if not results_dir.is_dir():
        return found
    for path in sorted(results_dir.glob("*.json")):
        if path.stem == SELF or not _looks_like_result(path):
            continue
        from genai_gate.results import GateResult  # only when there are results to read

        result = GateResult.read(path)
        found[result.gate] = (result, path.read_bytes())
    return found


def _looks_like_result(path: Path) -> bool:
    """A JSON object with a `gate` key (other JSON files in the folder are not results);
    unreadable or corrupt JSON counts as a result so that GateResult.read reports it."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return True
    return not isinstance(data, dict) or "gate" in data


def gate_evidence(results: Mapping[str, tuple[GateResult, bytes]]) -> list[dict[str, Any]]:
    """Digest and verdict of every results file (`gates` of the record)."""
    return [
        _present(
            gate=gate,
            status=result.status.value,
            digest="sha256:" + hashlib.sha256(data).hexdigest(),
            git_sha=result.git_sha,
            incomplete=result.incomplete,
        )
        for gate, (result, data) in sorted(results.items())
    ]


def previous_release(tip: Tip, environment: str) -> dict[str, Any] | None:
    """The last successful deploy to `environment` in the log: what a rollback returns to,
    code, data and configuration (its manifest), as the record's `rollback_plan`."""
    raw = tip.last_deploys.get(environment)
    if raw is None:
        return None
    manifest = raw.get("manifest")
    return _present(
        previous_version=raw.get("version"),
        previous_sha=raw.get("git_sha"),
        previous_image_digest=(manifest or {}).get("image_digest"),
        previous_manifest=manifest if isinstance(manifest, dict) else None,
    )


def previous_release_manifest(tip: Tip, environment: str) -> Manifest | None:
    """Manifest of the last successful deploy to `environment` in the log."""
    from genai_gate.gates.audit.record import Manifest

    raw = tip.last_deploys.get(environment)
    if raw is None or not isinstance(raw.get("manifest"), dict):
        return None
    return Manifest.model_validate(raw["manifest"])


def canary_from_results(results: Mapping[str, tuple[GateResult, bytes]]) -> dict[str, Any]:
    """Step, decision, score and success of the canary-gate results file, when there is one."""
    from genai_gate.gates.canary.event import CanaryDetails

    if "canary-gate" not in results:
        return {}
    try:
        event = CanaryDetails.of(results["canary-gate"][0]).audit_event
    except ConfigError:  # not an event a canary step writes
        return {}
    return {} if event is None else event.model_dump(mode="json", exclude_unset=True)


class DraftBuilder:
    """Collects everything a record says; `draft(tip)` is called with the tip being appended to."""

    def __init__(
        self,
        options: Options,
        config: LoadedConfig | None,
        settings: AuditSettings,
        results_dir: Path,
        approvals: list[dict[str, Any]],
        env: Mapping[str, str] = os.environ,
    ) -> None:
        self.options = options
        self.environment = options.given(options.environment, "--environment")
        """Where the record is deployed."""
        self.config = config
        self.settings = settings
        self.env = env
        self.root = config.root if config else Path.cwd()
        self.results = results_files(results_dir)
        self.approvals = approvals
        sha = options.sha or git.output(self.root, "rev-parse", "HEAD") or env.get("GITHUB_SHA")
        if not sha:
            raise UsageError("no commit: pass --sha or run inside a git repository")
        self.sha: str = sha
        self._changes_cache: dict[str, dict[str, Any]] = {}
        self.fields = self._static_fields()

    def _static_fields(self) -> dict[str, Any]:
        options, env = self.options, self.env
        run = run_info(env)
        deployment_id = options.deployment_id or (
            f"{run['run_id']}" if run else f"{options.version}@{self.sha[:12]}"
        )
        fields: dict[str, Any] = {
            "timestamp": utc_now(),
            "event": options.event,
            "deployment_id": deployment_id,
            "environment": options.environment,
            "version": options.version,
            "git_sha": self.sha,
            "commit_time": git.output(self.root, "show", "-s", "--format=%cI", self.sha),
            "deployer": options.deployer or env.get("GITHUB_ACTOR") or env.get("USER") or "unknown",
            "approvers": self.approvals,
            "approval_ticket": options.ticket,
            "manifest": build_manifest(
                self.config,
                self.settings,
                self.root,
                self.sha,
                options.image_digest,
                options.kb_snapshot,
            ),
            "gates": gate_evidence(self.results),
            "planned": not options.unplanned,
            "incident_id": options.incident_id,
            "incident_opened_at": options.incident_opened_at,
            "run": run,
            "genai_gate_commit": env.get("GENAI_GATE_COMMIT") or None,
            "notes": options.notes,
        }
        if options.base_ref:
            fields["changes"] = self._changes(options.base_ref)
        fields.update(self._traffic())
        return {k: v for k, v in fields.items() if v is not None}

    def _traffic(self) -> dict[str, Any]:
        options = self.options
        if options.event != "canary-step":
            success = options.outcome == "success"
            percent = options.traffic_percent
            if percent is None and options.event == "deploy" and success:
                percent = 100.0
            return {"success": success, "traffic_percent": percent}
        event = canary_from_results(self.results)
        step = options.traffic_percent if options.traffic_percent is not None else event.get("step")
        decision = options.canary_outcome or event.get("decision")
        if step is None or decision is None:
            raise UsageError(
                "canary-step needs --traffic-percent and --canary-outcome, or a canary-gate "
                "results file in the results dir"
            )
        score = options.canary_score if options.canary_score is not None else event.get("score")
        canary = _present(traffic_percent=step, outcome=decision, score=score)
        after = {"promote": step, "hold": step, "rollback": 0.0}.get(decision, step)
        return {
            "canary": canary,
            "traffic_percent": after,
            "success": decision == "promote",
        }

    def _changes(self, base_ref: str) -> dict[str, Any] | None:
        """Changes since `base_ref` (cached: drafts are rebuilt on each append attempt)."""
        if self.config is None:
            return None
        if base_ref not in self._changes_cache:
            from genai_gate.gates.audit.release import ReleaseReader, diff

            reader = ReleaseReader(self.config, self.settings)
            changes = diff(reader.at(base_ref), reader.head(), base_ref)
            self._changes_cache[base_ref] = changes.model_dump()
        return self._changes_cache[base_ref]

    def draft(self, tip: Tip) -> dict[str, Any]:
        """The record fields, with the rollback plan taken from the log being appended to.

        Without --base-ref, changes are derived against the commit of the last successful
        deploy to the same environment, when that commit is in the local repository.
        """
        fields = dict(self.fields)
        previous = previous_release(tip, self.environment)
        base = previous.get("previous_sha") if previous else None
        if "changes" not in fields and base and self.config is not None and self._known(base):
            fields["changes"] = self._changes(base)
        plan = self._rollback_plan(tip)
        if plan:
            fields["rollback_plan"] = plan
        return fields

    def _known(self, sha: str) -> bool:
        """Whether commit `sha` is in the local repository (asked of git only when needed)."""
        return git.output(self.root, "cat-file", "-e", f"{sha}^{{commit}}") is not None

    def _rollback_plan(self, tip: Tip) -> dict[str, Any]:
        """The previous release, with what the options say instead (empty: no plan)."""
        options = self.options
        return (previous_release(tip, self.environment) or {}) | _present(
            previous_version=options.rollback_version,
            previous_sha=options.rollback_sha,
            command=options.rollback_command,
        )


def build_manifest(
    config: LoadedConfig | None,
    settings: AuditSettings,
    root: Path,
    sha: str,
    image_digest: str | None,
    kb_snapshot: str | None,
) -> dict[str, Any]:
    """What the release ships: code, image, prompts, models, KB snapshot, data sources, config
    (the record's `manifest`)."""
    # release and knowledge_base load the config stack: imported only when there is one to read
    prompts: list[dict[str, Any]] = []
    models: list[dict[str, Any]] = []
    config_digest = None
    if config is not None:
        from genai_gate.gates.audit.release import ReleaseReader

        state = ReleaseReader(config, settings).head()
        prompts = [
            _present(prompt_id=pid, version=p.version, content_hash=p.content_hash, model=p.model)
            for pid, p in sorted(state.prompts.items())
        ]
        used = {p.model for p in state.prompts.values()} or set(state.models)
        models = [
            {"name": name, "version": state.models[name]}
            for name in sorted(used)
            if name in state.models
        ]
        config_digest = config.digest
    kb = kb_snapshot
    release = config.model.release if config is not None else None
    if kb is None and release is not None and release.knowledge_base is not None:
        from genai_gate.knowledge_base import knowledge_base_digest

        kb = knowledge_base_digest(release.knowledge_base, root).label
    sources: dict[str, str] = {}
    if settings.knowledge_base or settings.data_sources:
        from genai_gate.knowledge_base import content_digest

        if kb is None and settings.knowledge_base:
            kb = "kb-" + content_digest([root / settings.knowledge_base], root)[:16]
        sources = {
            source: "sha256:" + content_digest([root / source], root)
            for source in settings.data_sources
        }
    return _present(
        code_sha=sha,
        image_digest=image_digest,
        prompts=prompts,
        models=models,
        kb_snapshot_id=kb,
        data_sources=sources,
        config_digest=config_digest,
    )


def check_draft(draft: dict[str, Any], where: str = "record") -> None:
    """Validate a draft as a record; every problem named by field (exit 2)."""
    record_check.complete({**draft, "seq": 0, "prev": GENESIS, "hash": GENESIS}, where)
