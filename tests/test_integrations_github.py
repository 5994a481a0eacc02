"""The one GitHub client and error map, against the GitHub fake answering as GitHub documents.

Rate limits (docs.github.com, "Rate limits for the REST API"): a spent primary limit answers 403
or 429 with `x-ratelimit-remaining: 0`; a secondary limit answers 403 or 429 with a message
saying so and often `retry-after`. Both are infrastructure (exit 3): the run may succeed later,
and nothing the user passed is wrong.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from support.dribble import dribbling_server
from support.fake_github import FakeGitHub
from support.servers import free_port

from genai_gate.errors import ExitCode
from genai_gate.gates.audit.github import GitHubAccess, pull_evidence
from genai_gate.integrations import github
from genai_gate.integrations.github import (
    ACTIONS_BOT,
    ERRORS,
    Comment,
    GitHub,
    api_error,
    identity,
)
from genai_gate.report.sticky import upsert

REPO = "acme/agent"


@pytest.fixture
def gh():
    with FakeGitHub() as fake:
        fake.add_repo(REPO)
        fake.add_pull(REPO, 3, title="Tune prompt", user="alice", head_sha="c" * 40)
        yield fake


def failure(gh: FakeGitHub, url: str | None = None) -> Exception:
    try:
        GitHub(gh.token, url or gh.url).request("GET", f"/repos/{REPO}/pulls/3")
    except ERRORS as exc:
        return exc
    raise AssertionError("the request did not fail")


@pytest.mark.parametrize(
    ("status", "message", "headers"),
    [
        (403, "API rate limit exceeded for installation ID 4242.", {"X-RateLimit-Remaining": "0"}),
        (429, "API rate limit exceeded for user ID 1.", {"X-RateLimit-Remaining": "0"}),
        (
            403,
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
            "again.",
            {"Retry-After": "60"},
        ),
        (429, "Too Many Requests", {"Retry-After": "5"}),
    ],
)
def test_rate_limits_are_infrastructure(gh, status, message, headers) -> None:
    gh.fail_next(status, message, headers=headers)
    error = api_error(failure(gh), "reading acme/agent#3", "check the token")
    assert error.exit_code is ExitCode.INFRA
    assert (
        str(error)
        == f"reading acme/agent#3: HTTP {status} {message} (GitHub rate limit: retry later)"
    )


@pytest.mark.parametrize(
    ("status", "message", "expected"),
    [
        (403, "Resource not accessible by integration", "(check the token)"),
        (404, "Not Found", "(check the token)"),
        (401, "Bad credentials", "(the GITHUB_TOKEN was rejected)"),
    ],
)
def test_refusals_are_usage_errors_with_the_callers_hint(gh, status, message, expected) -> None:
    gh.fail_next(status, message)
    error = api_error(failure(gh), "reading acme/agent#3", "check the token")
    assert error.exit_code is ExitCode.USAGE
    assert str(error) == f"reading acme/agent#3: HTTP {status} {message} {expected}"


def test_server_errors_and_no_answer_are_infrastructure(gh) -> None:
    gh.fail_next(502, "Server Error")
    assert api_error(failure(gh), "step", "hint").exit_code is ExitCode.INFRA
    nobody = f"http://127.0.0.1:{free_port()}"
    error = api_error(failure(gh, nobody), "reading acme/agent#3", "hint")
    assert error.exit_code is ExitCode.INFRA
    assert str(error).startswith(
        "GitHub API unreachable while reading acme/agent#3: cannot connect to 127.0.0.1:"
    )


def test_a_dribbling_api_ends_at_the_request_limit_as_infrastructure(monkeypatch) -> None:
    monkeypatch.setattr(github, "TIMEOUT_S", 1)
    with dribbling_server() as base, pytest.raises(ERRORS) as failed:
        GitHub("token", base).request("GET", "/repos/acme/agent")
    error = api_error(failed.value, "reading acme/agent", "hint")
    assert error.exit_code is ExitCode.INFRA
    host = base.removeprefix("http://")
    assert str(error) == (
        f"GitHub API unreachable while reading acme/agent: GET {base}/repos/acme/agent: "
        f"no complete answer within 1 s (host {host} too slow or dribbling)"
    )


def test_an_app_token_is_the_actions_bot_but_a_rate_limit_is_not(gh) -> None:
    gh.add_token("app-token", "github-actions[bot]", app=True)
    assert identity(GitHub("app-token", gh.url)) == ACTIONS_BOT
    gh.fail_next(
        403,
        "API rate limit exceeded for installation ID 1.",
        path="/user",
        headers={"X-RateLimit-Remaining": "0"},
    )
    with pytest.raises(ERRORS):
        identity(GitHub("app-token", gh.url))


def test_every_caller_maps_a_rate_limit_to_exit_3(gh) -> None:
    limit = {"X-RateLimit-Remaining": "0"}
    gh.fail_next(403, "API rate limit exceeded for installation ID 1.", headers=limit)
    with pytest.raises(Exception) as caught:
        upsert(GitHub(gh.token, gh.url), REPO, 3, "body", author="genai-bot")
    assert caught.value.exit_code is ExitCode.INFRA  # type: ignore[attr-defined]
    gh.fail_next(403, "API rate limit exceeded for installation ID 1.", headers=limit)
    with pytest.raises(Exception) as caught:
        pull_evidence(GitHubAccess(gh.token, gh.url, REPO), 3)
    assert "reading pull request acme/agent#3: HTTP 403" in str(caught.value)
    assert caught.value.exit_code is ExitCode.INFRA  # type: ignore[attr-defined]


def test_requests_carry_the_documented_headers(gh) -> None:
    GitHub(gh.token, gh.url + "/").request("GET", f"/repos/{REPO}/pulls/3")
    (sent,) = gh.requests
    assert sent.login == "genai-bot"  # Authorization: Bearer <token>
    assert sent.headers["Accept"] == "application/vnd.github+json"
    assert sent.headers["X-GitHub-Api-Version"] == "2022-11-28"
    assert sent.headers["User-Agent"].startswith("genai-gate/")


def test_lists_follow_the_link_header_to_the_last_page(gh) -> None:
    for i in range(205):
        gh.add_comment(REPO, 3, f"c{i}", user="bob")
    items = list(GitHub(gh.token, gh.url).paginate(f"/repos/{REPO}/issues/3/comments"))
    assert [c["body"] for c in items] == [f"c{i}" for i in range(205)]
    pages = [(r.query.get("per_page"), r.query.get("page")) for r in gh.requests]
    assert pages == [(["100"], None), (["100"], ["2"]), (["100"], ["3"])]


class Scripted(BaseHTTPRequestHandler):
    """Answers GET with the (status, headers, body) queued in `answers`; records each path."""

    answers: ClassVar[list[tuple[int, dict[str, str], bytes]]] = []
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        status, headers, body = self.answers.pop(0)
        self.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def scripted():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Scripted.answers, Scripted.seen = [], []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_next_page_on_another_origin_is_not_followed(scripted) -> None:
    elsewhere = f"http://127.0.0.1:{free_port()}/steal?page=2"
    link = {"Link": f'<{elsewhere}>; rel="next"', "Content-Type": "application/json"}
    Scripted.answers.append((200, link, b"[]"))
    with pytest.raises(ERRORS) as caught:
        list(GitHub("t", scripted).paginate("/repos/acme/agent/issues/3/comments"))
    error = api_error(caught.value, "listing comments of acme/agent#3", "hint")
    assert error.exit_code is ExitCode.INFRA
    assert str(error) == (
        "listing comments of acme/agent#3: unexpected answer from the GitHub API: GET "
        f"/repos/acme/agent/issues/3/comments: the next page is not on {scripted}"
    )


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ((200, {}, b"<html>proxy login</html>"), "HTTP 200 answer is not JSON"),
        ((200, {}, b'{"id": "7", "body": "x"}'), "`id` is not an integer"),
        ((200, {}, b'{"id": 7, "body": "x", "user": "bob"}'), "`user` is not an object"),
    ],
)
def test_an_answer_of_the_wrong_shape_is_infrastructure(scripted, answer, expected) -> None:
    Scripted.answers.append(answer)
    with pytest.raises(ERRORS) as caught:
        Comment.of(GitHub("t", scripted).request("GET", "/repos/acme/agent/issues/comments/7"))
    error = api_error(caught.value, "reading comment 7", "hint")
    assert error.exit_code is ExitCode.INFRA
    assert str(error) == f"reading comment 7: unexpected answer from the GitHub API: {expected}"


def test_an_error_without_json_names_the_status_and_reason(scripted) -> None:
    Scripted.answers.append((502, {}, b"<html>bad gateway</html>"))
    with pytest.raises(ERRORS) as caught:
        GitHub("t", scripted).request("GET", "/user")
    error = api_error(caught.value, "reading the token's identity", "hint")
    assert (error.exit_code, str(error)) == (
        ExitCode.INFRA,
        "reading the token's identity: HTTP 502 Bad Gateway",
    )
