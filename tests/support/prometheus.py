"""A real Prometheus server for tests, loaded with backfilled OpenMetrics data.

`promtool tsdb create-blocks-from openmetrics` turns the text into TSDB blocks in a temporary
storage folder; the `prometheus` binary (Debian package) then serves them on 127.0.0.1 at a free
port. Nothing is scraped: the server only answers queries over the backfilled history.
"""

from __future__ import annotations

import math
import random
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from support.servers import free_port

SCRAPE_S = 15
"""Spacing of the backfilled samples, like a 15 s scrape interval."""


@dataclass(frozen=True)
class Traffic:
    """How one deployment behaves: request rate, error rate, quality and cost per request."""

    requests_per_s: float
    error_rate: float = 0.01
    quality: float = 0.9
    cost_per_request: float = 0.002


def poisson(rng: random.Random, lam: float) -> int:
    """Poisson variate: inversion for small means, normal approximation for large ones."""
    if lam > 500:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    threshold, k, product = math.exp(-lam), 0, rng.random()
    while product > threshold:
        k += 1
        product *= rng.random()
    return k


def deployment_samples(
    label: str, traffic: Traffic, end: int, minutes: int, seed: int
) -> dict[str, list[str]]:
    """OpenMetrics sample lines of one deployment, by metric name, oldest first."""
    rng = random.Random(seed)
    totals = {
        "genai_requests_total": 0.0,
        "genai_request_errors_total": 0.0,
        "genai_quality_score_sum": 0.0,
        "genai_quality_score_count": 0.0,
        "genai_cost_usd_total": 0.0,
    }
    lines: dict[str, list[str]] = {name: [] for name in totals}
    start = end - minutes * 60
    # Offset from whole minutes so no sample sits on a query-step boundary.
    for ts in range(start + 5, end, SCRAPE_S):
        requests_ = poisson(rng, traffic.requests_per_s * SCRAPE_S)
        errors = sum(rng.random() < traffic.error_rate for _ in range(requests_))
        totals["genai_requests_total"] += requests_
        totals["genai_request_errors_total"] += errors
        totals["genai_quality_score_count"] += requests_
        totals["genai_quality_score_sum"] += sum(
            min(1.0, max(0.0, rng.gauss(traffic.quality, 0.08))) for _ in range(requests_)
        )
        totals["genai_cost_usd_total"] += sum(
            max(0.0, rng.gauss(traffic.cost_per_request, traffic.cost_per_request * 0.3))
            for _ in range(requests_)
        )
        for name, value in totals.items():
            lines[name].append(f'{name}{{deployment="{label}"}} {value:.6f} {ts}')
    return lines


def openmetrics(deployments: dict[str, Traffic], end: int, minutes: int = 40) -> str:
    """OpenMetrics text for several deployments (families not interleaved, `# EOF` at the end)."""
    families: dict[str, list[str]] = {}
    for seed, (label, traffic) in enumerate(sorted(deployments.items())):
        for name, lines in deployment_samples(label, traffic, end, minutes, seed).items():
            families.setdefault(name, []).extend(lines)
    out = []
    for name, lines in families.items():
        out.append(f"# TYPE {name} unknown")
        out.extend(lines)
    out.append("# EOF")
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class PrometheusServer:
    """A running test server."""

    url: str
    process: subprocess.Popen[bytes]


def available() -> bool:
    """Whether the prometheus and promtool binaries are installed."""
    return bool(shutil.which("prometheus") and shutil.which("promtool"))


@contextmanager
def prometheus_server(
    data: str, workdir: Path, web_config: str | None = None, timeout_s: float = 30.0
) -> Iterator[PrometheusServer]:
    """Backfill `data` (OpenMetrics text) and serve it; stops the server on exit.

    `web_config` is the text of a Prometheus web config file (e.g. `basic_auth_users`).
    """
    storage = workdir / "tsdb"
    storage.mkdir(parents=True)
    source = workdir / "data.om"
    source.write_text(data, encoding="utf-8")
    subprocess.run(
        ["promtool", "tsdb", "create-blocks-from", "openmetrics", str(source), str(storage)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    config = workdir / "prometheus.yml"
    config.write_text("global:\n  scrape_interval: 15s\n", encoding="utf-8")
    flags = []
    if web_config is not None:
        (workdir / "web.yml").write_text(web_config, encoding="utf-8")
        flags.append(f"--web.config.file={workdir / 'web.yml'}")
    port = free_port()
    log = (workdir / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [
            "prometheus",
            f"--config.file={config}",
            f"--storage.tsdb.path={storage}",
            "--storage.tsdb.retention.time=3650d",
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
