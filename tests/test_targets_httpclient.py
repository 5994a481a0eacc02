"""The standard-library HTTP client against hand-written HTTP/1.1 responses: chunked bodies,
close-delimited bodies, stale keep-alive connections and servers that hang up."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator

import pytest
from support.asyncserver import tcp_server

from genai_gate.targets.httpclient import HttpClient
from genai_gate.targets.interface import TransientError

Responder = Callable[[int], bytes | None]
"""Request number on the connection -> raw response bytes (None: close without answering)."""


@contextlib.contextmanager
def raw_server(responder: Responder, close_after: int | None = None) -> Iterator[tuple[int, list]]:
    """A TCP server answering each request with `responder`; records connection numbers."""
    seen: list[tuple[int, int]] = []
    connections = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        connection = connections
        for number in range(1, 1000):
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                break
            length = 0
            for line in head.decode().split("\r\n"):
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":")[1])
            await reader.readexactly(length)
            seen.append((connection, number))
            answer = responder(number)
            if answer is None:
                break
            writer.write(answer)
            await writer.drain()
            if close_after is not None and number >= close_after:
                break
        writer.close()

    with tcp_server(handle) as port:
        yield port, seen


def _requests(port: int, count: int) -> list:
    async def main() -> list:
        client = HttpClient()
        results = []
        for _ in range(count):
            try:
                results.append(
                    await client.request("POST", f"http://127.0.0.1:{port}/x", {}, b"{}")
                )
            except TransientError as exc:
                results.append(exc)
        await client.aclose()
        return results

    return asyncio.run(main())


def test_chunked_body_with_trailers_and_keep_alive() -> None:
    body = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
        b'7\r\n{"a": 1\r\n3;ext=1\r\n, "\r\n6\r\nb": 2}\r\n0\r\nX-Trailer: t\r\n\r\n'
    )
    with raw_server(lambda n: body) as (port, seen):
        results = _requests(port, 3)
    assert [r.json() for r in results] == [{"a": 1, "b": 2}] * 3
    assert {connection for connection, _ in seen} == {1}  # one kept-alive connection


def test_close_delimited_body_is_read_to_the_end() -> None:
    body = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + b'{"text": "' + b"x" * 100000 + b'"}'
    with raw_server(lambda n: body, close_after=1) as (port, seen):
        results = _requests(port, 2)
    assert [len(r.json()["text"]) for r in results] == [100000, 100000]
    assert [connection for connection, _ in seen] == [1, 2]


def test_stale_pooled_connection_is_replaced_transparently() -> None:
    ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
    with raw_server(lambda n: ok, close_after=1) as (port, seen):  # server drops idle conns
        results = _requests(port, 3)
    assert all(r.status == 200 for r in results)
    assert [connection for connection, _ in seen] == [1, 2, 3]


def test_hang_up_without_answer_is_transient() -> None:
    with raw_server(lambda n: None) as (port, _):
        results = _requests(port, 1)
    assert isinstance(results[0], TransientError)
    assert "closed without a response" in str(results[0])


def test_truncated_body_is_transient() -> None:
    short = b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"partial":'
    with raw_server(lambda n: short, close_after=1) as (port, _):
        results = _requests(port, 1)
    assert isinstance(results[0], TransientError)
    assert "broken response" in str(results[0])


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_error_statuses_are_returned_for_the_target_to_classify(status: int) -> None:
    answer = f"HTTP/1.1 {status} X\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n".encode()
    with raw_server(lambda n: answer) as (port, _):
        results = _requests(port, 1)
    assert results[0].status == status and results[0].headers["retry-after"] == "1"
