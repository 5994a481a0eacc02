"""Post or update the one sticky PR comment through the GitHub REST API.

The comment is found by the hidden marker AND its author (the token's identity), so a comment
by someone else that quotes the marker is never touched; it is updated in place (PATCH), never
posted twice. The token is read by the caller from `$GITHUB_TOKEN` and never printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from genai_gate.integrations.github import ERRORS, Comment, GitHub, api_error, identity
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


def upsert(gh: GitHub, repo: str, pr: int, body: str, author: str | None = None) -> Outcome:
    """Create the sticky comment on `repo#pr`, or update ours in place; map errors to exit codes."""
    step = "reading the token's identity"
    try:
        login = author or identity(gh)
        step = f"reading {repo}#{pr}"
        gh.request("GET", f"/repos/{repo}/pulls/{pr}")  # 404 unless `pr` is a pull request
        step = f"listing comments of {repo}#{pr}"
        comments = map(Comment.of, gh.paginate(f"/repos/{repo}/issues/{pr}/comments"))
        ours = [c for c in comments if MARKER in c.body and c.author == login]
        if not ours:
            step = f"creating the comment on {repo}#{pr}"
            posted = gh.request("POST", f"/repos/{repo}/issues/{pr}/comments", {"body": body})
            created = Comment.of(posted)
            return Outcome("created", created.id, created.url)
        comment = min(ours, key=lambda c: c.id)
        if comment.body == body:
            return Outcome("unchanged", comment.id, comment.url)
        step = f"updating comment {comment.id}"
        gh.request("PATCH", f"/repos/{repo}/issues/comments/{comment.id}", {"body": body})
        return Outcome("updated", comment.id, comment.url)
    except ERRORS as exc:
        raise api_error(exc, step, REFUSED_HINT) from None
