"""The one degradation issue: open it when a monitored signal degrades, update it in place.

Signals are the results files of the monitoring run (replay-judged transcripts, eval scorers,
cost per request vs the estimate): any status other than pass degrades, including a check that
could not run. The issue is found by a hidden marker in its body AND its author (the token's
identity) among the repository's open issues, so a copy quoting the marker is never touched and
a run never opens a second issue; an issue a person closed stays closed (the next degradation
opens a new one).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from genai_gate.errors import UsageError
from genai_gate.integrations.github import ERRORS, GitHub, Issue, api_error, identity
from genai_gate.results import GateResult, Status

MARKER = "<!-- genai-gate:monitor -->"
"""Hidden HTML comment identifying the degradation issue."""
LABEL = "genai-gate:degraded"
"""Label put on the issue."""
BODY_LIMIT = 65_536
"""GitHub's limit on an issue body."""
REFUSED_HINT = (
    "check --repo, that issues are enabled and that the token may write issues: "
    "permissions `issues: write`"
)


@dataclass(frozen=True)
class Signal:
    """One monitored check, as its results file tells it."""

    name: str
    status: Status
    headline: str

    @property
    def degraded(self) -> bool:
        """Anything but a complete pass (never pass by default)."""
        return self.status is not Status.PASS


@dataclass(frozen=True)
class Outcome:
    """What `upsert_issue` did."""

    action: str
    """created, updated or unchanged."""
    number: int
    url: str


def read_signals(results_dir: Path, expect: list[str] | None = None) -> list[Signal]:
    """Every results file of the folder as a signal, plus an error for each expected one missing.

    UsageError when there is nothing at all: nothing measured is not healthy.
    """
    files = sorted(results_dir.glob("*.json")) if results_dir.is_dir() else []
    if not files and not expect:
        raise UsageError(
            f"monitor report: no results files in {results_dir} (run the monitoring checks "
            "first; nothing measured is not healthy)"
        )
    signals = []
    for path in files:
        result = GateResult.read(path)
        incomplete_pass = result.incomplete and result.status is Status.PASS
        status = Status.ERROR if incomplete_pass else result.status
        headline = result.title or result.error or ""
        if result.incomplete:
            headline = f"{headline} (incomplete)".strip()
        signals.append(Signal(path.stem, status, headline))
    found = {signal.name for signal in signals}
    signals += [
        Signal(name, Status.ERROR, "no results file: the check did not run or did not finish")
        for name in expect or []
        if name not in found
    ]
    return signals


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())[:300]


def render_issue(signals: list[Signal], project: str, run_url: str | None) -> tuple[str, str]:
    """Title and Markdown body of the issue (degraded signals first)."""
    degraded = [s for s in signals if s.degraded]
    names = ", ".join(s.name for s in degraded)
    title = f"{project}: production monitoring degraded ({names})"[:256]
    rows = [
        f"| {'❌' if s.degraded else '✅'} {s.name} | {s.status.value} | {_cell(s.headline)} |"
        for s in sorted(signals, key=lambda s: (not s.degraded, s.name))
    ]
    lines = [
        MARKER,
        f"**{len(degraded)} of {len(signals)} monitored signals degraded** on the last run.",
        "",
        "| signal | status | detail |",
        "|---|---|---|",
        *rows,
        "",
        f"Last run: {run_url}" if run_url else "Last run: (not in GitHub Actions)",
        "",
        "Updated in place by `genai-gate monitor report`; close it once the signals recover.",
    ]
    body = "\n".join(lines)
    if len(body) > BODY_LIMIT:
        body = body[: BODY_LIMIT - 40] + "\n\n(truncated: see the run)"
    return title, body


def upsert_issue(
    gh: GitHub, repo: str, title: str, body: str, author: str | None = None
) -> Outcome:
    """Create the degradation issue, or update our open one in place."""
    step = "reading the token's identity"
    try:
        login = author or identity(gh)
        step = f"listing open issues of {repo}"
        listed = gh.paginate(f"/repos/{repo}/issues", {"state": "open", "labels": LABEL})
        ours = [
            issue
            for issue in map(Issue.of, listed)
            if issue.state == "open"
            and not issue.pull_request
            and MARKER in issue.body
            and issue.author == login
            and LABEL in issue.labels
        ]
        if not ours:
            step = f"creating the issue in {repo}"
            new = {"title": title, "body": body, "labels": [LABEL]}
            created = Issue.of(gh.request("POST", f"/repos/{repo}/issues", new))
            return Outcome("created", created.number, created.url)
        issue = min(ours, key=lambda i: i.number)
        if (issue.title, issue.body) == (title, body):
            return Outcome("unchanged", issue.number, issue.url)
        step = f"updating issue #{issue.number}"
        edit = {"title": title, "body": body}
        gh.request("PATCH", f"/repos/{repo}/issues/{issue.number}", edit)
        return Outcome("updated", issue.number, issue.url)
    except ERRORS as exc:
        raise api_error(exc, step, REFUSED_HINT) from None
