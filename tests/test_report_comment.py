"""`genai-gate report comment`: one sticky PR comment, against a local fake of the GitHub API."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from support.fake_github import FakeGitHub
from support.servers import free_port

from genai_gate.cli import main
from genai_gate.report import comment, sections
from genai_gate.results import (
    CaseResult,
    ErrorKind,
    Finding,
    GateResult,
    Severity,
    Status,
    Usage,
)

REPO = "acme/bank-agent"
PR = 7
MARKER = "<!-- genai-gate:sticky -->"


@pytest.fixture(autouse=True)
def no_registered_sections(monkeypatch):
    """The comment layout is tested with the generic sections."""
    monkeypatch.setattr(sections, "SECTIONS", {})


@pytest.fixture
def gh(monkeypatch):
    with FakeGitHub() as fake:
        monkeypatch.setenv("GITHUB_TOKEN", fake.token)
        for name in ("GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_API_URL"):
            monkeypatch.delenv(name, raising=False)
        fake.add_repo(REPO)
        fake.add_pull(REPO, PR)
        yield fake


@pytest.fixture
def results_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "results"
    GateResult(
        gate="cost-estimate",
        status=Status.PASS,
        title="$41.20/month (+3%)",
        summary={"monthly_cost_usd": 41.2},
        usage=Usage(prompt_tokens=0, completion_tokens=0, requests=0),
    ).write(folder / "cost-estimate.json")
    GateResult(
        gate="eval-gate",
        status=Status.FAIL,
        title="2 cases regressed",
        summary={"score": 0.81, "regressed": 2},
        cases=[
            CaseResult(id="balance-en-001", status=Status.PASS, latency_ms=100.0),
            CaseResult(
                id="transfer-es-004",
                status=Status.FAIL,
                reason="no confirmation asked",
                latency_ms=300.0,
            ),
        ],
        usage=Usage(
            prompt_tokens=5000,
            completion_tokens=900,
            requests=10,
            cached_requests=4,
            cost_usd=0.0123,
        ),
    ).write(folder / "eval-gate.json")
    GateResult(
        gate="prompt-lint",
        status=Status.PASS,
        title="12 prompts valid",
        findings=[Finding(rule_id="PL200", severity=Severity.NOTE, message="long prompt")],
    ).write(folder / "prompt-lint.json")
    return folder


def run_comment(results_dir: Path, gh: FakeGitHub, *extra: str) -> int:
    return main(
        [
            "report",
            "comment",
            "--repo",
            REPO,
            "--pr",
            str(PR),
            "--results-dir",
            str(results_dir),
            "--api-url",
            gh.url,
            "--run-url",
            "https://github.com/acme/bank-agent/actions/runs/99",
            *extra,
        ]
    )


def test_body_leads_with_the_eval_gate_and_ends_with_cost_and_the_run_link(results_dir) -> None:
    results = comment.load_results(results_dir)
    assert [r.gate for r in results] == ["eval-gate", "prompt-lint", "cost-estimate"]
    now = datetime(2026, 11, 27, 1, 2, tzinfo=timezone.utc)
    body = comment.render_body(results, "https://example.org/run/1", now=now)
    assert body.startswith(MARKER + "\n\n## genai-gate: ❌ 1 of 3 gates did not pass")
    assert body.index("### ❌ eval-gate") < body.index("### ✅ prompt-lint")
    assert body.index("`transfer-es-004`") < body.index("### ✅ prompt-lint")
    assert "<details><summary>details</summary>" in body  # passing gates are folded
    assert "| eval-gate | 10 (4 cached) | 5,000 / 900 | $0.0123 | 200 ms | 290 ms |" in body
    assert body.rstrip().endswith(
        "<sub>[View the workflow run](https://example.org/run/1) · genai-gate 0.1.0 · "
        "updated 2026-11-27 01:02 UTC</sub>"
    )


def test_first_run_creates_second_run_updates_the_same_comment(results_dir, gh, capsys) -> None:
    gh.add_comment(REPO, PR, "LGTM", user="carol")
    assert run_comment(results_dir, gh) == 0
    ours = [c for c in gh.comments_on(REPO, PR) if MARKER in c["body"]]
    assert len(ours) == 1 and ours[0]["user"]["login"] == "genai-bot"
    first_id = ours[0]["id"]
    GateResult(gate="eval-gate", status=Status.PASS, title="all 2 cases passed").write(
        results_dir / "eval-gate.json"
    )
    assert run_comment(results_dir, gh) == 0
    ours = [c for c in gh.comments_on(REPO, PR) if MARKER in c["body"]]
    assert [c["id"] for c in ours] == [first_id]
    assert "all 2 cases passed" in ours[0]["body"]
    assert [r.method for r in gh.requests].count("POST") == 1
    assert [r.method for r in gh.requests].count("PATCH") == 1
    assert len(gh.comments_on(REPO, PR)) == 2
    out = capsys.readouterr()
    assert gh.token not in out.out + out.err
    assert "sticky comment updated" in out.err


def test_a_marker_comment_by_someone_else_is_left_alone(results_dir, gh) -> None:
    quoted = gh.add_comment(REPO, PR, f"> {MARKER}\n> copied from the bot", user="mallory")
    assert run_comment(results_dir, gh) == 0
    comments = gh.comments_on(REPO, PR)
    assert comments[0] == {k: v for k, v in quoted.items() if not k.startswith("_")}
    assert len(comments) == 2 and comments[1]["user"]["login"] == "genai-bot"
    assert not any(r.method == "PATCH" for r in gh.requests)


def test_actions_token_identity_is_the_github_actions_bot(results_dir, gh, monkeypatch) -> None:
    gh.add_token("ghs_installation", "github-actions[bot]", app=True)
    old = gh.add_comment(REPO, PR, f"{MARKER}\nold results", user="github-actions[bot]")
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_installation")
    assert run_comment(results_dir, gh) == 0
    (ours,) = gh.comments_on(REPO, PR)
    assert ours["id"] == old["id"] and "old results" not in ours["body"]
    assert ("GET", "/user") in [(r.method, r.path) for r in gh.requests]  # answered 403


def test_the_sticky_comment_is_found_beyond_the_first_page(results_dir, gh) -> None:
    for i in range(250):  # three pages of GitHub's maximum of 100
        gh.add_comment(REPO, PR, f"chatter {i}", user="alice")
    mine = gh.add_comment(REPO, PR, f"{MARKER}\nstale", user="genai-bot")
    assert run_comment(results_dir, gh) == 0
    assert [c["id"] for c in gh.comments_on(REPO, PR) if MARKER in c["body"]] == [mine["id"]]
    pages = [r.query.get("page") for r in gh.requests if r.path.endswith("/comments")]
    assert pages == [None, ["2"], ["3"]]  # page 1, then the Link header's next URLs


def test_a_huge_report_is_cut_below_the_comment_limit(results_dir, gh, monkeypatch) -> None:
    monkeypatch.setitem(sections.SECTIONS, "eval-gate", f"{__name__}:huge_section")
    assert run_comment(results_dir, gh) == 0  # the fake rejects bodies over 65,536 characters
    (ours,) = gh.comments_on(REPO, PR)
    body = ours["body"]
    assert len(body) <= 65_536 and body.startswith(MARKER)
    assert "**Truncated** to stay under 65,536 characters" in body
    assert "cut short: eval-gate: gate section (" in body
    assert "omitted: eval-gate: findings" not in body  # empty blocks are not listed
    assert "cost and latency" in body and "[View the workflow run]" in body


def huge_section(result: GateResult) -> str:
    return "\n".join(f"| row {i} | {'x' * 200} |" for i in range(2000))


def test_missing_token_exits_2_with_a_clear_message(results_dir, gh, monkeypatch, capsys) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    assert run_comment(results_dir, gh) == 2
    assert "$GITHUB_TOKEN is not set" in capsys.readouterr().err
    assert gh.requests == []


def test_unreachable_api_exits_3_within_seconds(results_dir, capsys, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "any-token")
    port = free_port()
    started = time.perf_counter()
    code = main(
        [
            "report",
            "comment",
            "--repo",
            REPO,
            "--pr",
            "1",
            "--results-dir",
            str(results_dir),
            "--api-url",
            f"http://127.0.0.1:{port}",
        ]
    )
    assert code == 3 and time.perf_counter() - started < 5
    assert "GitHub API unreachable" in capsys.readouterr().err


def test_unknown_pull_request_exits_2(results_dir, gh, capsys) -> None:
    code = main(
        [
            "report",
            "comment",
            "--repo",
            REPO,
            "--pr",
            "404",
            "--results-dir",
            str(results_dir),
            "--api-url",
            gh.url,
        ]
    )
    assert code == 2
    assert "HTTP 404" in capsys.readouterr().err


def test_server_error_on_create_exits_3(results_dir, gh) -> None:
    gh.fail_next(502, "Bad Gateway", method="POST")
    assert run_comment(results_dir, gh) == 3
    assert gh.comments_on(REPO, PR) == []


def test_bad_token_exits_2(results_dir, gh, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "wrong")
    assert run_comment(results_dir, gh) == 2


def test_empty_or_corrupt_results_folder_exits_2(tmp_path: Path, gh, capsys) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_comment(empty, gh) == 2
    assert gh.comments_on(REPO, PR) == []
    (empty / "job-lint.json").write_text("[]")
    assert run_comment(empty, gh) == 2  # posted, so an older green comment does not stay
    assert "unreadable results files: " in capsys.readouterr().err
    (posted,) = gh.comments_on(REPO, PR)
    assert (
        "## genai-gate: ⚠️ 1 of 1 gates did not pass (some could not run): lint" in (posted["body"])
    )
    assert "| lint | ⚠️ error (incomplete) | results file unreadable |" in posted["body"]
    assert "schema\\_version: unsupported value None" in posted["body"]


def test_gate_that_could_not_run_is_shown_as_such(tmp_path: Path) -> None:
    results = [
        GateResult(
            gate="injection-test",
            status=Status.ERROR,
            error="target down",
            error_kind=ErrorKind.INFRA,
            incomplete=True,
        )
    ]
    body = comment.render_body(results)
    assert "⚠️ 1 of 1 gates did not pass (some could not run)" in body
    assert "### ⚠️ injection-test: error" in body and "**Error (infra):** target down" in body

    failing = GateResult(gate="cost-estimate", status=Status.FAIL, summary={"delta_pct": 40})
    assert "<details open><summary>details</summary>" in comment.render_body([failing])


def test_latency_figures_reported_by_the_gate_take_precedence() -> None:
    result = GateResult(
        gate="eval-gate",
        status=Status.PASS,
        summary={"latency_p50_ms": 217.9, "latency_p95_ms": 3301.0},
        cases=[CaseResult(id="a", status=Status.PASS, latency_ms=5.0)],
    )
    table = comment.cost_latency_table([result])
    assert "| eval-gate | - | - | - | 218 ms | 3,301 ms |" in table


def test_shards_are_hidden_when_the_merged_result_is_present(tmp_path: Path) -> None:
    folder = tmp_path / "all"
    for i in range(2):
        GateResult(
            gate="eval-gate", status=Status.PASS, details={"shard": {"index": i, "count": 2}}
        ).write(folder / f"eval-gate-shard-{i}.json")
    GateResult(gate="prompt-lint", status=Status.PASS).write(folder / "prompt-lint.json")
    assert [r.gate for r in comment.load_results(folder)] == [
        "eval-gate",
        "eval-gate",
        "prompt-lint",
    ]
    GateResult(gate="eval-gate", status=Status.FAIL, title="merged").write(folder / "merged.json")
    results = comment.load_results(folder)
    assert [(r.gate, r.title) for r in results] == [("eval-gate", "merged"), ("prompt-lint", "")]
