"""Evidence read from GitHub: the pull request (reviews, labels, text) and run approvals."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from genai_gate.errors import UsageError
from genai_gate.gates.audit.record import Approval
from genai_gate.integrations.github import ERRORS, GitHub, api_error, login_of, obj, text

REFUSED_HINT = "check the repository, the number and the token"


@dataclass(frozen=True)
class Review:
    """One submitted review."""

    user: str
    state: str
    commit_id: str | None
    submitted_at: str | None


@dataclass
class PullEvidence:
    """What the policy needs to know about a pull request."""

    number: int
    title: str
    body: str
    author: str
    head_sha: str
    labels: list[str] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)


@dataclass(frozen=True)
class GitHubAccess:
    """Token, API URL and repository of the current run."""

    token: str
    api_url: str
    repo: str

    @classmethod
    def from_env(cls, repo: str | None = None, api_url: str | None = None) -> GitHubAccess:
        """From $GITHUB_TOKEN, $GITHUB_API_URL and $GITHUB_REPOSITORY (options override)."""
        token = os.environ.get("GITHUB_TOKEN", "")
        repo = repo or os.environ.get("GITHUB_REPOSITORY", "")
        if not token:
            raise UsageError("GITHUB_TOKEN is not set: audit-log needs it to read GitHub evidence")
        if not repo:
            raise UsageError("no repository: pass --repo OWNER/NAME or set GITHUB_REPOSITORY")
        api = api_url or os.environ.get("GITHUB_API_URL") or "https://api.github.com"
        return cls(token, api.rstrip("/"), repo)

    def client(self) -> GitHub:
        """A client for this API."""
        return GitHub(self.token, self.api_url)


def pull_evidence(access: GitHubAccess, number: int) -> PullEvidence:
    """Title, body, author, head sha, labels and reviews of pull request `number`."""
    what = f"reading pull request {access.repo}#{number}"
    gh = access.client()
    path = f"/repos/{access.repo}/pulls/{number}"
    try:
        pull = obj(gh.request("GET", path), "the pull request")
        reviews = [
            Review(
                user=login_of(review),
                state=text(review, "state"),
                commit_id=text(review, "commit_id") or None,
                submitted_at=text(review, "submitted_at") or None,
            )
            for review in (obj(item, "a review") for item in gh.paginate(f"{path}/reviews"))
        ]
        labels = [
            text(obj(label, "a label"), "name")
            for label in gh.paginate(f"/repos/{access.repo}/issues/{number}/labels")
        ]
        return PullEvidence(
            number=number,
            title=text(pull, "title"),
            body=text(pull, "body"),
            author=login_of(pull),
            head_sha=text(obj(pull.get("head"), "`head`"), "sha"),
            labels=labels,
            reviews=reviews,
        )
    except ERRORS as exc:
        raise api_error(exc, what, REFUSED_HINT) from None


def _get_list(access: GitHubAccess, path: str, what: str) -> list[Any]:
    """Every item of the JSON list GitHub answers to GET `path`."""
    try:
        return list(access.client().paginate(path))
    except ERRORS as exc:
        raise api_error(exc, what, REFUSED_HINT) from None


def pull_of_commit(access: GitHubAccess, sha: str) -> int | None:
    """The pull request that brought commit `sha` (merged as it, else with it as head), from
    GET /repos/{o}/{r}/commits/{sha}/pulls; None when there is none."""
    data = _get_list(
        access, f"/repos/{access.repo}/commits/{sha}/pulls", f"reading the pulls of {sha}"
    )
    pulls = [p for p in data if isinstance(p, dict) and isinstance(p.get("number"), int)]
    for pull in pulls:
        if pull.get("merge_commit_sha") == sha or (pull.get("head") or {}).get("sha") == sha:
            return int(pull["number"])
    return int(pulls[0]["number"]) if pulls else None


def run_approvals(access: GitHubAccess, run_id: str) -> list[Approval]:
    """Environment approvals of a workflow run (GET /repos/{o}/{r}/actions/runs/{id}/approvals)."""
    path = f"/repos/{access.repo}/actions/runs/{run_id}/approvals"
    data = _get_list(access, path, f"reading the approvals of run {run_id}")
    return [
        Approval(
            user=(item.get("user") or {}).get("login", ""),
            state=item.get("state", ""),
            source="environment",
            environments=[env.get("name", "") for env in item.get("environments") or []],
            comment=item.get("comment") or None,
        )
        for item in data
    ]
