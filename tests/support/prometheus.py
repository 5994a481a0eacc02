"""A real Prometheus server for tests, loaded with backfilled OpenMetrics data.

`promtool tsdb create-blocks-from openmetrics` turns the text into TSDB blocks in a temporary
storage folder; the `prometheus` binary (Debian package) then serves them on 127.0.0.1 at a free
port. Nothing is scraped: the server only answers queries over the backfilled history.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from support.servers import free_port

SCRAPE_S = 15
"""Spacing of the backfilled samples, like a 15 s scrape interval."""


@dataclass(frozen=True)
class Traffic:
    """How one deployment behaves: request rate, error rate, quality, cost and latency.

    `error_rate_at(m)` overrides the error rate in minute `m` before the end (0 = the last
    minute); `silent_last_s` stops the scrapes that long before the end (a stale tail);
    `errors_counter=False` never creates the errors counter (as a lazily created counter of a
    deployment that never failed).
    """

    requests_per_s: float
    error_rate: float = 0.01
    quality: float = 0.9
    cost_per_request: float = 0.002
    latency_s: float = 0.4
    """Median request latency (log-normal, sigma `LATENCY_SIGMA`)."""
    error_rate_at: Callable[[int], float] | None = None
    error_rate_at_s: Callable[[int], float] | None = None
    """Like `error_rate_at`, by seconds before the end (takes precedence)."""
    silent_last_s: int = 0
    errors_counter: bool = True
    buckets: tuple[float, ...] | None = None
    """Upper bounds of the duration histogram (default `LATENCY_BUCKETS`)."""
    minutes: int | None = None
    """History backfilled (default: the `minutes` of `openmetrics`)."""


LATENCY_SIGMA = 0.5
LATENCY_BUCKETS = (0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)
"""Upper bounds (`le`) of the request-duration histogram, seconds (plus `+Inf`)."""
_NORMAL = statistics.NormalDist()


def poisson(rng: random.Random, lam: float) -> int:
    """Poisson variate: inversion for small means, normal approximation for large ones."""
    if lam > 500:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    threshold, k, product = math.exp(-lam), 0, rng.random()
    while product > threshold:
        k += 1
        product *= rng.random()
    return k


def binomial(rng: random.Random, n: int, p: float) -> int:
    """Binomial variate: exact for small n, Poisson or normal approximations otherwise."""
    if n <= 0 or p <= 0:
        return 0
    if p >= 1:
        return n
    if n < 40:
        return sum(rng.random() < p for _ in range(n))
    variance = n * p * (1 - p)
    if variance > 30:
        return min(n, max(0, round(rng.gauss(n * p, math.sqrt(variance)))))
    if p < 0.5:
        return min(n, poisson(rng, n * p))
    return n - min(n, poisson(rng, n * (1 - p)))


def latency_buckets(
    rng: random.Random, n: int, median_s: float, bounds: tuple[float, ...] = LATENCY_BUCKETS
) -> list[int]:
    """How many of `n` log-normal latencies fall in each bucket (the last one is +Inf)."""
    counts, left, below = [], n, 0.0
    for bound in bounds:
        cdf = _NORMAL.cdf((math.log(bound) - math.log(median_s)) / LATENCY_SIGMA)
        share = (cdf - below) / (1 - below) if below < 1 else 0.0
        taken = binomial(rng, left, min(1.0, max(0.0, share)))
        counts.append(taken)
        left -= taken
        below = cdf
    counts.append(left)
    return counts


def deployment_scrapes(
    label: str, traffic: Traffic, end: int, minutes: int, seed: int
) -> Iterator[tuple[int, list[tuple[str, str]]]]:
    """One deployment's scrapes, oldest first: each scrape's time and its OpenMetrics sample
    lines with their series (name and `le`)."""
    rng = random.Random(seed)
    totals = {
        "llm_requests_total": 0.0,
        "llm_request_errors_total": 0.0,
        "llm_quality_score_sum": 0.0,
        "llm_quality_score_count": 0.0,
        "llm_cost_usd_total": 0.0,
    }
    if not traffic.errors_counter:
        del totals["llm_request_errors_total"]
    edges = traffic.buckets or LATENCY_BUCKETS
    buckets = [0] * (len(edges) + 1)
    bounds = [f"{b:g}" for b in edges] + ["+Inf"]
    start = end - (traffic.minutes or minutes) * 60
    selector = f'deployment="{label}"'
    # Offset from whole minutes so no sample sits on a query-step boundary.
    for ts in range(start + 5, end, SCRAPE_S):
        n = poisson(rng, traffic.requests_per_s * SCRAPE_S)
        minute = (end - ts) // 60
        rate = traffic.error_rate_at(minute) if traffic.error_rate_at else traffic.error_rate
        if traffic.error_rate_at_s is not None:
            rate = traffic.error_rate_at_s(end - ts)
        totals["llm_requests_total"] += n
        if "llm_request_errors_total" in totals:
            totals["llm_request_errors_total"] += binomial(rng, n, rate)
        totals["llm_quality_score_count"] += n
        quality = n * traffic.quality + rng.gauss(0, 0.08 * math.sqrt(n)) if n else 0.0
        totals["llm_quality_score_sum"] += min(float(n), max(0.0, quality))
        cost = traffic.cost_per_request
        totals["llm_cost_usd_total"] += max(0.0, n * cost + rng.gauss(0, 0.3 * cost * math.sqrt(n)))
        cumulative = 0
        for index, count in enumerate(latency_buckets(rng, n, traffic.latency_s, edges)):
            cumulative += count
            buckets[index] += cumulative
        if ts > end - traffic.silent_last_s:
            continue
        lines = [(name, f"{name}{{{selector}}} {value:.6f} {ts}") for name, value in totals.items()]
        lines.extend(
            (
                f"llm_latency_seconds_bucket/{le}",
                f'llm_latency_seconds_bucket{{{selector},le="{le}"}} {value} {ts}',
            )
            for le, value in zip(bounds, buckets, strict=True)
        )
        yield ts, lines


BLOCK_S = 2 * 3600
"""promtool's block length: it writes 2 h blocks aligned to multiples of 2 h, reading the whole
input once per block."""


def openmetrics(deployments: dict[str, Traffic], end: int, minutes: int = 40) -> str:
    """OpenMetrics text for several deployments (families not interleaved, `# EOF` at the end)."""
    return "".join(openmetrics_chunks(deployments, end, minutes, chunk_s=None))


def openmetrics_chunks(
    deployments: dict[str, Traffic], end: int, minutes: int = 40, chunk_s: int | None = BLOCK_S
) -> Iterator[str]:
    """The OpenMetrics text of `openmetrics` cut into documents of `chunk_s` seconds aligned to
    multiples of it (None: one document), oldest first, each with `# EOF`. With `BLOCK_S` each
    document is one of promtool's blocks, so a long history backfills in time linear in its
    length (one input holding all of it is read once per 2 h block)."""
    scrapes = [
        deployment_scrapes(label, traffic, end, minutes, seed)
        for seed, (label, traffic) in enumerate(sorted(deployments.items()))
    ]
    pending: list[tuple[int, list[tuple[str, str]]] | None] = [next(s, None) for s in scrapes]
    while any(item is not None for item in pending):
        oldest = min(item[0] for item in pending if item is not None)
        upto = math.inf if chunk_s is None else (oldest // chunk_s + 1) * chunk_s
        families: dict[str, list[str]] = {}
        for index, source in enumerate(scrapes):
            series: dict[str, list[str]] = {}
            item = pending[index]
            while item is not None and item[0] < upto:
                for name, line in item[1]:
                    series.setdefault(name, []).append(line)
                item = next(source, None)
            pending[index] = item
            for name, lines in series.items():
                families.setdefault(name.split("/")[0], []).extend(lines)
        out = []
        for name, lines in families.items():
            out.append(f"# TYPE {name} unknown")
            out.extend(lines)
        out.append("# EOF")
        yield "\n".join(out) + "\n"


@dataclass(frozen=True)
class PrometheusServer:
    """A running test server."""

    url: str
    process: subprocess.Popen[bytes]


def available() -> bool:
    """Whether the prometheus and promtool binaries are installed."""
    return bool(shutil.which("prometheus") and shutil.which("promtool"))


NEEDS_PROMETHEUS = pytest.mark.skipif(not available(), reason="prometheus / promtool not installed")
"""Skips a test (or a module, as `pytestmark`) when Prometheus is not installed."""


def serve_deployments(
    factory: pytest.TempPathFactory, deployments: dict[str, Traffic], end: int
) -> Iterator[str]:
    """Body of a fixture: the URL of a Prometheus holding `deployments`' scrapes up to `end`."""
    workdir = factory.mktemp("prometheus")
    with prometheus_server(openmetrics(deployments, end), workdir) as server:
        yield server.url


