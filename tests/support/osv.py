"""A local stand-in for the OSV API (`POST /v1/query`), for pip-audit runs without network.

It answers as OSV documents its query endpoint: the request body is
`{"package": {"name": ..., "ecosystem": "PyPI"}, "version": ...}`, the answer
`{"vulns": [<OSV records>]}` with the records affecting that version, or `{}` when none.
Records follow the OSV schema (id, summary, details, aliases, affected[].package,
affected[].ranges[].events, affected[].versions, severity). Every query is kept in `queries`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

REQUESTS_CVE_2018_18074: dict[str, Any] = {
    "schema_version": "1.6.0",
    "id": "PYSEC-2018-28",
    "modified": "2024-11-21T14:22:05Z",
    "published": "2018-10-09T17:29:00Z",
    "aliases": ["CVE-2018-18074", "GHSA-x84v-xcm2-53pg"],
    "summary": "requests sends the Authorization header to an http URL after an https redirect",
    "details": "The Requests package before 2.20.0 for Python sends an HTTP Authorization "
    "header to an http URI upon receiving a same-hostname https-to-http redirect.",
    "severity": [
        {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"},
    ],
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "requests", "purl": "pkg:pypi/requests"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.20.0"}]}],
            "versions": ["2.18.4", "2.19.0", "2.19.1"],
        }
    ],
}
"""A real advisory (facts as published), used as the known-vulnerable pin in tests."""


@dataclass
class OsvServer:
    """The running server: its query URL and what it was asked."""

    url: str
    queries: list[dict[str, Any]] = field(default_factory=list)


def _affects(record: dict[str, Any], name: str, version: str) -> bool:
    return any(
        a["package"]["ecosystem"] == "PyPI"
        and a["package"]["name"].lower() == name.lower()
        and version in a.get("versions", [])
        for a in record.get("affected", [])
    )


@contextmanager
def osv_server(records: list[dict[str, Any]]) -> Iterator[OsvServer]:
    """Serve `records` on 127.0.0.1 (a free port) for the duration of the block."""
    state = OsvServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path != "/v1/query":
                self.send_error(404)
                return
            length = int(self.headers.get("Content-Length", "0"))
            query = json.loads(self.rfile.read(length) or b"{}")
            state.queries.append(query)
            package = query.get("package", {})
            matching = [
                r
                for r in records
                if _affects(r, str(package.get("name", "")), str(query.get("version", "")))
            ]
            body = json.dumps({"vulns": matching} if matching else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Silence the per-request log."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
