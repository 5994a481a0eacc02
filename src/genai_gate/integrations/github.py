"""The GitHub REST API: one small client on the project's HTTP session, one map from its errors
to exit codes.

Every request sends the documented headers (`Authorization: Bearer`, `Accept:
application/vnd.github+json`, `X-GitHub-Api-Version`), ends within `TIMEOUT_S` (the whole
exchange, as `integrations.http` bounds it, so a dribbling server cannot hold the run) and is
never retried (one run makes a few calls). Lists follow the `Link` header's `next` URL, which
must stay on the API's own origin (the token goes with it).

Rate limits are infrastructure (exit 3): GitHub answers a spent primary limit with 403 or 429
and `x-ratelimit-remaining: 0`, a secondary limit with 403 or 429, a `retry-after` header or a
message saying so. Other refusals (401, 403, 404, 410, 422) are the caller's token, repository
or request (exit 2); the rest, an answer of the wrong shape and no answer at all, are
infrastructure.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode, urlsplit

from genai_gate import __version__
from genai_gate.errors import GateError, InfraError, UsageError
from genai_gate.integrations.http import DeadlineHttp, RequestFailed
from genai_gate.targets.httpclient import HttpResponse

CONNECT_TIMEOUT_S = 5
"""Connect limit: an unreachable API ends the command (exit 3) within seconds."""
TIMEOUT_S = 10
"""Limit of one whole request, connect included."""
API_VERSION = "2022-11-28"
"""REST API version every request asks for (`X-GitHub-Api-Version`)."""
PER_PAGE = 100
"""Items per page of a list (GitHub's maximum)."""
ACTIONS_BOT = "github-actions[bot]"
"""Author of comments made with the Actions GITHUB_TOKEN (which cannot read GET /user)."""


class GitHubError(Exception):
    """GitHub answered with an error status."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str]) -> None:
        super().__init__(f"HTTP {status} {message}".strip())
        self.status = status
        self.message = message
        """GitHub's `message` field ('' when the answer had none)."""
        self.headers = {key.lower(): value for key, value in headers.items()}


class BadAnswer(ValueError):
    """A 2xx answer that is not the JSON GitHub documents for the endpoint."""


ERRORS = (GitHubError, BadAnswer, RequestFailed)
"""What a call through the client raises; `api_error` maps each onto an exit code."""


def text(item: Mapping[str, Any], key: str) -> str:
    """`item[key]` as a string ('' for null or absent); BadAnswer for another type."""
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadAnswer(f"`{key}` is not a string")
    return value


def integer(item: Mapping[str, Any], key: str) -> int:
    """`item[key]`, which must be an integer."""
    value = item.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadAnswer(f"`{key}` is not an integer")
    return value


def obj(value: Any, what: str) -> Mapping[str, Any]:
    """`value`, which must be a JSON object."""
    if not isinstance(value, dict):
        raise BadAnswer(f"{what} is not an object")
    return value


def login_of(item: Mapping[str, Any], key: str = "user") -> str:
    """The `login` of the user object `item[key]` ('' when null, e.g. a deleted account)."""
    user = item.get(key)
    return "" if user is None else text(obj(user, f"`{key}`"), "login")


@dataclass(frozen=True)
class Comment:
    """An issue or pull-request comment."""

    id: int
    body: str
    author: str
    url: str

    @classmethod
    def of(cls, item: Any) -> Comment:
        """From GitHub's issue-comment JSON."""
        item = obj(item, "a comment")
        return cls(integer(item, "id"), text(item, "body"), login_of(item), text(item, "html_url"))


@dataclass(frozen=True)
class Issue:
    """An issue (or a pull request, which the issues endpoints list too)."""

    number: int
    title: str
    body: str
    author: str
    url: str
    state: str
    labels: tuple[str, ...]
    pull_request: bool

    @classmethod
    def of(cls, item: Any) -> Issue:
        """From GitHub's issue JSON."""
        item = obj(item, "an issue")
        labels = item.get("labels") or []
        if not isinstance(labels, list):
            raise BadAnswer("`labels` is not a list")
        return cls(
            number=integer(item, "number"),
            title=text(item, "title"),
            body=text(item, "body"),
            author=login_of(item),
            url=text(item, "html_url"),
            state=text(item, "state"),
            labels=tuple(text(obj(label, "a label"), "name") for label in labels),
            pull_request=item.get("pull_request") is not None,
        )


class GitHub:
    """A client of one GitHub REST API (api.github.com or a GHES `/api/v3` base) and token."""

    def __init__(self, token: str, api_url: str) -> None:
        self.api_url = api_url.rstrip("/")
        self._origin = urlsplit(self.api_url)[:2]
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"genai-gate/{__version__}",
        }

    def _send(self, method: str, url: str, body: Any = None) -> tuple[HttpResponse, Any]:
        headers = dict(self._headers)
        payload = b""
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        # One session per request: its run deadline is past the request's, so that one decides.
        limits = {"connect_timeout_s": CONNECT_TIMEOUT_S, "timeout_s": TIMEOUT_S}
        with DeadlineHttp(**limits, run_timeout_s=TIMEOUT_S + 1) as http:
            response = http.run(http.fetch(method, url, headers, payload))
        ok = 200 <= response.status < 300
        try:
            data = json.loads(response.body) if response.body else None
        except ValueError:
            data = None
            if ok:
                raise BadAnswer(f"HTTP {response.status} answer is not JSON") from None
        if not ok:
            message = data.get("message") if isinstance(data, dict) else None
            raise GitHubError(
                response.status, str(message or reason(response.status)), response.headers
            )
        return response, data

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """The JSON answer to `method path` (`path` starts with '/'), `body` sent as JSON."""
        return self._send(method, self.api_url + path, body)[1]

    def paginate(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[Any]:
        """Every item of the list at `path`, page by page along the `Link` header."""
        query = urlencode({"per_page": PER_PAGE, **(params or {})})
        url: str | None = f"{self.api_url}{path}?{query}"
        while url:
            response, page = self._send("GET", url)
            if not isinstance(page, list):
                raise BadAnswer(f"GET {path}: expected a list")
            yield from page
            url = next_link(response.headers.get("link", ""))  # it carries the whole query
            if url and urlsplit(url)[:2] != self._origin:
                raise BadAnswer(f"GET {path}: the next page is not on {self.api_url}")

    def login(self) -> str:
        """Login of the token's user (GET /user)."""
        return text(obj(self.request("GET", "/user"), "the user"), "login")


def reason(status: int) -> str:
    """The standard reason phrase of `status` ('' for a status without one)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def next_link(header: str) -> str | None:
    """The `rel="next"` URL of a `Link` header (RFC 8288), None when there is none."""
    for link in header.split(","):
        target, *params = link.split(";")
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "rel" and "next" in value.strip('"').split():
                return target.strip().removeprefix("<").removesuffix(">")
    return None


def identity(gh: GitHub) -> str:
    """Login of the token's user; the Actions bot when the token cannot read GET /user."""
    try:
        return gh.login()
    except GitHubError as exc:
        if exc.status == 403 and not rate_limited(exc):  # installation tokens cannot read /user
            return ACTIONS_BOT
        raise


def rate_limited(exc: GitHubError) -> bool:
    """Whether GitHub refused because a primary or secondary rate limit is spent."""
    if exc.status not in (403, 429):
        return False
    return (
        exc.status == 429
        or exc.headers.get("x-ratelimit-remaining") == "0"
        or "retry-after" in exc.headers
        or "rate limit" in exc.message.lower()
    )


def api_error(exc: Exception, step: str, refused_hint: str) -> GateError:
    """The error ending the command for `exc` raised while `step`; `refused_hint` tells the user
    what to check when GitHub refuses the repository, number or token permissions."""
    if isinstance(exc, GitHubError):
        detail = f"{step}: {exc}"
        if rate_limited(exc):
            return InfraError(f"{detail} (GitHub rate limit: retry later)")
        if exc.status == 401:
            return UsageError(f"{detail} (the GITHUB_TOKEN was rejected)")
        if exc.status in (403, 404, 410, 422):
            return UsageError(f"{detail} ({refused_hint})")
        return InfraError(detail)
    if isinstance(exc, BadAnswer):
        return InfraError(f"{step}: unexpected answer from the GitHub API: {exc}")
    return InfraError(f"GitHub API unreachable while {step}: {exc}")
