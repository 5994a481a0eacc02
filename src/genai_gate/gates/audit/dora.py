"""DORA metrics from the audit log and git history.

A deployment is one attempt: the records sharing a `deployment_id` and a run attempt in one
environment (a re-run of a workflow run is a new attempt). It succeeded when it reached 100%
traffic and was not rolled back. It is a change failure when it was rolled back, or when a later
unplanned deploy (with an `incident_id`) remediated it; the rate is over deployments that
reached at least 5% of traffic. Deployment frequency is successful deployments per week over
the whole window. Lead time runs from each commit of the release (git history since the previous
successful deploy; the record's commit time as a fallback) to 100% traffic. Time to restore runs
from when the failing release first took traffic (or the incident's start) to traffic back on a
good release; a failure that never took traffic has no restoration, never a zero-minute one.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from genai_gate.gates.audit.settings import DoraTargets
from genai_gate.integrations import git

EXPOSED_PERCENT = 5.0


def parse_time(value: Any) -> datetime | None:
    """An ISO-8601 timestamp as an aware datetime (UTC when no zone), or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


@dataclass
class Deployment:
    """What the records of one deployment say."""

    id: str
    version: str
    sha: str
    started: datetime
    commit_time: datetime | None = None
    full_at: datetime | None = None
    """When it reached 100% traffic."""
    exposed: bool = False
    """Reached at least 5% of traffic."""
    rolled_back: bool = False
    failure_started: datetime | None = None
    """When the failing release first took traffic (None: it never did before failing)."""
    restored_at: datetime | None = None
    finished: bool = False
    planned: bool = True
    incident_id: str | None = None
    incident_opened_at: datetime | None = None
    caused_incident: bool = False
    _live_since: datetime | None = field(default=None, repr=False)
    _traffic_off: datetime | None = field(default=None, repr=False)

    @property
    def restored(self) -> datetime | None:
        """When traffic was back on the previous release: the rollback record, else the
        record that set the new release's traffic to 0."""
        return self.restored_at or self._traffic_off

    @property
    def succeeded(self) -> bool:
        """Reached 100% traffic and stayed."""
        return self.full_at is not None and not self.rolled_back

    @property
    def failed_change(self) -> bool:
        """Rolled back or remediated after an incident."""
        return self.rolled_back or self.caused_incident

    def add(self, raw: dict[str, Any], at: datetime) -> None:
        """Fold one record into the deployment."""
        canary = raw.get("canary") or {}
        traffic = raw.get("traffic_percent")
        exposure = max(float(canary.get("traffic_percent") or 0), float(traffic or 0))
        self.exposed = self.exposed or exposure >= EXPOSED_PERCENT
        failing = (
            raw.get("event") == "rollback"
            or canary.get("outcome") == "rollback"
            or (raw.get("event") == "deploy" and not raw.get("success"))
        )
        if failing and not self.rolled_back:
            self.rolled_back = True
            self.failure_started = self._live_since
        if self.rolled_back and self.restored_at is None:
            if raw.get("event") == "rollback" and raw.get("success"):
                self.restored_at = at
            elif traffic == 0 and self._traffic_off is None:
                self._traffic_off = at
        if raw.get("success") and traffic == 100 and self.full_at is None and not failing:
            self.full_at = at
        if raw.get("event") in ("deploy", "rollback") or canary.get("outcome") == "rollback":
            self.finished = True
        if exposure > 0 and self._live_since is None and not failing:
            self._live_since = at


def deployments(records: Sequence[dict[str, Any]], environment: str) -> list[Deployment]:
    """The deployments to `environment`, in the order they started."""
    found: dict[str, Deployment] = {}
    for raw in records:
        at = parse_time(raw.get("timestamp"))
        if raw.get("environment") != environment or at is None:
            continue
        attempt = (raw.get("run") or {}).get("run_attempt")
        key = str(raw.get("deployment_id")) + (f" (attempt {attempt})" if attempt else "")
        dep = found.get(key)
        if dep is None:
            dep = found[key] = Deployment(
                id=key,
                version=str(raw.get("version")),
                sha=str(raw.get("git_sha")),
                started=at,
                commit_time=parse_time(raw.get("commit_time")),
                planned=bool(raw.get("planned", True)),
                incident_id=raw.get("incident_id"),
                incident_opened_at=parse_time(raw.get("incident_opened_at")),
            )
        dep.add(raw, at)
    ordered = list(found.values())
    _link_incidents(ordered)
    return ordered


def _link_incidents(deps: list[Deployment]) -> None:
    """Mark the release live when an incident started as the change that failed."""
    for fix in deps:
        if fix.planned or not fix.incident_id:
            continue
        opened = fix.incident_opened_at or fix.started
        live = [
            d
            for d in deps
            if d is not fix and d.succeeded and d.full_at is not None and d.full_at <= opened
        ]
        if live:
            max(live, key=lambda d: d.full_at or d.started).caused_incident = True


