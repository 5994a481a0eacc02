"""The `canary:` section of genai-gate.yaml: where the metrics live and how each one is judged.

Queries are PromQL templates. Placeholders (`{{name}}`) are filled in per deployment:

- `{{label}}`: the deployment label value (`--baseline-label` / `--canary-label`), escaped;
- `{{selector}}`: `label_name="value"` plus `extra_matchers`, for use inside `{...}`;
- `{{interval}}`: the rate window, equal to the query step, so rate windows never overlap.

`llm_requests_total{{{selector}}}` thus becomes `llm_requests_total{deployment="canary"}`.

The defaults read the runtime guard's series (`genai_gate.runtime_guard.names`), the ones the
example agent serves and `monitor rules` alerts on; an agent exporting other names sets
`traffic.counter` and `metrics` to them.
"""

from __future__ import annotations

import itertools
import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from genai_gate.runtime_guard import names
from genai_gate.schema import StrictModel

PLACEHOLDERS = ("label", "selector", "interval")
Boundary = Literal["pocock", "obrien-fleming"]
"""How an event-rate test's rollback level is spread over the looks of an extended step."""
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\}\}")
_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def parse_duration(text: str) -> int:
    """Seconds in a Prometheus-style duration (`90s`, `10m`, `1h30m`); ValueError when invalid."""
    match = _DURATION.match(text.strip())
    if not text.strip() or match is None or not any(match.groups()):
        raise ValueError(f"invalid duration {text!r} (expected e.g. 30s, 10m, 1h)")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise ValueError(f"duration {text!r} must be positive")
    return total


def check_template(query: str) -> str:
    """Reject templates with placeholders we do not fill (a typo would reach Prometheus)."""
    unknown = sorted({name for name in _PLACEHOLDER.findall(query) if name not in PLACEHOLDERS})
    if unknown:
        raise ValueError(
            f"unknown placeholder(s) {', '.join(unknown)}; known: {', '.join(PLACEHOLDERS)}"
        )
    return query


