"""`audit-log check` (compliance evidence) and `audit-log dora` (DORA metrics)."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from genai_gate.context import Context
from genai_gate.errors import UsageError
from genai_gate.gates.audit import compliance, dora
from genai_gate.gates.audit.chart import Bar, scorecard
from genai_gate.gates.audit.options import Options
from genai_gate.gates.audit.trail import GATE, settings_of, verified_trail
from genai_gate.results import CaseResult, Finding, GateResult, Severity, Status


def _pull_number(options: Options) -> int | None:
    pr: int | None = options.pr
    if pr is not None:
        return pr
    event_path = os.environ.get("GITHUB_EVENT_PATH")
    if not event_path or not Path(event_path).is_file():
        return None
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    number = (event.get("pull_request") or {}).get("number") or event.get("number")
    return number if isinstance(number, int) else None


def run_check(options: Options, ctx: Context) -> GateResult:
    """Every item of the compliance policy, met or missing, with its evidence."""
    from genai_gate.gates.audit.draft import (
        build_manifest,
        previous_release_manifest,
        results_files,
    )
    from genai_gate.gates.audit.github import (
        GitHubAccess,
        pull_evidence,
        pull_of_commit,
        run_approvals,
    )
    from genai_gate.gates.audit.record import Manifest
    from genai_gate.integrations import git

    settings, root = settings_of(options, ctx)
    config = ctx.config_if_present()
    policy = settings.policy
    sha = options.sha or git.output(root, "rev-parse", "HEAD") or os.environ.get("GITHUB_SHA")
    if not sha:
        raise UsageError("no commit: pass --sha or run inside a git repository")
    number = _pull_number(options)
    needs_github = number is not None or options.environment in policy.approval_environments
    access = GitHubAccess.from_env(options.repo, options.api_url) if needs_github else None
    if number is None and access is not None:  # a push: the pull request that brought the sha
        number = pull_of_commit(access, sha)
    pull = pull_evidence(access, number) if access and number is not None else None
    approvals = None
    run_id = options.run_id or os.environ.get("GITHUB_RUN_ID")
    if access and run_id and options.environment in policy.approval_environments:
        approvals = run_approvals(access, run_id)
    verified = verified_trail(options, settings, root, "check impossible")
    if isinstance(verified, GateResult):
        return verified
    evidence = compliance.Evidence(
        sha=sha,
        environment=options.given(options.environment, "--environment"),
        pull=pull,
        results={gate: result for gate, (result, _) in results_files(ctx.results_dir).items()},
        manifest=Manifest.model_validate(
            build_manifest(config, settings, root, sha, options.image_digest, options.kb_snapshot)
        ),
        previous=previous_release_manifest(
            verified.scan.tip, options.given(options.environment, "--environment")
        ),
        approvals=approvals,
    )
    items = compliance.evaluate(policy, evidence)
    missing = [item for item in items if not item.met]
    return GateResult(
        gate=GATE,
        status=Status.FAIL if missing else Status.PASS,
        title=(
            f"compliance for {options.environment} at {sha[:12]}: "
            + (
                f"{len(missing)} of {len(items)} items missing"
                if missing
                else f"all {len(items)} met"
            )
        ),
        summary={"met": len(items) - len(missing), "missing": len(missing)},
        cases=[
            CaseResult(
                id=item.id, status=Status.PASS if item.met else Status.FAIL, reason=item.evidence
            )
            for item in items
        ],
        findings=[
            Finding(
                rule_id=f"audit/compliance/{item.id}",
                severity=Severity.ERROR,
                message=f"missing evidence: {item.evidence}",
            )
            for item in missing
        ],
    )


def _bar(metric: dora.Metric, target: float, higher_is_better: bool) -> Bar:
    label = {
        "deployment_frequency": "DEPLOYS/WEEK",
        "lead_time_hours": "LEAD TIME H",
        "change_failure_rate_pct": "CHANGE FAIL %",
        "time_to_restore_minutes": "RESTORE MIN",
        "success_rate_pct": "SUCCESS %",
    }[metric.key]
    value = metric.value
    sign = ">" if higher_is_better else "<"
    return Bar(
        label=label,
        value_text="N/A" if value is None else f"{value:.1f}",
        target_text=f"{sign}{target:g}",
        ratio=None if value is None else (value / target if target else 0.0),
        met=metric.met,
    )


def run_dora(options: Options, ctx: Context) -> GateResult:
    """The five DORA metrics against the targets, a table and a PNG chart."""
    from genai_gate.integrations.files import write_atomic

    settings, root = settings_of(options, ctx)
    targets = settings.dora
    if options.environment:
        targets = targets.model_copy(update={"environment": options.environment})
    records: list[dict[str, Any]] = []

    def keep(raw: dict[str, Any]) -> None:
        if raw.get("environment") == targets.environment:
            records.append(raw)

    verified = verified_trail(options, settings, root, "DORA metrics refused", keep)
    if isinstance(verified, GateResult):
        return verified
    repo = Path(options.git_dir).resolve() if options.git_dir else root
    now = datetime.now(timezone.utc)
    metrics, deps = dora.compute(records, targets, repo, now)
    t = targets
    bars = [
        _bar(metrics[0], t.deployments_per_week, True),
        _bar(metrics[1], t.lead_time_hours, False),
        _bar(metrics[2], t.change_failure_rate_pct, False),
        _bar(metrics[3], t.time_to_restore_minutes, False),
        _bar(metrics[4], t.success_rate_pct, True),
    ]
    chart = Path(options.chart) if options.chart else ctx.results_dir / "dora.png"
    write_atomic(chart, scorecard(f"DORA {t.environment} - last {t.window_days} days", bars))
    rows = [
        {
            "metric": m.name,
            "value": None if m.value is None else round(m.value, 2),
            "unit": m.unit,
            "target": m.target,
            "status": "no data" if m.met is None else "met" if m.met else "missed",
            "detail": m.detail,
        }
        for m in metrics
    ]
    table = _markdown_table(rows)
    write_atomic(chart.with_suffix(".md"), table)
    missed = [m for m in metrics if m.met is False]
    return GateResult(
        gate=GATE,
        status=Status.PASS,
        title=f"DORA {t.environment}: {len(deps)} deployments, "
        f"{5 - len(missed)} of 5 metrics on target or without data",
        summary={m.key: None if m.value is None else round(m.value, 3) for m in metrics}
        | {"chart": str(chart), "targets_missed": len(missed)},
        cases=[
            CaseResult(
                id=m.key,
                status=Status.SKIPPED if m.met is None else Status.PASS if m.met else Status.FAIL,
                reason=f"{'n/a' if m.value is None else f'{m.value:.2f}'} {m.unit} "
                f"(target {m.target}): {m.detail}",
            )
            for m in metrics
        ],
        findings=[
            Finding(
                rule_id=f"audit/dora/{m.key}",
                severity=Severity.WARNING,
                message=f"{m.name} {m.value:.2f} {m.unit} misses the target {m.target}",
            )
            for m in missed
            if m.value is not None
        ],
        details={"table": rows, "markdown": table, "chart": str(chart)},
    )


def _markdown_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| metric | value | target | status | detail |", "|---|---|---|---|---|"]
    for row in rows:
        value = "n/a" if row["value"] is None else f"{row['value']} {row['unit']}"
        lines.append(
            f"| {row['metric']} | {value} | {row['target']} | {row['status']} | {row['detail']} |"
        )
    return "\n".join(lines) + "\n"
