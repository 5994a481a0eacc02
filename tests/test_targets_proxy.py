"""The HTTP client through proxies: absolute-form for http, CONNECT tunnel for https."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.asyncserver import tcp_server
from support.servers import free_port

from genai_gate.mockllm.engine import Engine
from genai_gate.mockllm.script import builtin_script_path, load_script
from genai_gate.mockllm.server import running_server
from genai_gate.runner import Job, Runner
from genai_gate.targets.httpclient import proxy_for
from genai_gate.targets.interface import ChatRequest
from genai_gate.targets.openai import OpenAITarget


@pytest.fixture(autouse=True)
def _no_proxy_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "no_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def _engine() -> Engine:
    path = builtin_script_path("default")
    assert path is not None
    return Engine(load_script(path))


def _jobs(count: int) -> list[Job]:
    return [
        Job(str(i), ChatRequest(messages=({"role": "user", "content": f"echo: {i}"},)))
        for i in range(count)
    ]


@contextlib.contextmanager
def connect_proxy(upstream_port: int) -> Iterator[tuple[int, list[str]]]:
    """A CONNECT-only proxy that tunnels to 127.0.0.1:upstream_port; records request heads."""
    heads: list[str] = []

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        heads.append(head)
        if not head.startswith("CONNECT "):
            writer.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            writer.close()
            return
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    with tcp_server(handle) as port:
        yield port, heads


def test_proxy_selection_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://user:p%40ss@proxy.corp:3128")
    monkeypatch.setenv("NO_PROXY", "internal.corp")
    proxy = proxy_for("https", "api.openai.com")
    assert proxy is not None and (proxy.host, proxy.port) == ("proxy.corp", 3128)
    assert proxy.authorization == "Basic " + base64.b64encode(b"user:p@ss").decode()
    assert "p@ss" not in proxy.label
    assert proxy_for("https", "internal.corp") is None
    assert proxy_for("https", "127.0.0.1") is None
    assert proxy_for("http", "api.openai.com") is None  # no HTTP_PROXY


def test_plain_http_through_a_proxy_uses_absolute_form(monkeypatch: pytest.MonkeyPatch) -> None:
    with running_server(_engine()) as (url, server):
        proxy_port = url.split(":")[2].split("/")[0]
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy_port}")
        target = OpenAITarget("via-proxy", "http://llm.example.invalid:8000/v1", "mock-gpt")
        report = Runner(target).run(_jobs(3))
    assert [o.response.content for o in report.outcomes if o.response] == ["0", "1", "2"]
    assert server.stats.absolute_form == 3


def test_https_through_a_connect_tunnel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    command += ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=llm.example.test"]
    command += ["-addext", "subjectAltName=DNS:llm.example.test"]
    subprocess.run(command, check=True, capture_output=True)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with running_server(_engine(), tls=tls) as (url, server):
        upstream = int(url.split(":")[2].split("/")[0])
        with connect_proxy(upstream) as (proxy_port, heads):
            monkeypatch.setenv("HTTPS_PROXY", f"http://u:secret@127.0.0.1:{proxy_port}")
            target = OpenAITarget("tls", "https://llm.example.test:443/v1", "mock-gpt")
            report = Runner(target).run(_jobs(4))
    assert [o.response.content for o in report.outcomes if o.response] == ["0", "1", "2", "3"]
    assert heads and heads[0].startswith("CONNECT llm.example.test:443 HTTP/1.1")
    assert "Proxy-Authorization: Basic " in heads[0]
    assert server.stats.chat_completions == 4


def test_unreachable_proxy_opens_the_circuit(monkeypatch: pytest.MonkeyPatch) -> None:
    from genai_gate.runner import CircuitOpen

    dead = free_port()
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{dead}")
    target = OpenAITarget("x", "https://llm.example.test/v1", "m")
    with pytest.raises(CircuitOpen, match=r"proxy 127.0.0.1:\d+ \(for llm.example.test:443\)"):
        Runner(target).run(_jobs(50))


@pytest.mark.parametrize("no_proxy", ["internal.corp", ".internal.corp", "a.b, Internal.Corp", "*"])
@pytest.mark.parametrize("host", ["internal.corp", "api.internal.corp", "notinternal.corp", "x.io"])
def test_no_proxy_matches_the_standard_librarys_rule(
    monkeypatch: pytest.MonkeyPatch, no_proxy: str, host: str
) -> None:
    """CPython's (undocumented) `urllib.request.proxy_bypass_environment` is the oracle."""
    import urllib.request

    monkeypatch.setenv("HTTP_PROXY", "http://proxy.corp:3128")
    monkeypatch.setenv("NO_PROXY", no_proxy)
    proxies = urllib.request.getproxies_environment()
    bypass = urllib.request.proxy_bypass_environment(host, proxies)  # type: ignore[attr-defined]
    assert (proxy_for("http", host) is None) == bool(bypass)