def render_template(query: str, values: dict[str, str]) -> str:
    """Fill the `{{name}}` placeholders of a query template."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], query)


class AuthSettings(StrictModel):
    """Credentials for the Prometheus API, read from environment variables (never the file)."""

    bearer_token_env: str | None = None
    """Variable holding a bearer token, sent as `Authorization: Bearer ...`."""
    username_env: str | None = None
    """Variable holding the basic-auth user name."""
    password_env: str | None = None
    """Variable holding the basic-auth password."""

    @model_validator(mode="after")
    def _one_scheme(self) -> AuthSettings:
        basic = (self.username_env, self.password_env)
        if self.bearer_token_env and any(basic):
            raise ValueError("use either bearer_token_env or username_env/password_env, not both")
        if any(basic) and not all(basic):
            raise ValueError("basic auth needs both username_env and password_env")
        return self


class PrometheusSettings(StrictModel):
    """The Prometheus HTTP API the metrics are read from."""

    url: str | None = None
    """Base URL (e.g. `http://prometheus:9090`); `--prometheus-url` overrides it."""
    auth: AuthSettings = AuthSettings()
    """Basic or bearer credentials from environment variables."""
    connect_timeout_s: float = Field(default=2.0, gt=0, le=60)
    """Timeout to open a connection (short: an unreachable server must fail fast, exit 3)."""
    timeout_s: float = Field(default=20.0, gt=0, le=600)
    """Time limit of one query, connect and complete answer included."""
    run_timeout_s: float = Field(default=120.0, gt=0, le=3600)
    """Time limit of the whole step, its queries and any wait for the later looks of
    `sequential` (a query cut short by it: exit 3, decision hold)."""


class ConsecutiveRule(StrictModel):
    """The seed's rule: canary windows beyond baseline mean ± k standard deviations, N in a row.

    For counter ratios (events per request) a window breaches only when its event count is also
    improbable for the baseline (Poisson plus the baseline's extra spread, one-sided at `alpha`),
    so a window with a handful of requests cannot breach by chance. Fires (rolls back) on its own.
    """

    k: float = Field(default=2.0, gt=0)
    """Baseline standard deviations (of its per-window values) above the baseline mean."""
    consecutive: int = Field(default=2, ge=1)
    """Breaching windows in a row needed before the rule fires."""
    alpha: float = Field(default=0.01, gt=0, lt=0.5)
    """Per-window significance of the count bound (counter ratios only)."""
    outage_ratio: float = Field(default=4.0, ge=1.0)
    """Counter ratios only: `consecutive` adjacent windows, each at half this multiple of the
    baseline's pooled rate or more, also fire when together they hold at least this multiple
    and significantly more than half of it (an outage that straddles window boundaries: the two
    best adjacent windows hold 3/4 of a 2-minute one)."""
    joint_alpha: float = Field(default=1e-3, gt=0, lt=0.5)
    """Significance of those adjacent windows' events above half `outage_ratio` (exact
    conditional binomial with the baseline's events), so a handful of errors is no outage."""


class IncreaseTest(StrictModel):
    """Pooled test that the canary's event rate is above the baseline's (counter ratios only).

    Compares the log of the two pooled rates. The variance of each window's event count is
    Poisson plus the relative extra per-window spread the baseline shows (a negative-binomial
    model whose dispersion comes from the baseline only, so a flapping canary cannot hide behind
    its own noise). Fires (rolls back) on its own.
    """

    z: float = Field(default=2.88, gt=0)
    """Standard scores the log of the canary/baseline rate ratio must reach (2.88: one-sided
    0.2%; the critical value is Student's t at that level, as the spread is estimated)."""
    min_ratio: float = Field(default=1.2, ge=1.0)
    """Canary/baseline pooled rate ratio the increase must also exceed."""
    paired_z: float | None = Field(default=2.88, gt=0)
    """Rule `<metric>.paired`: the canary's events above what its share of each window's events
    would be (window by window, so noise common to both sides cancels) by this many standard
    scores (2.88: one-sided 0.2%), with the extra spread of the pairs (quasi-binomial, Student's
    t); None turns it off."""


class CounterRatio(StrictModel):
    """A metric computed from raw counter samples: increase(numerator) / increase(denominator).

    The increases are the deltas between consecutive scrapes (resets handled), each counted in the
    window of its later sample, so no increase falls between two windows.
    """

    numerator: str = Field(pattern=r"^[A-Za-z_:][A-Za-z0-9_:]*$")
    """Counter metric name, e.g. `llm_request_errors_total` (a never-created one counts 0)."""
    denominator: str = Field(pattern=r"^[A-Za-z_:][A-Za-z0-9_:]*$")
    """Counter metric name, e.g. `llm_requests_total`."""
    events: bool = False
    """The numerator counts events (errors): enables the Poisson bounds and `increase_test`."""


class MetricSettings(StrictModel):
    """One metric compared between baseline and canary: its rules and its Kayenta comparison."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    """Name shown in the evidence table."""
    query: str | None = None
    """PromQL template returning one series per deployment, one point per window."""
    counters: CounterRatio | None = None
    """Instead of `query`: a ratio of two counters read as raw samples."""
    direction: Literal["increase", "decrease", "either"] = "either"
    """Which change is harmful: `increase` (errors, cost), `decrease` (quality) or `either`."""
    critical: bool = False
    """A harmful Kayenta classification of a critical metric rolls back whatever the score."""
    group: str | None = None
    """Score group (defaults to the metric name); groups are weighted by `groups`."""
    tolerance: float = Field(default=0.25, ge=0)
    """Kayenta tolerance: the confidence interval must clear tolerance x |effect|."""
    allowed_increase: float = Field(default=1.0, ge=1.0)
    """Canary/baseline mean ratio that an increase must exceed to count as High (Kayenta)."""
    allowed_decrease: float = Field(default=1.0, gt=0, le=1.0)
    """Canary/baseline mean ratio that a decrease must fall below to count as Low (Kayenta)."""
    min_value: float | None = None
    """Rule: the canary's value (pooled ratio, or median point) below it rolls back."""
    max_value: float | None = None
    """Rule: the canary's value above it rolls back."""
    max_ratio: float | None = Field(default=None, gt=0)
    """Rule: canary/baseline value ratio above it rolls back (cost per request: 1.5)."""
    min_ratio: float | None = Field(default=None, gt=0)
    """Rule: canary/baseline value ratio below it rolls back."""
    sigma: ConsecutiveRule | None = None
    """Rule: the seed's baseline + k sd for N consecutive windows."""
    increase_test: IncreaseTest | None = None
    """Rule: pooled event-rate increase test (counter ratios with `events: true`)."""
    min_samples: int = Field(default=5, ge=3)
    """Windows needed on each side after NaN handling for the Kayenta comparison."""
    nan_policy: Literal["remove", "replace"] = "remove"
    """NaN or infinite points (e.g. 0/0 with no traffic): drop them, or count them as 0."""

    @field_validator("query")
    @classmethod
    def _known_placeholders(cls, value: str | None) -> str | None:
        return None if value is None else check_template(value)

    @model_validator(mode="after")
    def _one_source(self) -> MetricSettings:
        if (self.query is None) == (self.counters is None):
            raise ValueError("set exactly one of query and counters")
        if self.increase_test is not None and not (self.counters and self.counters.events):
            raise ValueError("increase_test needs counters with events: true")
        return self


class TrafficSettings(StrictModel):
    """Requests served, from the raw samples of a counter; they also measure data coverage."""

    counter: str = Field(default=names.REQUESTS, pattern=r"^[A-Za-z_:][A-Za-z0-9_:]*$")
    """Counter of requests served, labelled like the metrics (default: the guard's)."""
    min_requests: int = Field(default=100, ge=0)
    """Requests each side must have served in the window."""


LATENCY_P95 = (
    "histogram_quantile(0.95, sum by (le) "
    "(increase(" + names.LATENCY + "_bucket{{{selector}}}[{{interval}}])))"
)
"""95th percentile request latency of each window, from the guard's latency histogram."""


def default_metrics() -> list[MetricSettings]:
    """The seed's rollback rules plus latency, each also compared the Kayenta way, over the
    runtime guard's series."""
    return [
        MetricSettings(
            name="error_rate",
            counters=CounterRatio(
                numerator=names.ERRORS,
                denominator=names.REQUESTS,
                events=True,
            ),
            direction="increase",
            group="errors",
            allowed_increase=1.2,
            sigma=ConsecutiveRule(),
            increase_test=IncreaseTest(),
        ),
        MetricSettings(
            name="quality_score",
            counters=CounterRatio(
                numerator=f"{names.QUALITY}_sum", denominator=f"{names.QUALITY}_count"
            ),
            direction="decrease",
            critical=True,
            group="quality",
            allowed_decrease=0.97,
            min_value=0.75,
        ),
        MetricSettings(
            name="cost_per_request",
            counters=CounterRatio(numerator=names.COST, denominator=names.REQUESTS),
            direction="increase",
            critical=True,
            group="cost",
            allowed_increase=1.5,
            max_ratio=1.5,
        ),
        MetricSettings(
            name="pii_incidents",
            counters=CounterRatio(
                numerator=names.PII_BLOCKS, denominator=names.REQUESTS, events=True
            ),
            direction="increase",
            critical=True,
            group="privacy",
            increase_test=IncreaseTest(),
        ),
        MetricSettings(
            name="latency_p95",
            query=LATENCY_P95,
            direction="increase",
            group="latency",
            allowed_increase=1.2,
            max_ratio=1.5,
        ),
    ]


class SequentialSettings(StrictModel):
    """Extending an inconclusive step: a group-sequential design over more windows.

    When the rules do not fire and the pooled and paired event-rate tests (`increase_test`) have
    neither crossed their rollback boundary nor ruled out a `ratio`-fold increase, the step is
    judged again every `look_every` windows (waiting for them to end) up to `max_windows`. The
    looks are planned before the first one: those whose data Prometheus already holds or that
    end within the run's deadline (`prometheus.run_timeout_s`); each event-rate test then rolls
    back at each look's level of `boundary` (O'Brien-Fleming's by default: strict at the early
    looks, near the one-look level at the last), so its false-rollback rate over all looks stays
    the configured one (`z`, `paired_z`). At a later look a consecutive rule
    (`sigma`) counts only runs reaching the windows new since the previous look, of the shortest
    length no likelier in the look's windows than `consecutive` in the first look's (2, then 3
    by default). The other rules keep their levels.
    """

    max_windows: int = Field(default=40, ge=3)
    """Most windows a step may be judged on (at or below the window's own count: no looks).
    40 one-minute windows find twice the error rate 99% of the time at 1,200 requests/min
    when each side's per-minute rate varies on its own (cv 0.5); 30 do not."""
    look_every: int = Field(default=5, ge=1)
    """Windows between two looks."""
    ratio: float = Field(default=2.0, gt=1.0)
    """Event-rate increase an early promotion must rule out: the canary promotes before the
    last look only when its events are improbable for this multiple of the baseline's rate."""
    boundary: Boundary = "obrien-fleming"
    """How each event-rate test's rollback level is spread over the looks: `obrien-fleming`
    (strict early, close to the one-look level at the last, where a weak increase is found) or
    `pocock` (one level at every look)."""
    beta: float = Field(default=0.001, gt=0, lt=0.5)
    """Chance, over all looks, that a canary at `ratio` times the baseline's rate is promoted
    early (each look's bound is Pocock's); it adds to the share of such canaries promoted."""


class CanarySettings(StrictModel):
    """Settings of the canary gate: Prometheus, rollout steps, metrics and thresholds."""

    prometheus: PrometheusSettings = PrometheusSettings()
    """Where the metrics are read from."""
    label_name: str = Field(default="deployment", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    """Prometheus label that tells baseline and canary apart (used by `{{selector}}`)."""
    extra_matchers: str = ""
    """More matchers added to `{{selector}}`, e.g. `service="bank-agent"`."""
    steps: list[int] = Field(default_factory=lambda: [5, 25, 50, 100], min_length=1)
    """Canary traffic percentages, in order; the last one below 100 is the final judged step."""
    window: str = "10m"
    """How far back from the end time each step is judged; `--window` overrides it."""
    step_windows: dict[int, str] = Field(default_factory=dict)
    """Window of particular steps (e.g. `{5: 20m}`: small steps see less traffic)."""
    interval: str = "1m"
    """Length of each judged window (and query step / rate window, so they never overlap)."""
    scrape_interval: str = "15s"
    """How often Prometheus scrapes the deployments: each window must hold its samples."""
    min_coverage: float = Field(default=0.75, gt=0, le=1)
    """Share of a window's expected scrapes that must be there (else the step holds)."""
    confidence: float = Field(default=0.98, gt=0.5, lt=1.0)
    """Confidence level of the Mann-Whitney confidence interval."""
    pass_score: float = Field(default=95.0, ge=0, le=100)
    """Score the final step must reach to promote."""
    marginal_score: float = Field(default=75.0, ge=0, le=100)
    """Score an intermediate step must exceed to promote; at or below it rolls back."""
    groups: dict[str, float] = Field(default_factory=dict)
    """Weight of each metric group in the score (groups not listed weigh 1)."""
    traffic: TrafficSettings = TrafficSettings()
    """Minimum traffic per side."""
    metrics: list[MetricSettings] = Field(default_factory=default_metrics, min_length=1)
    """Metrics to compare; defaults: error rate, quality, cost per request, PII incidents
    (responses the guard masked or blocked, per request), latency p95."""
    sequential: SequentialSettings = SequentialSettings()
    """More looks when the event-rate tests are inconclusive (not with `--baseline-end`)."""

    @field_validator("window", "interval", "scrape_interval")
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @field_validator("step_windows")
    @classmethod
    def _durations(cls, value: dict[int, str]) -> dict[int, str]:
        for window in value.values():
            parse_duration(window)
        return value

    @field_validator("steps")
    @classmethod
    def _increasing(cls, value: list[int]) -> list[int]:
        if any(not 0 < step <= 100 for step in value):
            raise ValueError("steps are percentages between 1 and 100")
        if any(b <= a for a, b in itertools.pairwise(value)):
            raise ValueError("steps must increase")
        return value

    @field_validator("groups")
    @classmethod
    def _weights(cls, value: dict[str, float]) -> dict[str, float]:
        if any(weight <= 0 for weight in value.values()):
            raise ValueError("group weights must be positive")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CanarySettings:
        if self.marginal_score > self.pass_score:
            raise ValueError("marginal_score must not exceed pass_score")
        interval = parse_duration(self.interval)
        if parse_duration(self.scrape_interval) > interval:
            raise ValueError("scrape_interval must not exceed interval")
        if any(
            parse_duration(w) < 3 * interval for w in [self.window, *self.step_windows.values()]
        ):
            raise ValueError("windows must hold at least 3 intervals")
        if set(self.step_windows) - set(self.steps):
            raise ValueError("step_windows names a step that is not in steps")
        names = [metric.name for metric in self.metrics]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"duplicate metric names: {', '.join(duplicates)}")
        unknown = set(self.groups) - {m.group or m.name for m in self.metrics}
        if unknown:
            raise ValueError(f"groups not used by any metric: {', '.join(sorted(unknown))}")
        return self

    def window_of(self, step: int) -> str:
        """The judged period of `step`."""
        return self.step_windows.get(step, self.window)

    def final_step(self) -> int:
        """The last judged step: the highest step below 100 (promoting it goes to 100%)."""
        below = [step for step in self.steps if step < 100]
        return below[-1] if below else self.steps[-1]

    def next_step(self, step: int) -> int:
        """Traffic after promoting `step`: the next entry, or 100 after the final step."""
        later = [s for s in self.steps if s > step]
        return later[0] if later else 100