def commit_times(repo: Path, since_sha: str | None, sha: str) -> list[datetime]:
    """Committer times of the commits in `since_sha..sha` (just `sha` without a base)."""
    spec = [f"{since_sha}..{sha}"] if since_sha else ["-1", sha]
    out = git.output(repo, "log", "--format=%cI", *spec, "--")
    return [t for t in (parse_time(line) for line in (out or "").split()) if t is not None]


def p90(values: Sequence[float]) -> float:
    """90th percentile, nearest rank."""
    ordered = sorted(values)
    return ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]


@dataclass(frozen=True)
class Metric:
    """One DORA metric against its target."""

    key: str
    name: str
    value: float | None
    """None when there is no data."""
    unit: str
    target: str
    met: bool | None
    detail: str


def compute(
    records: Sequence[dict[str, Any]],
    targets: DoraTargets,
    repo: Path | None,
    now: datetime,
) -> tuple[list[Metric], list[Deployment]]:
    """The five metrics over the window ending `now`."""
    start = now - timedelta(days=targets.window_days)
    all_deps = deployments(records, targets.environment)
    deps = [d for d in all_deps if start <= d.started <= now]
    good = [d for d in deps if d.succeeded]
    span_days = float(targets.window_days)
    freq = len(good) / (span_days / 7) if deps else None
    leads = _lead_times(all_deps, good, repo)
    exposed = [d for d in deps if d.exposed]
    failed = [d for d in exposed if d.failed_change]
    cfr = 100 * len(failed) / len(exposed) if exposed else None
    restores = _restore_minutes(deps)
    finished = [d for d in deps if d.finished]
    success = 100 * len([d for d in finished if d.succeeded]) / len(finished) if finished else None
    lead_median = statistics.median(leads) if leads else None
    ttr = statistics.median(restores) if restores else None
    t = targets
    metrics = [
        Metric(
            "deployment_frequency",
            "Deployment frequency",
            freq,
            "per week",
            f">= {t.deployments_per_week:g}/week",
            None if freq is None else freq >= t.deployments_per_week,
            f"{len(good)} successful deployments in the last {span_days:g} days",
        ),
        Metric(
            "lead_time_hours",
            "Lead time (median)",
            lead_median,
            "hours",
            f"< {t.lead_time_hours:g} h",
            None if lead_median is None else lead_median < t.lead_time_hours,
            f"p90 {p90(leads):.2f} h over {len(leads)} commits" if leads else "no commits",
        ),
        Metric(
            "change_failure_rate_pct",
            "Change failure rate",
            cfr,
            "%",
            f"< {t.change_failure_rate_pct:g}%",
            None if cfr is None else cfr < t.change_failure_rate_pct,
            f"{len(failed)} of {len(exposed)} deployments that reached "
            f">= {EXPOSED_PERCENT:g}% traffic",
        ),
        Metric(
            "time_to_restore_minutes",
            "Time to restore (median)",
            ttr,
            "minutes",
            f"< {t.time_to_restore_minutes:g} min",
            None if ttr is None else ttr < t.time_to_restore_minutes,
            f"{len(restores)} restorations" if restores else "no failures to restore from",
        ),
        Metric(
            "success_rate_pct",
            "Deployment success rate",
            success,
            "%",
            f"> {t.success_rate_pct:g}%",
            None if success is None else success > t.success_rate_pct,
            f"{len([d for d in finished if d.succeeded])} of {len(finished)} finished deployments",
        ),
    ]
    return metrics, deps


def _lead_times(
    all_deps: list[Deployment], good: list[Deployment], repo: Path | None
) -> list[float]:
    """Hours from each commit of a successful release to its 100% traffic."""
    done = sorted((d.full_at, d.sha) for d in all_deps if d.full_at is not None and d.succeeded)
    hours: list[float] = []
    for dep in good:
        full = dep.full_at
        if full is None:
            continue
        earlier = [sha for at, sha in done if at < full]
        times = commit_times(repo, earlier[-1] if earlier else None, dep.sha) if repo else []
        if not times and dep.commit_time is not None:
            times = [dep.commit_time]
        hours += [(full - t).total_seconds() / 3600 for t in times if t <= full]
    return hours


def _restore_minutes(deps: list[Deployment]) -> list[float]:
    minutes = []
    for dep in deps:
        started, restored = dep.failure_started, dep.restored
        if dep.rolled_back and started and restored and restored > started:
            minutes.append((restored - started).total_seconds() / 60)
        if not dep.planned and dep.incident_opened_at and dep.full_at:
            minutes.append((dep.full_at - dep.incident_opened_at).total_seconds() / 60)
    return minutes
