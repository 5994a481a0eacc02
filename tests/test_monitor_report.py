"""`genai-gate monitor report`: ONE degradation issue, against a fake GitHub REST API.

The fake (tests/support/fake_github.py) answers in GitHub's documented issue formats
(`GET/POST /repos/{owner}/{repo}/issues`, `PATCH /repos/{owner}/{repo}/issues/{number}`);
the client is genai-gate's own, as in production.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.fake_github import FakeGitHub
from support.servers import free_port

from genai_gate.cli import main
from genai_gate.gates.monitor.issue import LABEL, MARKER
from genai_gate.results import GateResult, Status

RUN_URL = "https://github.com/acme/agent/actions/runs/77"


@pytest.fixture
def gh():
    with FakeGitHub() as fake:
        fake.add_repo("acme/agent")
        fake.add_pull("acme/agent", 1, title="Unrelated PR")
        yield fake


def results(folder: Path, **statuses: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for gate, status in statuses.items():
        title = {"pass": "all good", "fail": "3 of 50 replayed transcripts obeyed an injection"}
        GateResult(
            gate=gate.replace("_", "-"),
            status=Status(status),
            title=title.get(status, ""),
            error="Prometheus unreachable" if status == "error" else None,
        ).write(folder / f"{gate.replace('_', '-')}.json")
    return folder


def report(gh: FakeGitHub | None, folder: Path, monkeypatch, *extra: str, token: bool = True):
    if token:
        monkeypatch.setenv("GITHUB_TOKEN", gh.token if gh else "t")
    else:
        monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    api = gh.url if gh else f"http://127.0.0.1:{free_port()}"
    return main(
        [
            "--config",
            str(folder / "absent.yaml"),
            "monitor",
            "report",
            "--repo",
            "acme/agent",
            "--api-url",
            api,
            "--run-url",
            RUN_URL,
            "--results-dir",
            str(folder),
            *extra,
        ]
    )


def open_issues(gh: FakeGitHub) -> list[dict]:
    return [i for i in gh.issues.values() if i["state"] == "open"]


def test_a_degraded_signal_opens_one_issue_then_updates_it(gh, tmp_path, monkeypatch, capsys):
    folder = results(tmp_path / "r", injection_test="fail", eval_gate="pass")
    assert report(gh, folder, monkeypatch) == 1
    [issue] = open_issues(gh)
    assert issue["title"] == "acme/agent: production monitoring degraded (injection-test)"
    assert issue["body"].startswith(MARKER)
    assert (
        "| ❌ injection-test | fail | 3 of 50 replayed transcripts obeyed an injection |"
        in (issue["body"])
    )
    assert "| ✅ eval-gate | pass | all good |" in issue["body"]
    assert [label["name"] for label in issue["labels"]] == [LABEL]
    assert issue["user"]["login"] == gh.login
    assert "issue created: https://github.com/acme/agent/issues/2" in capsys.readouterr().err

    results(folder, eval_gate="error")
    assert report(gh, folder, monkeypatch) == 1
    [same] = open_issues(gh)
    assert same["number"] == issue["number"]
    assert same["title"].endswith("degraded (eval-gate, injection-test)")
    assert "| ❌ eval-gate | error | Prometheus unreachable |" in same["body"]
    assert [(r.method, r.path) for r in gh.requests if r.method != "GET"] == [
        ("POST", "/repos/acme/agent/issues"),
        ("PATCH", "/repos/acme/agent/issues/2"),
    ]
    assert "issue updated" in capsys.readouterr().err


def test_healthy_signals_touch_nothing(gh, tmp_path, monkeypatch, capsys):
    folder = results(tmp_path / "r", injection_test="pass", eval_gate="pass")
    assert report(gh, folder, monkeypatch) == 0
    assert gh.requests == [] and gh.issues == {}
    assert "all 2 signals pass; no issue" in capsys.readouterr().err


def test_someone_elses_copy_and_a_closed_issue_are_left_alone(gh, tmp_path, monkeypatch):
    quoted = gh.add_issue("acme/agent", "quoting", f"see {MARKER}", user="mallory", labels=[LABEL])
    closed = gh.add_issue("acme/agent", "old", f"{MARKER}\nold", labels=[LABEL], state="closed")
    folder = results(tmp_path / "r", eval_gate="fail")
    assert report(gh, folder, monkeypatch) == 1
    created = [i for i in open_issues(gh) if i["user"]["login"] == gh.login]
    assert len(created) == 1 and created[0]["number"] not in (quoted["number"], closed["number"])
    assert quoted["body"] == f"see {MARKER}" and closed["state"] == "closed"


def test_incomplete_pass_counts_as_degraded(gh, tmp_path, monkeypatch):
    folder = tmp_path / "r"
    folder.mkdir()
    GateResult(gate="eval-gate", status=Status.PASS, title="12/50 cases", incomplete=True).write(
        folder / "eval-gate.json"
    )
    assert report(gh, folder, monkeypatch) == 1
    [issue] = open_issues(gh)
    assert "| ❌ eval-gate | error | 12/50 cases (incomplete) |" in issue["body"]


def test_no_results_no_token_and_unreachable_api(gh, tmp_path, monkeypatch, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert report(gh, empty, monkeypatch) == 2
    assert "no results files in" in capsys.readouterr().err
    folder = results(tmp_path / "r", eval_gate="fail")
    assert report(gh, folder, monkeypatch, token=False) == 2
    assert "$GITHUB_TOKEN is not set" in capsys.readouterr().err
    assert report(None, folder, monkeypatch) == 3
    assert "GitHub API unreachable" in capsys.readouterr().err
    assert gh.issues == {}


def test_rejected_token_is_a_usage_error(gh, tmp_path, monkeypatch, capsys):
    folder = results(tmp_path / "r", eval_gate="fail")
    monkeypatch.setenv("GITHUB_TOKEN", "wrong")
    code = main(
        [
            "monitor",
            "report",
            "--repo",
            "acme/agent",
            "--api-url",
            gh.url,
            "--results-dir",
            str(folder),
            "--config",
            str(tmp_path / "absent.yaml"),
        ]
    )
    assert code == 2
    assert "HTTP 401" in capsys.readouterr().err


def test_an_expected_check_without_results_is_degraded(gh, tmp_path, monkeypatch):
    folder = results(tmp_path / "r", injection_test="pass")
    code = report(gh, folder, monkeypatch, "--expect", "injection-test,monitor-cost")
    assert code == 1
    [issue] = open_issues(gh)
    assert "| ❌ monitor-cost | error | no results file: the check did not run" in issue["body"]
    assert "| ✅ injection-test | pass |" in issue["body"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert report(gh, empty, monkeypatch, "--expect", "eval-gate") == 1


def test_dry_run_prints_the_issue_and_posts_nothing(gh, tmp_path, monkeypatch, capsys):
    folder = results(tmp_path / "r", eval_gate="fail")
    assert report(gh, folder, monkeypatch, "--dry-run", token=False) == 1
    out = capsys.readouterr()
    assert out.out.startswith("acme/agent: production monitoring degraded (eval-gate)\n\n")
    assert MARKER in out.out and "dry run, no issue posted" in out.err
    assert gh.requests == []
