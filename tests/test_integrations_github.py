"""The one GitHub client and error map, against the GitHub fake answering as GitHub documents.

Rate limits (docs.github.com, "Rate limits for the REST API"): a spent primary limit answers 403
or 429 with `x-ratelimit-remaining: 0`; a secondary limit answers 403 or 429 with a message
saying so and often `retry-after`. Both are infrastructure (exit 3): the run may succeed later,
and nothing the user passed is wrong.
"""

from __future__ import annotations

import pytest
from support.fake_github import FakeGitHub
from support.servers import free_port

from genai_gate.errors import ExitCode
from genai_gate.gates.audit.github import GitHubAccess, pull_evidence
from genai_gate.integrations.github import ACTIONS_BOT, ERRORS, api_error, client, identity
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
        client(gh.token, url or gh.url).get_repo(REPO).get_pull(3)
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
    assert str(error) == "GitHub API unreachable while reading acme/agent#3: ConnectionError"


def test_an_app_token_is_the_actions_bot_but_a_rate_limit_is_not(gh) -> None:
    gh.add_token("app-token", "github-actions[bot]", app=True)
    assert identity(client("app-token", gh.url)) == ACTIONS_BOT
    gh.fail_next(
        403,
        "API rate limit exceeded for installation ID 1.",
        path="/user",
        headers={"X-RateLimit-Remaining": "0"},
    )
    with pytest.raises(ERRORS):
        identity(client("app-token", gh.url))


def test_every_caller_maps_a_rate_limit_to_exit_3(gh) -> None:
    limit = {"X-RateLimit-Remaining": "0"}
    gh.fail_next(403, "API rate limit exceeded for installation ID 1.", headers=limit)
    with pytest.raises(Exception) as caught:
        upsert(client(gh.token, gh.url), REPO, 3, "body", author="genai-bot")
    assert caught.value.exit_code is ExitCode.INFRA  # type: ignore[attr-defined]
    gh.fail_next(403, "API rate limit exceeded for installation ID 1.", headers=limit)
    with pytest.raises(Exception) as caught:
        pull_evidence(GitHubAccess(gh.token, gh.url, REPO), 3)
    assert "reading pull request acme/agent#3: HTTP 403" in str(caught.value)
    assert caught.value.exit_code is ExitCode.INFRA  # type: ignore[attr-defined]
