"""Prometheus alerting rules for the seed's production signals, from genai-gate.yaml.

Every expression reads the runtime guard's series (`genai_gate.runtime_guard.names`): error share,
p95 latency, mean quality score, spend per 15 minutes and PII incidents. Thresholds come from
the `monitor.rules` section, or from the sections that already state them (the eval suites'
`min_score`, the cost budget), so one number is written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from genai_gate.config import GenaiGateConfig
from genai_gate.errors import UsageError
from genai_gate.gates.monitor.settings import AlertSettings, RulesSettings
from genai_gate.runtime_guard import names

DEFAULT_QUALITY_MIN = 0.75
"""Quality floor when neither `monitor.rules.quality.min` nor an eval `min_score` is set."""
QUARTER_HOURS_PER_MONTH = 30 * 24 * 4
"""15-minute periods in a 30-day month."""


@dataclass(frozen=True)
class Thresholds:
    """The resolved numbers the rules compare against, with where each came from."""

    quality_min: float
    quality_source: str
    cost_max_usd: float | None
    cost_source: str


def thresholds(config: GenaiGateConfig, settings: RulesSettings) -> Thresholds:
    """Quality floor and cost ceiling, from `monitor.rules` or the eval / cost sections."""
    quality, quality_source = settings.quality.min, "monitor.rules.quality.min"
    if quality is None:
        floors = [
            suite.thresholds.min_score
            for suite in (config.eval.suites.values() if config.eval else [])
            if suite.thresholds.min_score is not None
        ]
        quality, quality_source = (
            (min(floors), "lowest eval suite thresholds.min_score")
            if floors
            else (DEFAULT_QUALITY_MIN, "default")
        )
    cost, cost_source = settings.cost.max_usd_per_15m, "monitor.rules.cost.max_usd_per_15m"
    budget = config.cost.monthly_budget_usd if config.cost else None
    if cost is None and budget is not None:
        cost = round(settings.cost.spike_factor * budget / QUARTER_HOURS_PER_MONTH, 6)
        cost_source = (
            f"{settings.cost.spike_factor:g} x cost.monthly_budget_usd ({budget:g}) / "
            f"{QUARTER_HOURS_PER_MONTH}"
        )
    return Thresholds(quality, quality_source, cost, cost_source)


class _Expr:
    """PromQL fragments with the configured selector and grouping."""

    def __init__(self, settings: RulesSettings) -> None:
        self.matchers = settings.selector.strip().strip(",")
        self.by = ", ".join(settings.by)

    def series(self, name: str, *matchers: str) -> str:
        inner = ",".join(m for m in (*matchers, self.matchers) if m)
        return f"{name}{{{inner}}}" if inner else name

    def total(self, function: str, name: str, window: str, *matchers: str, le: bool = False) -> str:
        labels = ", ".join(label for label in (("le",) if le else ()) + (self.by,) if label)
        grouping = f" by ({labels})" if labels else ""
        return f"sum{grouping} ({function}({self.series(name, *matchers)}[{window}]))"


def _rule(
    name: str, alert: AlertSettings, expr: str, project: str, summary: str, text: str
) -> dict[str, Any]:
    return {
        "alert": name,
        "expr": expr,
        "for": alert.for_,
        "labels": {"severity": alert.severity, "project": project, "source": "genai-gate"},
        "annotations": {"summary": summary, "description": text},
    }


def build_rules(config: GenaiGateConfig) -> dict[str, Any]:
    """The rule file (as data): one group with an alert per enabled signal."""
    settings = config.monitor.rules if config.monitor else RulesSettings()
    limits = thresholds(config, settings)
    e = _Expr(settings)
    project = config.project or "genai-agent"
    rules: list[dict[str, Any]] = []
    err = settings.error_rate
    if err.enabled:
        requests = e.total("increase", names.REQUESTS, err.window)
        errors = e.total("increase", names.REQUESTS, err.window, 'status="error"')
        rules.append(
            _rule(
                "GenAIErrorRateHigh",
                err,
                f"({errors} / {requests}) > {err.max:g} and {requests} >= {err.min_requests}",
                project,
                f"{project}: error rate above {err.max:.1%}",
                f"{{{{ $value | humanizePercentage }}}} of the requests failed over {err.window} "
                f"(limit {err.max:.1%}).",
            )
        )
    lat = settings.latency_p95
    if lat.enabled:
        buckets = e.total("rate", names.LATENCY + "_bucket", lat.window, le=True)
        rules.append(
            _rule(
                "GenAILatencyP95High",
                lat,
                f"histogram_quantile(0.95, {buckets}) > {lat.max_s:g}",
                project,
                f"{project}: p95 latency above {lat.max_s:g} s",
                f"p95 latency is {{{{ $value | humanizeDuration }}}} over {lat.window} "
                f"(limit {lat.max_s:g} s).",
            )
        )
    qual = settings.quality
    if qual.enabled:
        total = e.total("increase", names.QUALITY + "_sum", qual.window)
        count = e.total("increase", names.QUALITY + "_count", qual.window)
        rules.append(
            _rule(
                "GenAIQualityLow",
                qual,
                f"({total} / {count}) < {limits.quality_min:g} and {count} >= {qual.min_scores}",
                project,
                f"{project}: mean quality score below {limits.quality_min:g}",
                f'mean quality score is {{{{ $value | printf "%.3f" }}}} over {qual.window} '
                f"(threshold {limits.quality_min:g}: {limits.quality_source}).",
            )
        )
    cost = settings.cost
    if cost.enabled:
        if limits.cost_max_usd is None:
            raise UsageError(
                "monitor rules: the cost alert needs monitor.rules.cost.max_usd_per_15m or "
                "cost.monthly_budget_usd (or set monitor.rules.cost.enabled: false)"
            )
        spend = e.total("increase", names.COST, cost.window)
        rules.append(
            _rule(
                "GenAICostSpike",
                cost,
                f"{spend} > {limits.cost_max_usd:g}",
                project,
                f"{project}: spend above {limits.cost_max_usd:g} USD in 15 minutes",
                f'{{{{ $value | printf "%.2f" }}}} USD spent in the last 15 minutes '
                f"(limit {limits.cost_max_usd:g} USD: {limits.cost_source}).",
            )
        )
    pii = settings.pii
    if pii.enabled:
        incidents = e.total("increase", names.PII_BLOCKS, pii.window)
        rules.append(
            _rule(
                "GenAIPiiIncident",
                pii,
                f"{incidents} > {pii.max_incidents}",
                project,
                f"{project}: personal data in responses",
                f'{{{{ $value | printf "%.0f" }}}} responses with personal data were blocked '
                f"or masked over {pii.window} (tolerated: {pii.max_incidents}).",
            )
        )
    if not rules:
        raise UsageError("monitor rules: every alert is disabled in monitor.rules")
    group = {"name": settings.group, "interval": settings.evaluation_interval, "rules": rules}
    return {"groups": [group]}


def render(rules: dict[str, Any]) -> str:
    """The rule file as YAML, stable from run to run."""
    header = "# Generated by `genai-gate monitor rules` from genai-gate.yaml: do not edit.\n"
    return header + yaml.safe_dump(rules, sort_keys=False, width=100, allow_unicode=True)
