"""HTTP/1.1 conformance of `targets/httpclient.py`, checked against peers we did not write.

1. Scripted wire responses (RFC 9112 section 6.3 message-body rules, interim responses,
   malformed framing) are read by our client AND by httpx; both must reach the outcome the
   scenario states, so the scenario cannot encode a bug our client shares with our server.
2. Our client talks to two independent servers: one built on h11 (which also validates every
   request we send) and the standard library's `http.server`.
3. Header injection is refused before anything is sent, by our client as by httpx/h11.
4. Policies of our own (size cap, total deadline) are checked against the same wire server.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import h11
import httpx
import pytest
from support.asyncserver import tcp_server

from genai_gate.targets.httpclient import HttpClient
from genai_gate.targets.interface import ConnectionFailure, PermanentError, TargetError

# --- 1. scripted wire responses, read by both clients ------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """Requests sent in turn on one connection and the raw bytes answering each."""

    name: str
    exchanges: list[tuple[str, bytes]]
    """(method, raw response bytes) per request."""
    expected: list[tuple[int, bytes]] | None
    """(status, body) per request; None when the first response must be rejected."""
    connections: int | None = None
    """Connections our client must have opened (keep-alive checks)."""


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

SCENARIOS = [
    Scenario("204-keep-alive", [("GET", b"HTTP/1.1 204 No Content\r\n\r\n"), ("GET", OK)],
             [(204, b""), (200, b"ok")], connections=1),
    Scenario("204-with-content-length-header",
             [("GET", b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"), ("GET", OK)],
             [(204, b""), (200, b"ok")], connections=1),
    Scenario("304-content-length-is-not-a-body",
             [("GET", b"HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n"), ("GET", OK)],
             [(304, b""), (200, b"ok")], connections=1),
    Scenario("head-content-length-is-not-a-body",
             [("HEAD", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"), ("GET", OK)],
             [(200, b""), (200, b"ok")], connections=1),
    Scenario("head-chunked-is-not-a-body",
             [("HEAD", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), ("GET", OK)],
             [(200, b""), (200, b"ok")], connections=1),
    Scenario("100-continue-then-final",
             [("POST", b"HTTP/1.1 100 Continue\r\n\r\n" + OK), ("GET", OK)],
             [(200, b"ok"), (200, b"ok")], connections=1),
    Scenario("103-early-hints-then-final",
             [("GET", b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" + OK)],
             [(200, b"ok")]),
    Scenario("chunked-with-extensions-and-trailers",
             [("GET", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      b"4;name=value\r\nWiki\r\n5\r\npedia\r\n0\r\nExpires: never\r\n\r\n"),
              ("GET", OK)],
             [(200, b"Wikipedia"), (200, b"ok")], connections=1),
    Scenario("transfer-encoding-wins-over-content-length",
             [("GET", b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked"
                      b"\r\n\r\n3\r\nabc\r\n0\r\n\r\n"), ("GET", OK)],
             [(200, b"abc"), (200, b"ok")], connections=2),  # not reused: possible smuggling
    Scenario("close-delimited",
             [("GET", b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end")],
             [(200, b"until the end")]),
    Scenario("close-delimited-without-connection-header",
             [("GET", b"HTTP/1.1 200 OK\r\n\r\nuntil the end")], [(200, b"until the end")]),
    Scenario("repeated-equal-content-length",
             [("GET", b"HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok")], [(200, b"ok")]),
    Scenario("http-1.0-is-not-kept-alive",
             [("GET", b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"), ("GET", OK)],
             [(200, b"ok"), (200, b"ok")], connections=2),
    Scenario("header-without-colon",
             [("GET", b"HTTP/1.1 200 OK\r\nNo colon here\r\nContent-Length: 2\r\n\r\nok")], None),
    Scenario("conflicting-content-length",
             [("GET", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok")],
             None),
    Scenario("non-numeric-content-length",
             [("GET", b"HTTP/1.1 200 OK\r\nContent-Length: 2x\r\n\r\nok")], None),
    Scenario("bad-chunk-size",
             [("GET", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n")],
             None),
    Scenario("body-shorter-than-content-length",
             [("GET", b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nshort")],
             None),
    Scenario("bad-status-line", [("GET", b"HTTP/1.1 OK\r\n\r\n")], None),
]  # fmt: skip


@contextlib.contextmanager
def wire_server(exchanges: list[tuple[str, bytes]]) -> Iterator[tuple[int, list[bytes]]]:
    """Answer the n-th request (on any connection) with the n-th scripted response; a response
    that is close-delimited or has no final framing closes the connection after it."""
    requests: list[bytes] = []
    connections = [0]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections[0] += 1
        while len(requests) < len(exchanges):
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                break
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            requests.append(head + await reader.readexactly(length))
            raw = exchanges[len(requests) - 1][1]
            writer.write(raw)
            await writer.drain()
            if _closes_after(raw):
                writer.close()
                return
        with contextlib.suppress(ConnectionError):
            await reader.read()  # until the client closes
        writer.close()

    with tcp_server(handle) as port:
        yield port, requests
    requests.append(str(connections[0]).encode())  # last item: connections opened


def _closes_after(raw: bytes) -> bool:
    """A response whose end only the close of the connection marks (or that asks for it)."""
    head = raw.rsplit(b"HTTP/1.", 1)[-1].split(b"\r\n\r\n", 1)[0].lower()  # final response
    framed = b"content-length" in head or b"chunked" in head or b" 204 " in head
    return not framed or b"connection: close" in head


async def _ours(port: int, exchanges: list[tuple[str, bytes]]) -> list[tuple[int, bytes]]:
    client = HttpClient(connect_timeout_s=5)
    try:
        out = []
        for method, _ in exchanges:
            body = b"{}" if method == "POST" else b""
            response = await client.request(method, f"http://127.0.0.1:{port}/", {}, body)
            out.append((response.status, response.body))
        return out
    finally:
        await client.aclose()


async def _httpx(port: int, exchanges: list[tuple[str, bytes]]) -> list[tuple[int, bytes]]:
    async with httpx.AsyncClient(timeout=5, trust_env=False) as client:
        out = []
        for method, _ in exchanges:
            content = b"{}" if method == "POST" else None
            response = await client.request(method, f"http://127.0.0.1:{port}/", content=content)
            out.append((response.status_code, response.content))
        return out


def _run(client: str, scenario: Scenario) -> tuple[list[tuple[int, bytes]] | None, int]:
    with wire_server(scenario.exchanges) as (port, requests):
        reader = _ours if client == "ours" else _httpx
        try:
            outcome = asyncio.run(asyncio.wait_for(reader(port, scenario.exchanges), 20))
        except (TargetError, httpx.HTTPError):
            outcome = None
    return outcome, int(requests[-1])


@pytest.mark.parametrize("client", ["ours", "httpx"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_wire_scenario(scenario: Scenario, client: str) -> None:
    outcome, connections = _run(client, scenario)
    assert outcome == scenario.expected
    if client == "ours" and scenario.connections is not None:
        assert connections == scenario.connections


# --- 2. our client against independent servers -------------------------------------------------


def _h11_response(path: str) -> tuple[list[h11.Event], str]:
    """Events h11 sends for `path` and the request method our client must use."""
    ok = [h11.Response(status_code=200, headers=[("Content-Length", "2")]), h11.Data(b"ok")]
    if path == "/204":
        return [h11.Response(status_code=204, headers=[])], "GET"
    if path == "/304":
        return [h11.Response(status_code=304, headers=[("ETag", '"x"')])], "GET"
    if path == "/head":
        return [h11.Response(status_code=200, headers=[("Content-Length", "5")])], "HEAD"
    if path == "/chunked":  # no Content-Length: h11 frames the body as chunked
        head = h11.Response(status_code=200, headers=[("Transfer-Encoding", "chunked")])
        return [head, h11.Data(b"abc"), h11.Data(b"def")], "GET"
    if path == "/continue":
        return [h11.InformationalResponse(status_code=100, headers=[]), *ok], "POST"
    return ok, "POST"


@contextlib.contextmanager
def h11_server() -> Iterator[tuple[int, list[str], list[int]]]:
    """An HTTP/1.1 server built on h11: it rejects any request that breaks the protocol."""
    paths: list[str] = []
    connections = [0]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections[0] += 1
        conn = h11.Connection(h11.SERVER)
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                data = await reader.read(65536)
                conn.receive_data(data)
                if not data:
                    break
                continue
            if isinstance(event, h11.Request):
                request = event
            elif isinstance(event, h11.EndOfMessage):
                path = request.target.decode()
                paths.append(f"{request.method.decode()} {path}")
                events, _ = _h11_response(path)
                for item in [*events, h11.EndOfMessage()]:
                    data = conn.send(item)
                    if data:
                        writer.write(data)
                await writer.drain()
                conn.start_next_cycle()
            elif isinstance(event, h11.ConnectionClosed):
                break
        writer.close()

    with tcp_server(handle) as port:
        yield port, paths, connections


def test_our_client_against_an_h11_server_keeps_one_connection() -> None:
    paths = ["/204", "/304", "/head", "/chunked", "/continue", "/plain", "/204", "/plain"]

    async def main(port: int) -> list[tuple[int, bytes]]:
        client = HttpClient()
        out = []
        for path in paths:
            method = _h11_response(path)[1]
            body = b'{"x": 1}' if method == "POST" else b""
            headers = {"Expect": "100-continue"} if path == "/continue" else {}
            response = await client.request(method, f"http://127.0.0.1:{port}{path}", headers, body)
            out.append((response.status, response.body))
        await client.aclose()
        return out

    with h11_server() as (port, seen, connections):
        results = asyncio.run(asyncio.wait_for(main(port), 20))
    assert results == [
        (204, b""),
        (304, b""),
        (200, b""),
        (200, b"abcdef"),
        (200, b"ok"),
        (200, b"ok"),
        (204, b""),
        (200, b"ok"),
    ]
    assert seen == [f"{_h11_response(p)[1]} {p}" for p in paths]  # h11 accepted every request
    assert connections == [1]  # no response left the connection in a state we misread


class _StdlibHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/204":
            self.send_response(204)
            self.end_headers()
            return
        if self.path == "/304":
            self.send_response(304)
            self.send_header("Content-Length", "20")
            self.end_headers()
            return
        self._ok()

    def do_HEAD(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self._ok(body)

    def _ok(self, body: bytes = b"hello") -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_our_client_against_the_stdlib_server() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _StdlibHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"

    async def main() -> list[tuple[int, bytes]]:
        client = HttpClient()
        calls = [("GET", "/204"), ("HEAD", "/x"), ("GET", "/304"), ("POST", "/echo")]
        out = []
        for method, path in calls:
            body = "é".encode() if method == "POST" else b""
            response = await client.request(method, url + path, {}, body)
            out.append((response.status, response.body))
        await client.aclose()
        return out

    try:
        results = asyncio.run(asyncio.wait_for(main(), 20))
    finally:
        server.shutdown()
        server.server_close()
    assert results == [(204, b""), (200, b""), (304, b""), (200, "é".encode())]


# --- 3. header injection is refused before sending, by both clients ----------------------------

INJECTIONS = [
    {"X-Note": "a\r\nX-Injected: 1"},
    {"X-Note": "a\nb"},
    {"X-Note": "a\rb"},
    {"X-Note": "a\x00b"},
    {"X-Bad\r\nName": "v"},
    {"Bad Name": "v"},
    {"": "v"},
]


@pytest.mark.parametrize("headers", INJECTIONS, ids=[repr(h)[:30] for h in INJECTIONS])
def test_header_injection_is_refused_before_sending(headers: dict[str, str]) -> None:
    with wire_server([("GET", OK)]) as (port, requests):
        url = f"http://127.0.0.1:{port}/"

        async def ours() -> None:
            await HttpClient().request("GET", url, headers)

        async def theirs() -> None:
            async with httpx.AsyncClient(trust_env=False) as client:
                await client.get(url, headers=headers)

        with pytest.raises(PermanentError, match="refused before sending"):
            asyncio.run(ours())
        with pytest.raises((httpx.LocalProtocolError, ValueError, TypeError)):
            asyncio.run(theirs())
    assert requests == [b"0"] or requests[:-1] == []  # nothing reached the server


def test_header_error_never_echoes_the_value() -> None:
    with pytest.raises(PermanentError) as caught:
        asyncio.run(
            HttpClient().request("GET", "http://127.0.0.1:9/", {"Authorization": "sk-secret\n"})
        )
    assert "sk-secret" not in str(caught.value)
    assert "'Authorization'" in str(caught.value)


# --- 4. our own policies: response size cap and total deadline ---------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + b"x" * 5000,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"400\r\n" + b"x" * 1024
        + b"\r\n" + b"400\r\n" + b"x" * 1024 + b"\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + b"x" * 5000,
    ],
    ids=["content-length", "chunked", "close-delimited"],
)  # fmt: skip
def test_response_over_the_cap_is_refused(raw: bytes) -> None:
    with wire_server([("GET", raw)]) as (port, _):
        client = HttpClient(max_response_bytes=1500)
        with pytest.raises(PermanentError, match=r"response larger than 1,500 bytes"):
            asyncio.run(client.request("GET", f"http://127.0.0.1:{port}/", {}))


def test_a_server_dribbling_bytes_hits_the_total_deadline() -> None:
    async def dribble(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
        with contextlib.suppress(ConnectionError):
            for _ in range(100):  # one byte per second: 100 s without a deadline
                writer.write(b"x")
                await writer.drain()
                await asyncio.sleep(1)
        writer.close()

    with tcp_server(dribble) as port:
        client = HttpClient(deadline_s=1.5)
        with pytest.raises(ConnectionFailure, match=r"no complete response within 1\.5 s"):
            asyncio.run(client.request("GET", f"http://127.0.0.1:{port}/", {}))