@contextmanager
def prometheus_server(
    data: str | Iterable[str],
    workdir: Path,
    web_config: str | None = None,
    timeout_s: float = 30.0,
    backfill_timeout_s: float = 120.0,
) -> Iterator[PrometheusServer]:
    """Backfill `data` (OpenMetrics text, or documents of disjoint time ranges such as
    `openmetrics_chunks`, one promtool run each, `backfill_timeout_s` each) and serve it; stops
    the server on exit.

    `web_config` is the text of a Prometheus web config file (e.g. `basic_auth_users`).
    """
    storage = workdir / "tsdb"
    storage.mkdir(parents=True)
    source = workdir / "data.om"
    for document in [data] if isinstance(data, str) else data:
        source.write_text(document, encoding="utf-8")
        subprocess.run(
            ["promtool", "tsdb", "create-blocks-from", "openmetrics", str(source), str(storage)],
            check=True,
            capture_output=True,
            timeout=backfill_timeout_s,
        )
    flags = ["--storage.tsdb.retention.time=3650d"]
    if web_config is not None:
        (workdir / "web.yml").write_text(web_config, encoding="utf-8")
        flags.append(f"--web.config.file={workdir / 'web.yml'}")
    with _serve("global:\n  scrape_interval: 15s\n", workdir, flags, timeout_s) as server:
        yield server


