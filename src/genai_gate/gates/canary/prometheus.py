"""A small client of the Prometheus HTTP API (`/api/v1/query_range` and `/api/v1/query`).

Every failure (unreachable server, timeout, HTTP error, PromQL error, unexpected answer) raises
`PrometheusError`, an InfraError: the gate then exits 3 with decision `hold`, never `promote`.
Each query ends within its time limit (connect included) and all of them within the gate run's
deadline, even against a server that dribbles its answer.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from urllib.parse import urlencode

from genai_gate.errors import InfraError, UsageError
from genai_gate.gates.canary.settings import AuthSettings
from genai_gate.integrations.http import DeadlineHttp, RequestFailed


class PrometheusError(InfraError):
    """Prometheus could not answer a query."""


@dataclass(frozen=True)
class Series:
    """One range-query series: timestamps (unix seconds) and values ("NaN", "+Inf" kept)."""

    timestamps: list[float]
    values: list[float]


@dataclass(frozen=True)
class LabelledSeries:
    """One series of a query answer with its labels (`__name__` included)."""

    labels: dict[str, str]
    series: Series


def auth_from_env(auth: AuthSettings) -> tuple[dict[str, str], tuple[str, str] | None]:
    """Headers and basic-auth pair from the variables named in the config (exit 2 if unset)."""

    def read(variable: str) -> str:
        value = os.environ.get(variable)
        if not value:
            raise UsageError(f"canary.prometheus.auth: environment variable {variable} is not set")
        return value

    if auth.bearer_token_env:
        return {"Authorization": f"Bearer {read(auth.bearer_token_env)}"}, None
    if auth.username_env and auth.password_env:
        return {}, (read(auth.username_env), read(auth.password_env))
    return {}, None


class PrometheusClient:
    """Queries against one Prometheus server, within the time limits of `http`."""

    def __init__(
        self,
        url: str,
        http: DeadlineHttp,
        *,
        headers: dict[str, str] | None = None,
        basic_auth: tuple[str, str] | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self._http = http
        self._headers = {
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
            **(headers or {}),
        }
        if basic_auth is not None:
            pair = f"{basic_auth[0]}:{basic_auth[1]}".encode()
            self._headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")

    def query_range(self, query: str, start: float, end: float, step_s: int) -> Series | None:
        """The single series `query` returns over [start, end] every `step_s` seconds.

        None when the query matches nothing; PrometheusError when it returns several series
        (aggregate with `sum(...)`) or anything goes wrong.
        """
        params = {"query": query, "start": f"{start:.3f}", "end": f"{end:.3f}", "step": step_s}
        return _single_series(self._post("query_range", params, query), query)

    def raw_samples(self, selector: str, duration_s: int, end: float) -> list[LabelledSeries]:
        """Every series `selector` matches, with its raw samples in (end - duration_s, end]."""
        query = f"{selector}[{duration_s}s]"
        return _matrix(self._post("query", {"query": query, "time": f"{end:.3f}"}, query), query)

    def _post(self, endpoint: str, params: dict[str, object], query: str) -> object:
        """POST one API call; the `data` of a successful answer."""
        payload = urlencode(params).encode("ascii")
        try:
            response = self._http.run(
                self._http.fetch("POST", f"{self.url}/api/v1/{endpoint}", self._headers, payload)
            )
        except RequestFailed as exc:
            what = "unreachable" if exc.connection else "failed"
            raise PrometheusError(f"Prometheus at {self.url} {what}: {exc}") from None
        try:
            body = json.loads(response.body)
        except ValueError:
            raise PrometheusError(
                f"Prometheus at {self.url} answered HTTP {response.status} without JSON"
            ) from None
        if not isinstance(body, dict) or body.get("status") != "success":
            error = body.get("error", "no error message") if isinstance(body, dict) else body
            raise PrometheusError(
                f"Prometheus query failed (HTTP {response.status}): {error}; query: {query}"
            )
        return body.get("data")


def _matrix(data: object, query: str) -> list[LabelledSeries]:
    if not isinstance(data, dict) or data.get("resultType") != "matrix":
        raise PrometheusError(f"Prometheus returned no matrix for the query: {query}")
    out = []
    for item in data.get("result") or []:
        try:
            points = [(float(ts), float(value)) for ts, value in item["values"]]
            labels = {str(k): str(v) for k, v in (item.get("metric") or {}).items()}
        except (KeyError, TypeError, ValueError, AttributeError):
            raise PrometheusError(f"malformed series in the Prometheus answer: {query}") from None
        series = Series([ts for ts, _ in points], [value for _, value in points])
        out.append(LabelledSeries(labels, series))
    return out


def _single_series(data: object, query: str) -> Series | None:
    result = _matrix(data, query)
    if not result:
        return None
    if len(result) > 1:
        raise PrometheusError(
            f"query returned {len(result)} series, expected one (aggregate with sum()): {query}"
        )
    return result[0].series
