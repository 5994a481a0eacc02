"""The GitHub API fake answers like the real API for independent clients
(PyGithub, plain `requests`), so the tests of our own client run against a checked fake."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests
from github import Auth, BadCredentialsException, Github, UnknownObjectException
from support.fake_github import FakeGitHub


@pytest.fixture
def gh():
    with FakeGitHub() as fake:
        fake.add_repo("acme/agent")
        fake.add_pull("acme/agent", 3, title="Tune prompt", user="alice", head_sha="c" * 40)
        yield fake


def client(fake: FakeGitHub, token: str | None = None) -> Github:
    return Github(
        auth=Auth.Token(token or fake.token),
        base_url=fake.url,
        retry=None,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )


def test_pygithub_reads_pull_reviews_and_labels(gh) -> None:
    gh.add_review("acme/agent", 3, user="carol", state="APPROVED", body="ship it")
    gh.add_review("acme/agent", 3, user="dave", state="CHANGES_REQUESTED")
    gh.add_label("acme/agent", 3, "genai:approved", color="0e8a16")
    pull = client(gh).get_repo("acme/agent").get_pull(3)
    assert (pull.title, pull.user.login, pull.head.sha) == ("Tune prompt", "alice", "c" * 40)
    reviews = list(pull.get_reviews())
    assert [(r.user.login, r.state, r.commit_id) for r in reviews] == [
        ("carol", "APPROVED", "c" * 40),
        ("dave", "CHANGES_REQUESTED", "c" * 40),
    ]
    assert [label.name for label in pull.get_labels()] == ["genai:approved"]
    assert [label.name for label in pull.labels] == ["genai:approved"]


def test_comments_paginate_with_link_headers(gh) -> None:
    for i in range(7):
        gh.add_comment("acme/agent", 3, f"c{i}", user="bob")
    url = f"{gh.url}/repos/acme/agent/issues/3/comments"
    headers = {"Authorization": f"Bearer {gh.token}"}
    first = requests.get(url, params={"per_page": 3}, headers=headers, timeout=5)
    assert [c["body"] for c in first.json()] == ["c0", "c1", "c2"]
    assert first.links["next"]["url"].endswith("per_page=3&page=2")
    assert first.links["last"]["url"].endswith("page=3")
    last = requests.get(first.links["last"]["url"], headers=headers, timeout=5)
    assert [c["body"] for c in last.json()] == ["c6"] and "next" not in last.links
    assert last.links["prev"]["url"].endswith("page=2")
    comments = list(client(gh).get_repo("acme/agent").get_pull(3).get_issue_comments())
    assert len(comments) == 7 and comments[0].user.login == "bob"


def test_approvals_of_a_workflow_run(gh) -> None:
    gh.add_approval("acme/agent", 4242, user="compliance-lead", comment="approved for prod")
    gh.add_approval("acme/agent", 4242, user="eve", state="rejected", environments=["staging"])
    response = requests.get(
        f"{gh.url}/repos/acme/agent/actions/runs/4242/approvals",
        headers={"Authorization": f"token {gh.token}"},
        timeout=5,
    )
    assert response.status_code == 200
    first, second = response.json()
    assert first["state"] == "approved" and first["user"]["login"] == "compliance-lead"
    assert first["environments"][0]["name"] == "production"
    assert first["comment"] == "approved for prod"
    assert second["state"] == "rejected" and second["environments"][0]["name"] == "staging"


def test_errors_look_like_github_errors(gh) -> None:
    with pytest.raises(BadCredentialsException):
        client(gh, "nope").get_user().login  # noqa: B018
    with pytest.raises(UnknownObjectException):
        client(gh).get_repo("acme/missing")
    gh.fail_next(503, "unavailable", path="/repos/acme/agent")
    response = requests.get(
        f"{gh.url}/repos/acme/agent", headers={"Authorization": f"token {gh.token}"}, timeout=5
    )
    assert response.status_code == 503 and response.json()["message"] == "unavailable"
    assert gh.requests[-1].login == "genai-bot" and gh.requests[-1].path == "/repos/acme/agent"


def test_an_app_token_cannot_read_the_user_but_can_comment(gh) -> None:
    gh.add_token("ghs_x", "github-actions[bot]", app=True)
    api = client(gh, "ghs_x")
    with pytest.raises(Exception) as info:
        api.get_user().login  # noqa: B018
    assert getattr(info.value, "status", None) == 403
    created = api.get_repo("acme/agent").get_pull(3).create_issue_comment("hello")
    assert created.user.login == "github-actions[bot]" and created.user.type == "Bot"
    assert gh.comments_on("acme/agent", 3)[0]["body"] == "hello"


def test_standalone_server_serves_a_seeded_pull_request() -> None:
    script = Path(__file__).parent / "support" / "fake_github.py"
    proc = subprocess.Popen(
        [sys.executable, str(script), "--repo", "acme/a", "--pr", "5", "--token", "tok", "--app"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        headers = {"Authorization": "token tok"}
        pull = requests.get(f"{url}/repos/acme/a/pulls/5", headers=headers, timeout=5)
        assert pull.status_code == 200 and pull.json()["number"] == 5
        assert requests.get(f"{url}/user", headers=headers, timeout=5).status_code == 403
    finally:
        proc.terminate()
        proc.wait(timeout=10)
