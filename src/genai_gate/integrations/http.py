"""The one HTTP session of Prometheus queries and smoke probes: hard limits, one error map.

Socket timeouts only bound the wait between two bytes, so a server that answers one byte per
second never trips them. Here every request runs on the standard-library asyncio client of
`targets.httpclient` under `asyncio.wait_for`: the whole exchange, connect included, ends
within the request's limit, and no request outlives the run's deadline. Every failure
(unreachable, TLS, broken or incomplete answer, too slow or dribbling) raises `RequestFailed`, an
infrastructure error (exit 3), with a sentence naming the host and the cause.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Awaitable, Coroutine
from types import TracebackType
from typing import Any, Protocol, TypeVar

from genai_gate.errors import InfraError
from genai_gate.targets.httpclient import HttpClient, HttpResponse
from genai_gate.targets.interface import ConnectionFailure, TargetError

T = TypeVar("T")


class RequestFailed(InfraError):
    """A request got no complete answer: unreachable, TLS failure, broken answer or too slow."""

    def __init__(self, message: str, *, connection: bool) -> None:
        super().__init__(message)
        self.connection = connection
        """True when no connection could be made at all (nothing was answered)."""


class HttpLimits(Protocol):
    """The time limits of a settings section (`canary.prometheus`, `smoke`)."""

    @property
    def connect_timeout_s(self) -> float: ...
    @property
    def timeout_s(self) -> float: ...
    @property
    def run_timeout_s(self) -> float: ...


def host_of(url: str) -> str:
    """`host[:port]` of an absolute URL."""
    return url.split("://", 1)[-1].split("/", 1)[0]


def describe_connect_failure(failure: ConnectionFailure, host: str) -> str:
    """The connect failure in words, naming TLS problems as such."""
    cause = failure.__context__
    if isinstance(cause, ssl.SSLCertVerificationError):
        detail = cause.verify_message or cause.reason or "certificate rejected"
        return f"TLS handshake failed: certificate verify failed for host {host} ({detail})"
    if isinstance(cause, ssl.SSLError):
        return f"TLS handshake failed with host {host}: {cause.reason or cause}"
    return str(failure)


class DeadlineHttp:
    """One connection pool whose requests each end within `timeout_s` and all within the run."""

    def __init__(self, *, connect_timeout_s: float, timeout_s: float, run_timeout_s: float):
        self.timeout_s = timeout_s
        self.run_timeout_s = run_timeout_s
        # The client's own per-request cap stays above ours, so our limits decide (and say so).
        self._client = HttpClient(connect_timeout_s=connect_timeout_s, deadline_s=timeout_s + 5)
        self._run_ends = time.monotonic() + run_timeout_s
        self._loop = asyncio.new_event_loop()

    @classmethod
    def within(cls, limits: HttpLimits) -> DeadlineHttp:
        """A session with the limits of a settings section; use it as a context manager."""
        return cls(
            connect_timeout_s=limits.connect_timeout_s,
            timeout_s=limits.timeout_s,
            run_timeout_s=limits.run_timeout_s,
        )

    def __enter__(self) -> DeadlineHttp:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def remaining_s(self) -> float:
        """Seconds left before the run's deadline."""
        return self._run_ends - time.monotonic()

    async def fetch(
        self, method: str, url: str, headers: dict[str, str], body: bytes = b""
    ) -> HttpResponse:
        """One request, bounded by the request limit and the run's deadline."""
        limit = min(self.timeout_s, max(0.0, self.remaining_s()))
        by_run = limit < self.timeout_s
        host = host_of(url)
        try:
            return await asyncio.wait_for(self._client.request(method, url, headers, body), limit)
        except (asyncio.TimeoutError, TimeoutError):
            if by_run:
                raise RequestFailed(
                    f"{method} {url}: the gate run's deadline of {self.run_timeout_s:g} s "
                    f"passed before the answer was complete (host {host} too slow or dribbling)",
                    connection=False,
                ) from None
            raise RequestFailed(
                f"{method} {url}: no complete answer within {self.timeout_s:g} s "
                f"(host {host} too slow or dribbling)",
                connection=False,
            ) from None
        except ConnectionFailure as exc:
            raise RequestFailed(describe_connect_failure(exc, host), connection=True) from None
        except TargetError as exc:
            raise RequestFailed(f"{method} {url}: {exc}", connection=False) from None

    def run(self, work: Coroutine[Any, Any, T] | Awaitable[T]) -> T:
        """Run `work` (coroutines using `fetch`) to completion on this pool's event loop."""
        return self._loop.run_until_complete(work)

    def close(self) -> None:
        """Close the connections and the event loop."""
        self._loop.run_until_complete(self._client.aclose())
        self._loop.close()
