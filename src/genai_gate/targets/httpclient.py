"""A small asyncio HTTP/1.1 client with keep-alive, on the standard library only.

Chosen over aiohttp/httpx for speed and zero dependencies (see scripts/bench/runner.py): one
write per request, pooled connections per (scheme, host, port), short connect timeout.
Responses with Content-Length, chunked encoding or close-delimited bodies are read.
`HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY` are honoured (HTTPS through a CONNECT tunnel).
Failures map onto the target errors the runner understands.
"""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import ssl
import time
import urllib.request
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from genai_gate.targets.interface import ConnectionFailure, PermanentError, TransientError

_Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]
_MAX_HEADER = 64 * 1024


@dataclass(frozen=True)
class HttpResponse:
    """Status, lower-cased headers and the raw body."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """Body parsed as JSON; PermanentError when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            snippet = self.body[:200].decode("utf-8", "replace")
            raise PermanentError(f"HTTP {self.status}: response is not JSON: {snippet!r}") from None


class _Stale(Exception):
    """A pooled connection was closed by the server before we used it."""


class HttpClient:
    """Keep-alive connection pool; one instance per target, bound to the running event loop."""

    def __init__(self, connect_timeout_s: float = 3.0, max_idle: int = 256) -> None:
        self.connect_timeout_s = connect_timeout_s
        self.max_idle = max_idle
        self._idle: dict[tuple[str, str, int], list[_Conn]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ssl: ssl.SSLContext | None = None
        self._proxies: dict[tuple[str, str, int], _Proxy | None] = {}

    async def request(
        self, method: str, url: str, headers: dict[str, str], body: bytes = b""
    ) -> HttpResponse:
        """Send one request; reuses an idle connection and retries once if it was stale."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # connections cannot outlive their event loop
            self._idle.clear()
            self._loop = loop
        origin, target, host = _split(url)
        proxy = self._proxy(origin)
        if proxy is not None and origin[0] == "http":  # absolute-form through the proxy
            target = f"http://{host}{target}"
            if proxy.authorization:
                headers = {**headers, "Proxy-Authorization": proxy.authorization}
        head = [f"{method} {target} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        payload = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
        pool = self._idle.setdefault(origin, [])
        while pool:
            conn = pool.pop()
            try:
                return await self._exchange(origin, conn, payload, reused=True)
            except _Stale:
                continue
        conn = await self._connect(origin)
        try:
            return await self._exchange(origin, conn, payload, reused=False)
        except _Stale as exc:
            raise TransientError(f"{url}: connection closed without a response") from exc

    def _proxy(self, origin: tuple[str, str, int]) -> _Proxy | None:
        if origin not in self._proxies:
            self._proxies[origin] = proxy_for(origin[0], origin[1])
        return self._proxies[origin]

    async def _connect(self, origin: tuple[str, str, int]) -> _Conn:
        scheme, host, port = origin
        context = None
        if scheme == "https":
            if self._ssl is None:
                self._ssl = ssl.create_default_context()
            context = self._ssl
        proxy = self._proxy(origin)
        where = f"{host}:{port}" if proxy is None else f"proxy {proxy.label} (for {host}:{port})"
        try:
            if proxy is None:
                return await asyncio.wait_for(
                    asyncio.open_connection(host, port, ssl=context, limit=_MAX_HEADER * 4),
                    self.connect_timeout_s,
                )
            return await asyncio.wait_for(
                self._through_proxy(proxy, host, port, context), self.connect_timeout_s
            )
        except (asyncio.TimeoutError, TimeoutError):
            raise ConnectionFailure(
                f"cannot connect to {where}: no answer within {self.connect_timeout_s:g} s"
            ) from None
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise ConnectionFailure(f"cannot connect to {where}: {reason}") from None

    async def _through_proxy(
        self, proxy: _Proxy, host: str, port: int, context: ssl.SSLContext | None
    ) -> _Conn:
        """A connection to the proxy; for HTTPS a CONNECT tunnel, then TLS inside it."""
        if context is None:
            return await asyncio.open_connection(proxy.host, proxy.port, limit=_MAX_HEADER * 4)
        loop = asyncio.get_running_loop()
        sock = await _open_socket(proxy.host, proxy.port)
        lines = [f"CONNECT {host}:{port} HTTP/1.1", f"Host: {host}:{port}"]
        if proxy.authorization:
            lines.append(f"Proxy-Authorization: {proxy.authorization}")
        try:
            await loop.sock_sendall(sock, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = await loop.sock_recv(sock, 4096)
                if not chunk or len(head) > _MAX_HEADER:
                    raise OSError("the proxy closed the connection during CONNECT")
                head += chunk
            status, _ = _parse_head(head[: head.index(b"\r\n\r\n") + 4])
            if status != 200:
                raise OSError(f"the proxy answered CONNECT with HTTP {status}")
            return await asyncio.open_connection(
                sock=sock, ssl=context, server_hostname=host, limit=_MAX_HEADER * 4
            )
        except BaseException:
            sock.close()
            raise

    async def _exchange(
        self, origin: tuple[str, str, int], conn: _Conn, payload: bytes, reused: bool
    ) -> HttpResponse:
        reader, writer = conn
        try:
            writer.write(payload)
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError as exc:
                if not exc.partial:
                    raise _Stale from None
                raise
            status, headers = _parse_head(head)
            body = await _read_body(reader, headers)
        except _Stale:
            writer.close()
            raise
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as e:
            writer.close()
            if reused and isinstance(e, ConnectionResetError):
                raise _Stale from None
            raise TransientError(f"{origin[1]}:{origin[2]}: broken response ({e!r})") from None
        except BaseException:  # cancelled (timeout): the connection's state is unknown
            writer.close()
            raise
        keep = headers.get("connection", "").lower() != "close"
        if keep and "content-length" not in headers and "transfer-encoding" not in headers:
            keep = False
        pool = self._idle.setdefault(origin, [])
        if keep and len(pool) < self.max_idle:
            pool.append(conn)
        else:
            writer.close()
        return HttpResponse(status, headers, body)

    async def aclose(self) -> None:
        """Close every idle connection."""
        for pool in self._idle.values():
            for _, writer in pool:
                writer.close()
        self._idle.clear()


async def _open_socket(host: str, port: int) -> socket.socket:
    """A connected non-blocking TCP socket (first address that answers)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    error: OSError = OSError(f"no address for {host}")
    for family, kind, proto, _, address in infos:
        sock = socket.socket(family, kind, proto)
        sock.setblocking(False)
        try:
            await loop.sock_connect(sock, address)
        except BaseException as exc:
            sock.close()
            if not isinstance(exc, OSError):
                raise
            error = exc
            continue
        return sock
    raise error


@dataclass(frozen=True)
class _Proxy:
    """An HTTP proxy from the environment."""

    host: str
    port: int
    authorization: str | None
    """`Basic ...` value of Proxy-Authorization when the proxy URL has credentials."""
    label: str
    """host:port, for messages (never the credentials)."""


_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def proxy_for(scheme: str, host: str) -> _Proxy | None:
    """The proxy of `HTTP_PROXY` / `HTTPS_PROXY` for a host, honouring `NO_PROXY`.

    Loopback hosts never go through a proxy (a proxy cannot reach this machine's services).
    """
    proxies = urllib.request.getproxies_environment()
    url = proxies.get(scheme)
    if not url or host in _LOOPBACK or urllib.request.proxy_bypass_environment(host, proxies):
        return None
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme != "http" or not parts.hostname:
        raise PermanentError(f"{scheme.upper()}_PROXY: only http:// proxies are supported")
    authorization = None
    if parts.username:
        secret = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        authorization = "Basic " + base64.b64encode(secret.encode()).decode("ascii")
    port = parts.port or 80
    return _Proxy(parts.hostname, port, authorization, f"{parts.hostname}:{port}")


@lru_cache(maxsize=256)
def _split(url: str) -> tuple[tuple[str, str, int], str, str]:
    """(origin, request target, Host header) of a URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise PermanentError(f"unsupported URL {url!r}")
    port = parts.port or (443 if scheme == "https" else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    return (scheme, parts.hostname, port), target, host


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    status_line = lines[0].split(" ", 2)
    if len(status_line) < 2 or not status_line[0].startswith("HTTP/"):
        raise ValueError(f"bad status line {lines[0]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return int(status_line[1]), headers


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks = []
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                    pass
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
    length = headers.get("content-length")
    if length is not None:
        return await reader.readexactly(int(length))
    return await reader.read()


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def raise_for_status(response: HttpResponse, what: str) -> None:
    """Map an error status to TransientError (429, 5xx) or PermanentError (other 4xx)."""
    if response.status < 400:
        return
    detail = response.body[:300].decode("utf-8", "replace").strip()
    message = f"{what}: HTTP {response.status}" + (f": {detail}" if detail else "")
    if response.status == 429 or response.status >= 500 or response.status == 408:
        retry_after = retry_after_seconds(response.headers.get("retry-after"))
        raise TransientError(message, retry_after_s=retry_after)
    raise PermanentError(message)
