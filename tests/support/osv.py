"""A local stand-in for the OSV API, for pip-audit runs without network.

It answers as OSV documents its endpoints. `POST /v1/query` with
`{"package": {"name": ..., "ecosystem": "PyPI"}, "version": ...}` answers
`{"vulns": [<OSV records>]}` with the records affecting that version, or `{}` when none;
`GET /v1/vulns/<id>` answers the record, or 404. Records follow the OSV schema (id, summary,
details, aliases, affected[].package, affected[].ranges[].events, affected[].versions,
severity, database_specific). Every query is kept in `queries`, every record read in `reads`.
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
"""Modelled on the real advisory for requests < 2.20.0 (CVE-2018-18074), with a CVSS v3.1
vector of base score 7.5 (high)."""


def record(vuln_id: str, package: str, versions: list[str], **fields: Any) -> dict[str, Any]:
    """A minimal OSV record affecting `package` at `versions`."""
    return {
        "schema_version": "1.6.0",
        "id": vuln_id,
        "modified": "2026-01-01T00:00:00Z",
        "summary": f"{package}: test advisory {vuln_id}",
        "affected": [{"package": {"ecosystem": "PyPI", "name": package}, "versions": versions}],
        **fields,
    }


@dataclass
class OsvServer:
    """The running server: its query URL and what it was asked."""

    url: str
    queries: list[dict[str, Any]] = field(default_factory=list)
    reads: list[str] = field(default_factory=list)


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

    by_id = {r["id"]: r for r in records}

    class Handler(BaseHTTPRequestHandler):
        def _json(self, status: int, payload: object) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            prefix = "/v1/vulns/"
            if not self.path.startswith(prefix):
                self.send_error(404)
                return
            vuln_id = self.path[len(prefix) :]
            state.reads.append(vuln_id)
            if vuln_id in by_id:
                self._json(200, by_id[vuln_id])
            else:
                self._json(404, {"code": 5, "message": "Bug not found."})

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
            self._json(200, {"vulns": matching} if matching else {})

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
