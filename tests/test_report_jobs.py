"""Jobs that are not gates reach the PR comment: `report record-job` and `report comment --expect`.

The comment's headline is the worst of every results file (gates, security-scan, job-*), and a
job or gate the workflow expects but that left no results file is an error, never a pass. The
security-scan result here comes from the real bandit run on the vulnerable fixture.
"""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest
from support.fake_github import FakeGitHub

from genai_gate.cli import main
from genai_gate.report import comment, sections
from genai_gate.results import GateResult, Status

REPO = "acme/airline-agent"
PR = 12
MARKER = "<!-- genai-gate:sticky -->"
DATA = Path(__file__).parent / "data" / "security"


@pytest.fixture(autouse=True)
def plain_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sections, "SECTIONS", {})
    for name in ("GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def gh(monkeypatch: pytest.MonkeyPatch):
    with FakeGitHub() as fake:
        monkeypatch.setenv("GITHUB_TOKEN", fake.token)
        fake.add_repo(REPO)
        fake.add_pull(REPO, PR)
        yield fake


def record(results: Path, name: str, outcome: str, *detail: str) -> int:
    args = ["report", "record-job", "--results-dir", str(results), "--name", name]
    return main([*args, "--outcome", outcome, *(("--detail", *detail) if detail else ())])


def post(results: Path, gh: FakeGitHub, *extra: str) -> str:
    code = main(
        [
            *("report", "comment", "--repo", REPO, "--pr", str(PR)),
            *("--results-dir", str(results), "--api-url", gh.url, *extra),
        ]
    )
    assert code == 0
    (ours,) = [c for c in gh.comments_on(REPO, PR) if MARKER in c["body"]]
    return str(ours["body"])


def headline(body: str) -> str:
    return next(line for line in body.splitlines() if line.startswith("## genai-gate:"))


@pytest.mark.parametrize(
    ("outcome", "status", "incomplete"),
    [
        ("success", "pass", False),
        ("failure", "fail", False),
        ("cancelled", "error", True),
        ("skipped", "error", True),
    ],
)
def test_record_job_writes_a_results_file_per_outcome(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outcome: str, status: str, incomplete: bool
) -> None:
    assert record(tmp_path, "unit-tests", outcome, "pytest:  3 failed,\n 40 passed") == 0
    data = json.loads((tmp_path / "job-unit-tests.json").read_text())
    assert data["gate"] == "unit-tests"
    assert data["status"] == status and data["incomplete"] is incomplete
    assert data["title"] == f"job {outcome}: pytest: 3 failed, 40 passed"
    assert data["details"]["outcome"] == outcome
    assert GateResult.read(tmp_path / "job-unit-tests.json").exit_code != 0 or status == "pass"
    assert f"recorded unit-tests: {outcome} ({status})" in capsys.readouterr().err


def test_record_job_rejects_bad_names_and_outcomes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert record(tmp_path, "../escape", "success") == 2
    assert "--name '../escape': use letters, digits" in capsys.readouterr().err
    assert record(tmp_path, "lint", "passed") == 2
    assert "invalid choice: 'passed'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_headline_is_red_when_the_security_scan_or_unit_tests_failed(
    tmp_path: Path, gh: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = tmp_path / "results"
    GateResult(gate="eval-gate", status=Status.PASS, title="42/42 cases passed").write(
        results / "eval-gate.json"
    )
    GateResult(gate="prompt-lint", status=Status.PASS, title="12 prompts").write(
        results / "prompt-lint.json"
    )
    source = tmp_path / "src"
    shutil.copytree(DATA / "vulnerable", source)
    monkeypatch.chdir(tmp_path)
    scan = ["security-scan", "--tools", "bandit", "--path", "src", "--results-dir", str(results)]
    assert main(scan) == 1  # the real bandit finds shell=True, verify=False, os.system
    assert record(results, "lint", "success") == 0
    assert record(results, "unit-tests", "failure", "3 failed") == 0

    body = post(results, gh, "--expect", "lint,unit-tests,security-scan")
    assert headline(body) == (
        "## genai-gate: ❌ 2 of 5 gates did not pass: security-scan, unit-tests"
    )
    assert "all 5 gates passed" not in body
    assert "| unit-tests | ❌ fail | job failure: 3 failed |" in body
    assert "B602" in body  # the comment shows the scan's findings


def test_an_expected_job_without_results_is_an_error_never_a_pass(
    tmp_path: Path, gh: FakeGitHub
) -> None:
    results = tmp_path / "results"
    GateResult(gate="eval-gate", status=Status.PASS, title="42/42 cases passed").write(
        results / "eval-gate.json"
    )
    body = post(results, gh, "--expect", "unit-tests", "--expect", "eval-gate,security-scan")
    assert headline(body) == (
        "## genai-gate: ⚠️ 2 of 3 gates did not pass (some could not run): security-scan, unit-tests"
    )
    assert "| unit-tests | ⚠️ error (incomplete) | did not run / left no results |" in body
    assert "no results file for security-scan in results: the job did not run" in body


def test_no_results_at_all_still_updates_the_comment_with_every_expected_job(
    tmp_path: Path, gh: FakeGitHub
) -> None:
    body = post(tmp_path / "never-downloaded", gh, "--expect", "lint,unit-tests")
    assert headline(body) == (
        "## genai-gate: ⚠️ 2 of 2 gates did not pass (some could not run): lint, unit-tests"
    )


def test_expect_names_are_checked(tmp_path: Path, gh: FakeGitHub, capsys) -> None:
    code = main(
        [
            *("report", "comment", "--repo", REPO, "--pr", str(PR)),
            *("--results-dir", str(tmp_path), "--api-url", gh.url, "--expect", "lint,a b"),
        ]
    )
    assert code == 2
    assert "--expect 'a b': use letters, digits" in capsys.readouterr().err
    assert gh.comments_on(REPO, PR) == []


STATUSES = [Status.PASS, Status.FAIL, Status.ERROR, Status.SKIPPED, Status.FLAKY]


def test_the_headline_says_all_passed_only_when_every_result_is_a_complete_pass() -> None:
    for combo in itertools.product(STATUSES, repeat=3):
        for incomplete in (False, True):
            results = [
                GateResult(gate=f"g{i}", status=s, incomplete=incomplete and i == 0)
                for i, s in enumerate(combo)
            ]
            head = comment.overview(results).splitlines()[0]
            all_pass = all(s is Status.PASS for s in combo) and not incomplete
            assert ("✅ all 3 gates passed" in head) is all_pass, (combo, incomplete, head)
            assert head.startswith("## genai-gate: ⚠️") is (Status.ERROR in combo)
