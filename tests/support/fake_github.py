"""A local stand-in for the GitHub REST API, for tests (stdlib only, 127.0.0.1, port 0).

It answers like api.github.com, with the documented payload shapes, for:

    GET   /user
    GET   /repos/{o}/{r}
    GET   /repos/{o}/{r}/pulls/{n}
    GET   /repos/{o}/{r}/pulls/{n}/reviews
    GET   /repos/{o}/{r}/issues/{n}
    GET   /repos/{o}/{r}/issues/{n}/comments          (paginated)
    POST  /repos/{o}/{r}/issues/{n}/comments          (422 above 65,536 characters)
    PATCH /repos/{o}/{r}/issues/comments/{id}
    GET   /repos/{o}/{r}/issues/{n}/labels            (paginated)
    GET   /repos/{o}/{r}/actions/runs/{id}/approvals
    GET   /repos/{o}/{r}/commits/{sha}/pulls

Lists honour `per_page` (default 30, max 100) and `page`, with a `Link` header (prev, next,
last, first) like GitHub's: its URLs address the repository by id (`/repositories/{id}/...`, as
api.github.com does), so a client must follow them rather than build page URLs itself. An
`X-GitHub-Api-Version` other than a supported version is answered 400, as GitHub does.
Requests need `Authorization: token T` or `Bearer T` with a token added by `add_token` (401
"Bad credentials" otherwise); an `app=True` token gets 403 on GET /user, as the Actions
GITHUB_TOKEN does.

Usage:

    with FakeGitHub() as gh:                   # token "test-token" for user "genai-bot"
        gh.add_repo("acme/agent")
        gh.add_pull("acme/agent", 7)
        gh.add_comment("acme/agent", 7, "hello", user="alice")
        gh.add_review("acme/agent", 7, user="carol", state="APPROVED")
        gh.add_label("acme/agent", 7, "deploy")
        gh.add_approval("acme/agent", 42, user="dave", environments=["production"])
        ... point the client at gh.url ...
        gh.comments_on("acme/agent", 7)       # state to inspect; gh.requests logs each call
        gh.fail_next(503)                      # next request answers 503

Standalone (e.g. for workflows run under act): `python tests/support/fake_github.py --port P
--repo OWNER/NAME --pr N --token T [--app]` prints its URL and serves until interrupted.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

DOCS = "https://docs.github.com/rest"
COMMENT_LIMIT = 65_536


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Recorded:
    """One request the fake received (the Authorization header is never kept)."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    login: str | None
    headers: dict[str, str] = field(default_factory=dict)
    """The request's Accept, X-GitHub-Api-Version and User-Agent headers."""


API_VERSIONS = ("2022-11-28", "2026-03-10")
"""REST API versions GitHub documents as supported."""
RECORDED_HEADERS = ("Accept", "X-GitHub-Api-Version", "User-Agent")


@dataclass
class _Failure:
    status: int
    message: str
    method: str | None
    path: str | None
    times: int
    headers: dict[str, str] = field(default_factory=dict)


class HTTPError(Exception):
    """An error answer: status and GitHub's error JSON."""

    def __init__(
        self, status: int, message: str, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}
        self.payload = {
            "message": message,
            "documentation_url": DOCS,
            "status": str(status),
            **extra,
        }


