"""Post or update the one sticky PR comment through the GitHub REST API (PyGithub).

The comment is found by the hidden marker AND its author (the token's identity), so a comment
by someone else that quotes the marker is never touched; it is updated in place (PATCH), never
posted twice. The token is read by the caller from `$GITHUB_TOKEN` and never printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from github import Github

from genai_gate.integrations.github import ERRORS, api_error, identity
from genai_gate.report.comment import MARKER

REFUSED_HINT = (
    "check --repo/--pr and that the token may write pull-request comments: "
    "permissions `pull-requests: write`"
)


@dataclass(frozen=True)
class Outcome:
    """What `upsert` did."""

    action: str
    """created, updated or unchanged."""
    comment_id: int
    url: str


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
    except ERRORS as exc:
        raise api_error(exc, step, REFUSED_HINT) from None
