"""A small asyncio HTTP/1.1 client with keep-alive, on the standard library only.

Chosen over aiohttp/httpx for speed and zero dependencies (see scripts/bench/runner.py): one
write per request, pooled connections per (scheme, host, port), short connect timeout.
Message bodies follow RFC 9112 section 6.3: none after HEAD or a 1xx/204/304 status (interim 1xx
responses are skipped), else chunked, else Content-Length, else read until the server closes.
Header names and values with CR, LF, NUL or other control characters are refused before
anything is sent; responses are capped in size and each request has a total deadline, so a
server that dribbles bytes cannot hold a run. `HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY` are
honoured (HTTPS through a CONNECT tunnel). Failures map onto the target errors the runner
understands.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
import socket
import ssl
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from genai_gate.eventloop import timeout
from genai_gate.logs import mask_headers
from genai_gate.targets.headers import TOKEN, header_problem
from genai_gate.targets.interface import ConnectionFailure, PermanentError, TransientError

log = logging.getLogger(__name__)

_Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]
_MAX_HEADER = 64 * 1024
MAX_RESPONSE_BYTES = 32 * 1024 * 1024
"""Default cap on one response body."""
DEADLINE_S = 300.0
"""Default total time for one request (connect, send, receive); the runner's timeout_s is
usually shorter."""
_BAD_TARGET = re.compile(r"[\x00-\x20\x7f]")
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")


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

    def __init__(
        self,
        connect_timeout_s: float = 3.0,
        max_idle: int = 256,
        deadline_s: float = DEADLINE_S,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self.connect_timeout_s = connect_timeout_s
        self.max_idle = max_idle
        self.deadline_s = deadline_s
        self.max_response_bytes = max_response_bytes
        self._idle: dict[tuple[str, str, int], list[_Conn]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ssl: ssl.SSLContext | None = None
        self._proxies: dict[tuple[str, str, int], _Proxy | None] = {}

    async def request(
        self, method: str, url: str, headers: dict[str, str], body: bytes = b""
    ) -> HttpResponse:
        """Send one request; reuses an idle connection and retries once if it was stale.

        PermanentError for a request that cannot be sent safely (CR/LF in a header, a bad
        method or URL) or a response over the size cap; TransientError past the deadline.
        """
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
        payload = _serialise(method, target, host, headers, body)
        debug = log.isEnabledFor(logging.DEBUG)
        if debug:
            log.debug("%s %s (%d bytes, headers %s)", method, url, len(body), mask_headers(headers))
        started = time.monotonic()
        try:
            async with timeout(self.deadline_s):
                response = await self._send(origin, payload, method, url)
        except TimeoutError:
            raise ConnectionFailure(  # a server that does not answer is as good as unreachable
                f"{url}: no complete response within {self.deadline_s:g} s"
            ) from None
        if debug:
            log.debug(
                "%s %s -> HTTP %d, %d bytes in %.0f ms",
                method,
                url,
                response.status,
                len(response.body),
                (time.monotonic() - started) * 1000.0,
            )
        return response

    async def _send(
        self, origin: tuple[str, str, int], payload: bytes, method: str, url: str
    ) -> HttpResponse:
        pool = self._idle.setdefault(origin, [])
        while pool:
            conn = pool.pop()
            try:
                return await self._exchange(origin, conn, payload, method, reused=True)
            except _Stale:
                continue
        conn = await self._connect(origin)
        try:
            return await self._exchange(origin, conn, payload, method, reused=False)
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
        self,
        origin: tuple[str, str, int],
        conn: _Conn,
        payload: bytes,
        method: str,
        reused: bool,
    ) -> HttpResponse:
        reader, writer = conn
        try:
            writer.write(payload)
            try:
                status, headers = await _read_final_head(reader)
            except asyncio.IncompleteReadError as exc:
                if not exc.partial:
                    raise _Stale from None
                raise
            framing, length = _framing(method, status, headers)
            body = await _read_body(reader, framing, length, self.max_response_bytes)
        except _Stale:
            writer.close()
            raise
        except _TooLarge as exc:
            writer.close()
            raise PermanentError(
                f"{origin[1]}:{origin[2]}: response larger than {exc.limit:,} bytes; refused"
            ) from None
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as e:
            writer.close()
            if reused and isinstance(e, ConnectionResetError):
                raise _Stale from None
            raise TransientError(f"{origin[1]}:{origin[2]}: broken response ({e!r})") from None
        except BaseException:  # cancelled (timeout): the connection's state is unknown
            writer.close()
            raise
        pool = self._idle.setdefault(origin, [])
        if _reusable(headers, framing) and len(pool) < self.max_idle:
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


def _exempt(host: str, no_proxy: str) -> bool:
    """Whether `NO_PROXY` (hosts or domain suffixes, comma-separated; `*` for all) names `host`."""
    names = [name.strip().lstrip(".").lower() for name in no_proxy.split(",") if name.strip()]
    host = host.lower()
    return "*" in names or any(host == name or host.endswith(f".{name}") for name in names)


def proxy_for(scheme: str, host: str) -> _Proxy | None:
    """The proxy of `HTTP_PROXY` / `HTTPS_PROXY` for a host, honouring `NO_PROXY`.

    Loopback hosts never go through a proxy (a proxy cannot reach this machine's services).
    """
    if host in _LOOPBACK:
        return None
    import urllib.request  # with http.client and email: only to read the proxy variables

    proxies = urllib.request.getproxies_environment()
    url = proxies.get(scheme)
    if not url or _exempt(host, proxies.get("no", "")):
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


def _serialise(method: str, target: str, host: str, headers: dict[str, str], body: bytes) -> bytes:
    """The request head and body; PermanentError for anything that could split the message."""
    start, rest = _head(method, target, host, tuple(headers.items()))
    return b"%sContent-Length: %d\r\n%s%s" % (start, len(body), rest, body)


@lru_cache(maxsize=256)
def _head(
    method: str, target: str, host: str, headers: tuple[tuple[str, str], ...]
) -> tuple[bytes, bytes]:
    """The head's lines before and after Content-Length, checked once per distinct request head
    (a target sends the same method, URL and headers with every request)."""
    if not TOKEN.fullmatch(method):
        raise PermanentError(f"invalid HTTP method {method!r}")
    if _BAD_TARGET.search(target):
        raise PermanentError("the URL contains spaces or control characters: percent-encode them")
    start = [f"{method} {target} HTTP/1.1\r\n"]
    if not any(name.lower() == "host" for name, _ in headers):
        start.append(f"Host: {host}\r\n")
    rest = []
    for name, value in headers:
        problem = header_problem(name, value)
        if problem is not None:
            raise PermanentError(f"{problem}; refused before sending")
        rest.append(f"{name}: {value}\r\n")
    try:
        return "".join(start).encode("latin-1"), ("".join(rest) + "\r\n").encode("latin-1")
    except UnicodeEncodeError:
        raise PermanentError("header values must be Latin-1 text (RFC 9110)") from None


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    """Status and lower-cased headers (repeated fields joined with `, `)."""
    lines = head.decode("latin-1").split("\r\n")
    status_line = lines[0].split(" ", 2)
    if (
        len(status_line) < 2
        or not status_line[0].startswith("HTTP/1.")
        or not status_line[1].isdigit()
        or len(status_line[1]) != 3
    ):
        raise ValueError(f"bad status line {lines[0]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        if line[0] in " \t":
            raise ValueError("obsolete line folding in a response header")
        name, colon, value = line.partition(":")
        name = name.rstrip(" \t").lower()
        if not colon or not TOKEN.fullmatch(name):
            raise ValueError(f"bad response header line {line[:80]!r}")
        value = value.strip(" \t")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    if status_line[0] == "HTTP/1.0":
        headers.setdefault("connection", "close")  # no keep-alive without asking for it
    return int(status_line[1]), headers


async def _read_final_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    """The head of the final response, skipping interim 1xx responses (100, 103)."""
    for _ in range(32):
        status, headers = _parse_head(await reader.readuntil(b"\r\n\r\n"))
        if status == 101:
            raise ValueError("unexpected 101 Switching Protocols (no upgrade was asked for)")
        if not 100 <= status < 200:
            return status, headers
    raise ValueError("more than 32 interim (1xx) responses")


def _framing(method: str, status: int, headers: dict[str, str]) -> tuple[str, int]:
    """How the body is delimited (RFC 9112 section 6.3): `none`, `chunked`, `length`, `close`."""
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return "none", 0
    coding = headers.get("transfer-encoding")
    if coding is not None:
        codings = [c.strip().lower() for c in coding.split(",")]
        if codings[-1] != "chunked":
            return "close", 0
        if codings != ["chunked"]:
            raise ValueError(f"unsupported transfer coding {coding!r}")
        return "chunked", 0
    length = headers.get("content-length")
    if length is not None:
        values = {v.strip() for v in length.split(",")}
        if len(values) != 1 or not next(iter(values)).isdigit():
            raise ValueError(f"invalid Content-Length {length!r}")
        return "length", int(values.pop())
    return "close", 0


def _reusable(headers: dict[str, str], framing: str) -> bool:
    """Whether the connection can carry another request after this response."""
    if framing == "close" or "close" in headers.get("connection", "").lower():
        return False
    # Transfer-Encoding overrides Content-Length, but a message with both may be an attack
    # on a shared connection (request smuggling): do not reuse it.
    return not ("transfer-encoding" in headers and "content-length" in headers)


class _TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        self.limit = limit


async def _read_body(reader: asyncio.StreamReader, framing: str, length: int, limit: int) -> bytes:
    if framing == "none":
        return b""
    if framing == "length":
        if length > limit:
            raise _TooLarge(limit)
        return await reader.readexactly(length)
    if framing == "chunked":
        return await _read_chunked(reader, limit)
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise _TooLarge(limit)
        chunks.append(chunk)


async def _read_chunked(reader: asyncio.StreamReader, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size_text = size_line[:-2].split(b";", 1)[0].strip(b" \t")
        if not _HEX.fullmatch(size_text):
            raise ValueError(f"bad chunk size line {size_line[:40]!r}")
        size = int(size_text, 16)
        if size == 0:
            trailers = 0
            while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
                trailers += len(line)
                if trailers > _MAX_HEADER:
                    raise ValueError("trailer section too large")
            return b"".join(chunks)
        total += size
        if total > limit:
            raise _TooLarge(limit)
        chunks.append(await reader.readexactly(size))
        if await reader.readexactly(2) != b"\r\n":
            raise ValueError("chunk data not followed by CRLF")


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

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
