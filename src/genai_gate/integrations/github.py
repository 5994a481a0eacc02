"""The GitHub REST API: the one client (PyGithub) and the one map from its errors to exit codes.

Rate limits are infrastructure (exit 3): GitHub answers a spent primary limit with 403 or 429
and `x-ratelimit-remaining: 0`, a secondary limit with 403 or 429, a `retry-after` header or a
message saying so. Other refusals (401, 403, 404, 410, 422) are the caller's token, repository
or request (exit 2); the rest, and no answer at all, are infrastructure.
"""

from __future__ import annotations

import requests
from github import Auth, Github, GithubException, RateLimitExceededException

from genai_gate.errors import GateError, InfraError, UsageError

TIMEOUT_S = 10
"""Per-request timeout: an unreachable API must end the command (exit 3) within seconds."""
ACTIONS_BOT = "github-actions[bot]"
"""Author of comments made with the Actions GITHUB_TOKEN (which cannot read GET /user)."""
ERRORS = (GithubException, requests.RequestException)
"""What a call through the client raises; `api_error` maps each onto an exit code."""


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


def identity(gh: Github) -> str:
    """Login of the token's user; the Actions bot when the token cannot read GET /user."""
    try:
        return gh.get_user().login
    except GithubException as exc:
        if exc.status == 403 and not rate_limited(exc):  # installation tokens cannot read /user
            return ACTIONS_BOT
        raise


def rate_limited(exc: GithubException) -> bool:
    """Whether GitHub refused because a primary or secondary rate limit is spent."""
    if exc.status not in (403, 429):
        return False
    headers = {key.lower(): value for key, value in (exc.headers or {}).items()}
    message = exc.data.get("message", "") if isinstance(exc.data, dict) else ""
    return (
        exc.status == 429
        or isinstance(exc, RateLimitExceededException)
        or headers.get("x-ratelimit-remaining") == "0"
        or "retry-after" in headers
        or "rate limit" in str(message).lower()
    )


def api_error(exc: Exception, step: str, refused_hint: str) -> GateError:
    """The error ending the command for `exc` raised while `step`; `refused_hint` tells the user
    what to check when GitHub refuses the repository, number or token permissions."""
    if isinstance(exc, GithubException):
        message = exc.data.get("message") if isinstance(exc.data, dict) else None
        detail = f"{step}: HTTP {exc.status}" + (f" {message}" if message else "")
        if rate_limited(exc):
            return InfraError(f"{detail} (GitHub rate limit: retry later)")
        if exc.status == 401:
            return UsageError(f"{detail} (the GITHUB_TOKEN was rejected)")
        if exc.status in (403, 404, 410, 422):
            return UsageError(f"{detail} ({refused_hint})")
        return InfraError(detail)
    return InfraError(f"GitHub API unreachable while {step}: {type(exc).__name__}")