@contextmanager
def scraping_server(
    targets: dict[str, str], workdir: Path, scrape_interval: str = "1s", timeout_s: float = 30.0
) -> Iterator[PrometheusServer]:
    """A Prometheus scraping `targets` (deployment label -> `host:port`) every `scrape_interval`.

    Each target's series get the label `deployment=<name>`, as a Kubernetes relabelling would.
    """
    (workdir / "tsdb").mkdir(parents=True)
    static = "".join(
        f"      - targets: ['{address}']\n        labels: {{deployment: '{name}'}}\n"
        for name, address in targets.items()
    )
    config = (
        f"global:\n  scrape_interval: {scrape_interval}\n  scrape_timeout: {scrape_interval}\n"
        f"scrape_configs:\n  - job_name: agent\n    static_configs:\n{static}"
    )
    with _serve(config, workdir, [], timeout_s) as server:
        yield server


@contextmanager
def _serve(
    config: str, workdir: Path, flags: list[str], timeout_s: float
) -> Iterator[PrometheusServer]:
    """Run `prometheus` with `config` over the storage in `workdir/tsdb` until the block ends."""
    (workdir / "prometheus.yml").write_text(config, encoding="utf-8")
    port = free_port()
    log = (workdir / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [
            "prometheus",
            f"--config.file={workdir / 'prometheus.yml'}",
            f"--storage.tsdb.path={workdir / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
            *flags,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process, timeout_s, workdir / "prometheus.log")
        yield PrometheusServer(url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout_s: float, log: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prometheus exited early:\n{log.read_text(errors='replace')}")
        try:
            if requests.get(f"{url}/-/ready", timeout=1).status_code in (200, 401):
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(
        f"prometheus not ready after {timeout_s}s:\n{log.read_text(errors='replace')}"
    )


JUDGED_END = (int(time.time()) // 3600) * 3600 - 4 * 3600
"""End of the judged windows of the scenario tests: whole hours, well in the past (never the
server's head block)."""


def run_canary_gate(
    tmp_path: Path, url: str, baseline: str, canary: str, step: int, *extra: str
) -> tuple[int, dict[str, Any]]:
    """Run `genai-gate canary-gate` in-process over the window ending at JUDGED_END, without a
    config (the built-in rules); its exit code and results file."""
    from genai_gate.cli import main

    results = tmp_path / "results"
    code = main(
        [
            "--config", str(tmp_path / "none.yaml"), "canary-gate", "--step", str(step),
            "--baseline-label", baseline, "--canary-label", canary, "--prometheus-url", url,
            "--end", str(JUDGED_END), "--results-dir", str(results), "--format", "json", *extra,
        ]
    )  # fmt: skip
    return code, json.loads((results / "canary-gate.json").read_text(encoding="utf-8"))
