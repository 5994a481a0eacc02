"""Post or update the one sticky PR comment through the GitHub REST API (PyGithub).

The comment is found by the hidden marker AND its author (the token's identity), so a comment
by someone else that quotes the marker is never touched; it is updated in place (PATCH), never
posted twice. The token is read by the caller from `$GITHUB_TOKEN` and never printed.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests
from github import Auth, Github, GithubException

from genai_gate.errors import InfraError, UsageError
from genai_gate.report.comment import MARKER

ACTIONS_BOT = "github-actions[bot]"
"""Author of comments made with the Actions GITHUB_TOKEN (which cannot read GET /user)."""
TIMEOUT_S = 10
"""Per-request timeout: an unreachable API must end the command (exit 3) within seconds."""


@dataclass(frozen=True)
class Outcome:
    """What `upsert` did."""

    action: str
    """created, updated or unchanged."""
    comment_id: int
    url: str


def client(token: str, api_url: str) -> Github:
    """A PyGithub client without retries or throttling delays (one run makes a few calls)."""
    return Github(
        auth=Auth.Token(token),
        base_url=api_url.rstrip("/"),
        timeout=TIMEOUT_S,
        retry=None,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )


def _api_error(exc: GithubException, what: str) -> Exception:
    status = exc.status
    message = exc.data.get("message") if isinstance(exc.data, dict) else None
    detail = f"{what}: HTTP {status}" + (f" {message}" if message else "")
    if status == 401:
        return UsageError(f"{detail} (the GITHUB_TOKEN was rejected)")
    if status in (403, 404, 422):
        return UsageError(
            f"{detail} (check --repo/--pr and that the token may write pull-request comments: "
            "permissions `pull-requests: write`)"
        )
    return InfraError(detail)


def identity(gh: Github) -> str:
    """Login of the token's user; the Actions bot when the token cannot read GET /user."""
    try:
        return gh.get_user().login
    except GithubException as exc:
        if exc.status == 403:  # installation tokens (GITHUB_TOKEN) get 403 on /user
            return ACTIONS_BOT
        raise


def upsert(gh: Github, repo: str, pr: int, body: str, author: str | None = None) -> Outcome:
    """Create the sticky comment on `repo#pr`, or update ours in place; map errors to exit codes."""
    step = "reading the token's identity"
    try:
        login = author or identity(gh)
        step = f"reading {repo}#{pr}"
        pull = gh.get_repo(repo).get_pull(pr)
        step = f"listing comments of {repo}#{pr}"
        ours = [
            c
            for c in pull.get_issue_comments()
            if MARKER in (c.body or "") and c.user is not None and c.user.login == login
        ]
        if not ours:
            step = f"creating the comment on {repo}#{pr}"
            created = pull.create_issue_comment(body)
            return Outcome("created", created.id, created.html_url)
        comment = min(ours, key=lambda c: c.id)
        if comment.body == body:
            return Outcome("unchanged", comment.id, comment.html_url)
        step = f"updating comment {comment.id}"
        comment.edit(body)
        return Outcome("updated", comment.id, comment.html_url)
    except GithubException as exc:
        raise _api_error(exc, step) from None
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise InfraError(f"GitHub API unreachable while {step}: {type(exc).__name__}") from None