@dataclass
class FakeGitHub:
    """In-memory GitHub state plus the HTTP server answering for it."""

    token: str = "test-token"
    """A token accepted from the start."""
    login: str = "genai-bot"
    """The user that token belongs to."""
    tokens: dict[str, tuple[str, bool]] = field(default_factory=dict)
    """token -> (login, is_app_token)."""
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    repos: dict[str, dict[str, Any]] = field(default_factory=dict)
    pulls: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    """comment id -> payload; `_repo` and `_issue` keys say where it belongs."""
    reviews: dict[tuple[str, int], list[dict[str, Any]]] = field(default_factory=dict)
    labels: dict[tuple[str, int], list[dict[str, Any]]] = field(default_factory=dict)
    approvals: dict[tuple[str, int], list[dict[str, Any]]] = field(default_factory=dict)
    issues: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    """Plain issues (not pull requests), numbered with the pull requests of their repo."""
    requests: list[Recorded] = field(default_factory=list)
    failures: list[_Failure] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._ids = itertools.count(1001)
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.add_token(self.token, self.login)

    # ---------------------------------------------------------------- server lifecycle
    @property
    def url(self) -> str:
        """Base URL to give the client (`--api-url`, GitHub(token, url))."""
        if self._server is None:
            raise RuntimeError("FakeGitHub is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeGitHub:
        """Listen on 127.0.0.1 on a free port, serving from a daemon thread."""
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- seeding
    def add_user(self, login: str, kind: str | None = None) -> dict[str, Any]:
        """A user (kind "Bot" when the login ends in [bot], else "User")."""
        with self._lock:
            if login not in self.users:
                user_id = next(self._ids)
                self.users[login] = {
                    "login": login,
                    "id": user_id,
                    "node_id": f"U_{user_id}",
                    "avatar_url": f"https://avatars.githubusercontent.com/u/{user_id}?v=4",
                    "gravatar_id": "",
                    "url": f"/users/{login}",
                    "html_url": f"https://github.com/{login}",
                    "type": kind or ("Bot" if login.endswith("[bot]") else "User"),
                    "site_admin": False,
                }
            return self.users[login]

    def add_token(self, token: str, login: str, app: bool = False) -> None:
        """Accept `token` as `login`; `app=True` behaves like an installation token."""
        self.add_user(login)
        self.tokens[token] = (login, app)

    def add_repo(
        self, full_name: str, default_branch: str = "main", private: bool = False
    ) -> dict[str, Any]:
        """A repository `owner/name`."""
        owner, name = full_name.split("/")
        repo_id = next(self._ids)
        self.repos[full_name] = {
            "id": repo_id,
            "node_id": f"R_{repo_id}",
            "name": name,
            "full_name": full_name,
            "owner": self.add_user(owner, "Organization"),
            "private": private,
            "visibility": "private" if private else "public",
            "html_url": f"https://github.com/{full_name}",
            "description": None,
            "fork": False,
            "url": f"/repos/{full_name}",
            "default_branch": default_branch,
            "archived": False,
            "disabled": False,
        }
        return self.repos[full_name]

    def add_pull(
        self,
        repo: str,
        number: int,
        title: str = "Change the agent",
        user: str = "alice",
        head_ref: str = "feature",
        head_sha: str = "a" * 40,
        base_ref: str = "main",
        base_sha: str = "b" * 40,
        merge_commit_sha: str | None = None,
    ) -> dict[str, Any]:
        """An open pull request (also an issue, so it can hold comments and labels); with
        `merge_commit_sha`, merged as that commit."""
        self._repo(repo)
        pull_id = next(self._ids)
        issue = f"/repos/{repo}/issues/{number}"
        self.pulls[(repo, number)] = {
            "url": f"/repos/{repo}/pulls/{number}",
            "id": pull_id,
            "node_id": f"PR_{pull_id}",
            "html_url": f"https://github.com/{repo}/pull/{number}",
            "diff_url": f"https://github.com/{repo}/pull/{number}.diff",
            "patch_url": f"https://github.com/{repo}/pull/{number}.patch",
            "issue_url": issue,
            "comments_url": f"{issue}/comments",
            "review_comments_url": f"/repos/{repo}/pulls/{number}/comments",
            "commits_url": f"/repos/{repo}/pulls/{number}/commits",
            "statuses_url": f"/repos/{repo}/statuses/{head_sha}",
            "number": number,
            "state": "open",
            "locked": False,
            "title": title,
            "user": self.add_user(user),
            "body": None,
            "created_at": _now(),
            "updated_at": _now(),
            "closed_at": None,
            "merged_at": _now() if merge_commit_sha else None,
            "merge_commit_sha": merge_commit_sha,
            "draft": False,
            "merged": merge_commit_sha is not None,
            "author_association": "MEMBER",
            "head": self._ref(repo, head_ref, head_sha, user),
            "base": self._ref(repo, base_ref, base_sha, repo.split("/")[0]),
        }
        return self.pulls[(repo, number)]

    def _ref(self, repo: str, ref: str, sha: str, user: str) -> dict[str, Any]:
        return {
            "label": f"{user}:{ref}",
            "ref": ref,
            "sha": sha,
            "user": self.add_user(user),
            "repo": self.repos[repo],
        }

    def add_comment(self, repo: str, issue: int, body: str, user: str | None = None) -> dict:
        """A comment on issue / pull request `issue` (by `user`, default the token's user)."""
        with self._lock:
            comment_id = next(self._ids)
            author = self.add_user(user or self.login)
            self.comments[comment_id] = {
                "id": comment_id,
                "node_id": f"IC_{comment_id}",
                "url": f"/repos/{repo}/issues/comments/{comment_id}",
                "html_url": f"https://github.com/{repo}/pull/{issue}#issuecomment-{comment_id}",
                "body": body,
                "user": author,
                "created_at": _now(),
                "updated_at": _now(),
                "issue_url": f"/repos/{repo}/issues/{issue}",
                "author_association": "NONE" if author["type"] == "Bot" else "MEMBER",
                "performed_via_github_app": None,
                "_repo": repo,
                "_issue": issue,
            }
            return self.comments[comment_id]

    def add_review(
        self,
        repo: str,
        pull: int,
        user: str,
        state: str = "APPROVED",
        body: str = "",
        commit_id: str | None = None,
    ) -> dict[str, Any]:
        """A submitted review (state APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED)."""
        review_id = next(self._ids)
        pr = self.pulls[(repo, pull)]
        review = {
            "id": review_id,
            "node_id": f"PRR_{review_id}",
            "user": self.add_user(user),
            "body": body,
            "state": state,
            "html_url": f"{pr['html_url']}#pullrequestreview-{review_id}",
            "pull_request_url": pr["url"],
            "author_association": "MEMBER",
            "submitted_at": _now(),
            "commit_id": commit_id or pr["head"]["sha"],
            "_links": {
                "html": {"href": f"{pr['html_url']}#pullrequestreview-{review_id}"},
                "pull_request": {"href": pr["url"]},
            },
        }
        self.reviews.setdefault((repo, pull), []).append(review)
        return review

    def add_label(
        self,
        repo: str,
        issue: int,
        name: str,
        color: str = "ededed",
        description: str | None = None,
    ) -> dict[str, Any]:
        """A label on issue / pull request `issue`."""
        label_id = next(self._ids)
        label = {
            "id": label_id,
            "node_id": f"LA_{label_id}",
            "url": f"/repos/{repo}/labels/{name}",
            "name": name,
            "color": color,
            "default": False,
            "description": description,
        }
        self.labels.setdefault((repo, issue), []).append(label)
        return label

    def add_approval(
        self,
        repo: str,
        run_id: int,
        user: str,
        state: str = "approved",
        environments: Iterable[str] = ("production",),
        comment: str = "",
    ) -> dict[str, Any]:
        """An environment deployment review of workflow run `run_id`."""
        self._repo(repo)
        envs = []
        for name in environments:
            env_id = next(self._ids)
            envs.append(
                {
                    "id": env_id,
                    "node_id": f"EN_{env_id}",
                    "name": name,
                    "url": f"/repos/{repo}/environments/{name}",
                    "html_url": f"https://github.com/{repo}/deployments/activity_log"
                    f"?environments_filter={name}",
                    "created_at": _now(),
                    "updated_at": _now(),
                }
            )
        approval = {
            "environments": envs,
            "state": state,
            "comment": comment,
            "user": self.add_user(user),
        }
        self.approvals.setdefault((repo, run_id), []).append(approval)
        return approval

    def fail_next(
        self,
        status: int,
        message: str = "Server Error",
        method: str | None = None,
        path: str | None = None,
        times: int = 1,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer the next `times` matching requests with `status` (and `headers`, which replace
        the default ones of the same name, e.g. `X-RateLimit-Remaining: 0` for a spent limit)."""
        self.failures.append(_Failure(status, message, method, path, times, headers or {}))

    # ---------------------------------------------------------------- inspection
    def comments_on(self, repo: str, issue: int) -> list[dict[str, Any]]:
        """Comments of an issue / pull request, oldest first, as the API returns them."""
        with self._lock:
            return [
                self._public(c)
                for c in self.comments.values()
                if c["_repo"] == repo and c["_issue"] == issue
            ]

    # ---------------------------------------------------------------- request handling
    def add_issue(
        self,
        repo: str,
        title: str,
        body: str | None = None,
        user: str | None = None,
        labels: list[str] | None = None,
        state: str = "open",
    ) -> dict[str, Any]:
        """A plain issue, shaped like GitHub's issue object (numbered after the pulls)."""
        with self._lock:
            self._repo(repo)
            taken = [n for r, n in [*self.pulls, *self.issues] if r == repo]
            number = max(taken, default=0) + 1
            issue_id = next(self._ids)
            self.issues[(repo, number)] = {
                "id": issue_id,
                "node_id": f"I_{issue_id}",
                "url": f"/repos/{repo}/issues/{number}",
                "repository_url": f"/repos/{repo}",
                "labels_url": f"/repos/{repo}/issues/{number}/labels{{/name}}",
                "comments_url": f"/repos/{repo}/issues/{number}/comments",
                "events_url": f"/repos/{repo}/issues/{number}/events",
                "html_url": f"https://github.com/{repo}/issues/{number}",
                "number": number,
                "state": state,
                "state_reason": None,
                "title": title,
                "body": body,
                "user": self.add_user(user or self.login),
                "labels": [self._label(name) for name in labels or []],
                "assignee": None,
                "assignees": [],
                "milestone": None,
                "locked": False,
                "comments": 0,
                "created_at": _now(),
                "updated_at": _now(),
                "closed_at": None if state == "open" else _now(),
                "author_association": "MEMBER",
            }
            return self.issues[(repo, number)]

    def _label(self, name: str) -> dict[str, Any]:
        label_id = next(self._ids)
        return {
            "id": label_id,
            "node_id": f"LA_{label_id}",
            "url": f"/labels/{name}",
            "name": name,
            "description": None,
            "color": "ededed",
            "default": False,
        }

    def _repo(self, repo: str) -> dict[str, Any]:
        if repo not in self.repos:
            raise HTTPError(404, "Not Found")
        return self.repos[repo]

    def _pull(self, repo: str, number: int) -> dict[str, Any]:
        self._repo(repo)
        if (repo, number) not in self.pulls:
            raise HTTPError(404, "Not Found")
        return self.pulls[(repo, number)]

    @staticmethod
    def _public(payload: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in payload.items() if not k.startswith("_")}

    def _take_failure(self, method: str, path: str) -> _Failure | None:
        with self._lock:
            for failure in self.failures:
                if (failure.method in (None, method)) and (failure.path in (None, path)):
                    failure.times -= 1
                    if failure.times <= 0:
                        self.failures.remove(failure)
                    return failure
        return None

    def handle(self, method: str, path: str, login: str, app: bool, body: Any) -> tuple[int, Any]:
        """Route one authenticated request; returns (status, payload)."""
        for pattern, verb, action in ROUTES:
            match = re.fullmatch(pattern, path)
            if match and verb == method:
                return action(self, login, app, body, *match.groups())
        if any(re.fullmatch(pattern, path) for pattern, _, _ in ROUTES):
            raise HTTPError(405, "Method Not Allowed")
        raise HTTPError(404, "Not Found")

    def _get_user(self, login: str, app: bool, body: Any) -> tuple[int, Any]:
        if app:
            raise HTTPError(403, "Resource not accessible by integration")
        return 200, self.users[login]

    def _get_repo(self, login: str, app: bool, body: Any, repo: str) -> tuple[int, Any]:
        return 200, self._repo(repo)

    def _get_pull(self, login: str, app: bool, body: Any, repo: str, n: str) -> tuple[int, Any]:
        pull = dict(self._pull(repo, int(n)))
        pull["labels"] = self.labels.get((repo, int(n)), [])
        return 200, pull

    def _get_issue(self, login: str, app: bool, body: Any, repo: str, n: str) -> tuple[int, Any]:
        if (repo, int(n)) in self.issues:
            return 200, self.issues[(repo, int(n))]
        pull = self._pull(repo, int(n))
        comments = len(self.comments_on(repo, int(n)))
        return 200, {
            "id": pull["id"] + 1,
            "node_id": f"I_{pull['id']}",
            "url": pull["issue_url"],
            "html_url": pull["html_url"],
            "number": int(n),
            "state": pull["state"],
            "title": pull["title"],
            "body": pull["body"],
            "user": pull["user"],
            "labels": self.labels.get((repo, int(n)), []),
            "comments": comments,
            "comments_url": pull["comments_url"],
            "created_at": pull["created_at"],
            "updated_at": pull["updated_at"],
            "closed_at": None,
            "locked": False,
            "author_association": pull["author_association"],
            "pull_request": {
                "url": pull["url"],
                "html_url": pull["html_url"],
                "diff_url": pull["diff_url"],
                "patch_url": pull["patch_url"],
            },
        }

    def _list_issues(self, login: str, app: bool, body: Any, repo: str) -> tuple[int, Any]:
        """Every issue and pull request, newest first (filters are the client's to apply)."""
        self._repo(repo)
        numbers = sorted({n for r, n in [*self.pulls, *self.issues] if r == repo}, reverse=True)
        return 200, [self._get_issue(login, app, body, repo, str(n))[1] for n in numbers]

    def _create_issue(self, login: str, app: bool, body: Any, repo: str) -> tuple[int, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("title"), str | int):
            raise HTTPError(
                422,
                "Validation Failed",
                errors=[{"resource": "Issue", "code": "missing_field", "field": "title"}],
            )
        text = body.get("body")
        labels = body.get("labels") or []
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise HTTPError(422, "Validation Failed")
        issue = self.add_issue(repo, str(body["title"]), text, user=login, labels=labels)
        return 201, issue

    def _edit_issue(self, login: str, app: bool, body: Any, repo: str, n: str):
        issue = self.issues.get((repo, int(n)))
        if issue is None:
            raise HTTPError(404, "Not Found")
        if not isinstance(body, dict) or body.get("state", "open") not in ("open", "closed"):
            raise HTTPError(422, "Validation Failed")
        with self._lock:
            for key in ("title", "body"):
                if key in body:
                    issue[key] = body[key]
            if "labels" in body:
                issue["labels"] = [self._label(name) for name in body["labels"]]
            if "state" in body:
                issue["state"] = body["state"]
                issue["closed_at"] = None if body["state"] == "open" else _now()
            issue["updated_at"] = _now()
        return 200, issue

    def _get_reviews(self, login: str, app: bool, body: Any, repo: str, n: str):
        self._pull(repo, int(n))
        return 200, self.reviews.get((repo, int(n)), [])

    def _list_comments(self, login: str, app: bool, body: Any, repo: str, n: str):
        self._pull(repo, int(n))
        return 200, self.comments_on(repo, int(n))

    def _create_comment(self, login: str, app: bool, body: Any, repo: str, n: str):
        self._pull(repo, int(n))
        text = self._body(body)
        return 201, self._public(self.add_comment(repo, int(n), text, user=login))

    def _edit_comment(self, login: str, app: bool, body: Any, repo: str, comment_id: str):
        self._repo(repo)
        comment = self.comments.get(int(comment_id))
        if comment is None or comment["_repo"] != repo:
            raise HTTPError(404, "Not Found")
        with self._lock:
            comment["body"] = self._body(body)
            comment["updated_at"] = _now()
        return 200, self._public(comment)

    @staticmethod
    def _body(body: Any) -> str:
        if not isinstance(body, dict) or not isinstance(body.get("body"), str):
            raise HTTPError(422, 'Invalid request.\n\n"body" wasn\'t supplied.')
        text = body["body"]
        if len(text) > COMMENT_LIMIT:
            raise HTTPError(
                422,
                "Validation Failed",
                errors=[
                    {
                        "resource": "IssueComment",
                        "code": "unprocessable",
                        "field": "data",
                        "message": f"Body is too long (maximum is {COMMENT_LIMIT} characters)",
                    }
                ],
            )
        return text

    def _get_labels(self, login: str, app: bool, body: Any, repo: str, n: str):
        self._pull(repo, int(n))
        return 200, self.labels.get((repo, int(n)), [])

    def _commit_pulls(self, login: str, app: bool, body: Any, repo: str, sha: str):
        self._repo(repo)
        return 200, [
            self._public(pull)
            for (name, _), pull in sorted(self.pulls.items())
            if name == repo and sha in (pull["merge_commit_sha"], pull["head"]["sha"])
        ]

    def _get_approvals(self, login: str, app: bool, body: Any, repo: str, run_id: str):
        self._repo(repo)
        return 200, self.approvals.get((repo, int(run_id)), [])


REPO = r"([^/]+/[^/]+)"
ROUTES = [
    (r"/user", "GET", FakeGitHub._get_user),
    (rf"/repos/{REPO}", "GET", FakeGitHub._get_repo),
    (rf"/repos/{REPO}/pulls/(\d+)", "GET", FakeGitHub._get_pull),
    (rf"/repos/{REPO}/pulls/(\d+)/reviews", "GET", FakeGitHub._get_reviews),
    (rf"/repos/{REPO}/issues", "GET", FakeGitHub._list_issues),
    (rf"/repos/{REPO}/issues", "POST", FakeGitHub._create_issue),
    (rf"/repos/{REPO}/issues/(\d+)", "GET", FakeGitHub._get_issue),
    (rf"/repos/{REPO}/issues/(\d+)", "PATCH", FakeGitHub._edit_issue),
    (rf"/repos/{REPO}/issues/(\d+)/comments", "GET", FakeGitHub._list_comments),
    (rf"/repos/{REPO}/issues/(\d+)/comments", "POST", FakeGitHub._create_comment),
    (rf"/repos/{REPO}/issues/comments/(\d+)", "PATCH", FakeGitHub._edit_comment),
    (rf"/repos/{REPO}/issues/(\d+)/labels", "GET", FakeGitHub._get_labels),
    (rf"/repos/{REPO}/actions/runs/(\d+)/approvals", "GET", FakeGitHub._get_approvals),
    (rf"/repos/{REPO}/commits/([0-9a-f]{{40}})/pulls", "GET", FakeGitHub._commit_pulls),
]


def _absolute(node: Any, base: str) -> Any:
    """Payload with every relative API URL ("url" keys starting with "/") made absolute."""
    if isinstance(node, dict):
        return {
            k: (
                base + v
                if isinstance(v, str) and v.startswith("/") and (k == "url" or k.endswith("_url"))
                else _absolute(v, base)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_absolute(item, base) for item in node]
    return node


class _Handler(BaseHTTPRequestHandler):
    fake: FakeGitHub
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        return

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        path = self._by_name(parts.path.rstrip("/") or "/")
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            self._send(400, {"message": "Problems parsing JSON", "documentation_url": DOCS})
            return
        auth = self.headers.get("Authorization", "")
        scheme, _, token = auth.partition(" ")
        known = self.fake.tokens.get(token) if scheme.lower() in ("token", "bearer") else None
        headers = {k: v for k in RECORDED_HEADERS if (v := self.headers.get(k)) is not None}
        self.fake.requests.append(
            Recorded(self.command, path, query, body, known[0] if known else None, headers)
        )
        failure = self.fake._take_failure(self.command, path)
        version = headers.get("X-GitHub-Api-Version", API_VERSIONS[0])
        try:
            if version not in API_VERSIONS:
                raise HTTPError(400, f"Unsupported 'X-GitHub-Api-Version' header: {version}")
            if failure is not None:
                raise HTTPError(failure.status, failure.message, failure.headers)
            if known is None:
                raise HTTPError(401, "Bad credentials")
            status, payload = self.fake.handle(self.command, path, known[0], known[1], body)
        except HTTPError as exc:
            self._send(exc.status, exc.payload, exc.headers)
            return
        if isinstance(payload, list):
            payload, link = self._page(payload, path, query)
            self._send(status, payload, {"Link": link} if link else {})
        else:
            self._send(status, payload)

    def _by_name(self, path: str) -> str:
        """`/repositories/{id}/rest` (the form of GitHub's page links) as `/repos/{o}/{r}/rest`."""
        match = re.fullmatch(r"/repositories/(\d+)(/.*)?", path)
        if match is None:
            return path
        names = [n for n, repo in self.fake.repos.items() if repo["id"] == int(match[1])]
        return f"/repos/{names[0]}{match[2] or ''}" if names else path

    def _by_id(self, path: str) -> str:
        match = re.fullmatch(rf"/repos/{REPO}(/.*)?", path)
        repo = self.fake.repos.get(match[1]) if match else None
        return f"/repositories/{repo['id']}{match[2] or ''}" if match and repo else path

    def _page(self, items: list[Any], path: str, query: dict[str, list[str]]):
        per_page = min(max(int(query.get("per_page", ["30"])[0]), 1), 100)
        page = max(int(query.get("page", ["1"])[0]), 1)
        last = max((len(items) + per_page - 1) // per_page, 1)
        chunk = items[(page - 1) * per_page : page * per_page]
        base = self.fake.url + self._by_id(path)

        def url(n: int) -> str:
            params = {k: v[0] for k, v in query.items() if k not in ("page", "per_page")}
            return f"<{base}?{urlencode({**params, 'per_page': per_page, 'page': n})}>"

        rels = [f'{url(page - 1)}; rel="prev"'] if page > 1 else []
        if page < last:
            rels += [f'{url(page + 1)}; rel="next"', f'{url(last)}; rel="last"']
        if page > 1:
            rels.append(f'{url(1)}; rel="first"')
        return chunk, ", ".join(rels)

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(_absolute(payload, self.fake.url)).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        defaults = {
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": "4999",
            "X-RateLimit-Reset": "4102444800",
            "X-RateLimit-Used": "1",
            "X-RateLimit-Resource": "core",
        }
        for key, value in {**defaults, **(headers or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _dispatch


def main(argv: list[str] | None = None) -> None:
    """Serve a seeded fake until interrupted (for end-to-end runs, e.g. workflows under act).

    python tests/support/fake_github.py --port 19500 --repo acme/agent --pr 1 --token T
    Inspect the state through the API itself (GET .../issues/1/comments).
    """
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--repo", action="append", default=[], help="OWNER/NAME; repeatable")
    parser.add_argument(
        "--pr", type=int, action="append", default=[], help="PR number in each repo"
    )
    parser.add_argument("--token", default="test-token", help="token accepted for --login")
    parser.add_argument("--login", default="github-actions[bot]", help="identity of --token")
    parser.add_argument("--app", action="store_true", help="token behaves like GITHUB_TOKEN")
    args = parser.parse_args(argv)
    fake = FakeGitHub(token=args.token, login=args.login)
    fake.tokens[args.token] = (args.login, args.app)
    for repo in args.repo:
        fake.add_repo(repo)
        for number in args.pr:
            fake.add_pull(repo, number)
    handler = type("Handler", (_Handler,), {"fake": fake})
    fake._server = ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    print(fake.url, flush=True)
    try:
        fake._server.serve_forever(poll_interval=0.05)
    except KeyboardInterrupt:
        pass
    finally:
        fake._server.server_close()


if __name__ == "__main__":
    main()
