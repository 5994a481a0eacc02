"""A small client of the Prometheus HTTP API (`/api/v1/query_range`).

Every failure (unreachable server, timeout, HTTP error, PromQL error, unexpected answer) raises
`PrometheusError`, an InfraError: the gate then exits 3 with decision `hold`, never `promote`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import requests

from genai_gate.errors import InfraError, UsageError
from genai_gate.gates.canary.settings import AuthSettings
from genai_gate.httperrors import failure_reason


class PrometheusError(InfraError):
    """Prometheus could not answer a query."""


@dataclass(frozen=True)
class Series:
    """One range-query series: timestamps (unix seconds) and values ("NaN", "+Inf" kept)."""

    timestamps: list[float]
    values: list[float]


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
    """Range queries against one Prometheus server."""

    def __init__(
        self,
        url: str,
        *,
        connect_timeout_s: float,
        timeout_s: float,
        headers: dict[str, str] | None = None,
        basic_auth: tuple[str, str] | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self._timeout = (connect_timeout_s, timeout_s)
        self._session = requests.Session()
        self._session.headers.update(headers or {})
        self._session.auth = basic_auth

    def close(self) -> None:
        """Release the connection pool."""
        self._session.close()

    def query_range(self, query: str, start: float, end: float, step_s: int) -> Series | None:
        """The single series `query` returns over [start, end] every `step_s` seconds.

        None when the query matches nothing; PrometheusError when it returns several series
        (aggregate with `sum(...)`) or anything goes wrong.
        """
        params = {"query": query, "start": f"{start:.3f}", "end": f"{end:.3f}", "step": step_s}
        try:
            response = self._session.post(
                f"{self.url}/api/v1/query_range", data=params, timeout=self._timeout
            )
        except requests.RequestException as exc:
            raise PrometheusError(f"Prometheus at {self.url} unreachable: {_short(exc)}") from None
        try:
            body = response.json()
        except ValueError:
            raise PrometheusError(
                f"Prometheus at {self.url} answered HTTP {response.status_code} without JSON"
            ) from None
        if not isinstance(body, dict) or body.get("status") != "success":
            error = body.get("error", "no error message") if isinstance(body, dict) else body
            raise PrometheusError(
                f"Prometheus query failed (HTTP {response.status_code}): {error}; query: {query}"
            )
        return _single_series(body.get("data"), query)


def _single_series(data: object, query: str) -> Series | None:
    if not isinstance(data, dict) or data.get("resultType") != "matrix":
        raise PrometheusError(f"Prometheus returned no matrix for the range query: {query}")
    result = data.get("result") or []
    if not result:
        return None
    if len(result) > 1:
        raise PrometheusError(
            f"query returned {len(result)} series, expected one (aggregate with sum()): {query}"
        )
    try:
        points = [(float(ts), float(value)) for ts, value in result[0]["values"]]
    except (KeyError, TypeError, ValueError):
        raise PrometheusError(f"malformed series in the Prometheus answer: {query}") from None
    return Series([ts for ts, _ in points], [value for _, value in points])


def _short(exc: requests.RequestException) -> str:
    """The reason of a requests failure in a few words."""
    return failure_reason(exc, f"{type(exc).__name__}: {exc}"[:200])
