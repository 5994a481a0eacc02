"""`genai-gate audit-log` end to end: record (derived changes, manifest), verify, prove, check."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from support.fake_github import FakeGitHub

from genai_gate.cli import main
from genai_gate.gates.audit.keys import SigningKey, public_pem
from genai_gate.gates.audit.report import markdown_section
from genai_gate.results import GateResult, Status

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "bank-support-agent"
KEY = "99bb88401742848e032fd6f51709415fb6be169a72d2e5d7fc44289255160d3c"
CONFIG = """\
version: 1
project: demo
registry: {prompts: prompts, models: model_registry.yaml}
audit:
  store: {path: audit}
  signing_key_env: TEST_AUDIT_KEY
  public_keys: [audit-public-key.pem]
  knowledge_base: kb
  tool_files: [tools.py]
  dependency_files: [requirements.txt]
  policy:
    required_gates: [prompt-lint, eval-gate]
    approval_environments: [production]
"""
TOOLS = """\
TOOL_SCHEMAS = [
    {"type": "function", "function": {"name": "get_account_balance", "parameters": {}}},
]
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "agent"
    shutil.copytree(EXAMPLE / "prompts", root / "prompts")
    shutil.copy(EXAMPLE / "model_registry.yaml", root)
    (root / "kb").mkdir()
    (root / "kb" / "fees.md").write_text("# Fees\nNo fees.\n")
    (root / "genai-gate.yaml").write_text(CONFIG)
    (root / "tools.py").write_text(TOOLS)
    (root / "audit-public-key.pem").write_bytes(public_pem(SigningKey.parse(KEY, "test").public))
    (root / "requirements.txt").write_text("openai==1.40.0\nrequests>=2.31\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    git(root, "tag", "v1")
    monkeypatch.setenv("TEST_AUDIT_KEY", KEY)
    monkeypatch.chdir(root)
    for name in (
        "GITHUB_RUN_ID", "GITHUB_TOKEN", "GITHUB_EVENT_PATH", "GITHUB_REPOSITORY",
        "GENAI_GATE_CONFIG",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    return root


def audit(*args: str) -> int:
    return main(["audit-log", *args, "--format", "json", "--no-progress"])


def last_result(repo: Path) -> GateResult:
    return GateResult.read(repo / ".genai-gate" / "results" / "audit-log.json")


def change_release(repo: Path) -> None:
    """Bump a prompt, upgrade a model, add a tool, change a dependency, new KB snapshot."""
    prompt = repo / "prompts" / "complaint-classifier.yaml"
    text = prompt.read_text().replace("version: 2.1.0", "version: 2.2.0")
    prompt.write_text(text.replace("template: |", "template: |\n  Be brief.", 1))
    registry = repo / "model_registry.yaml"
    registry.write_text(
        registry.read_text().replace("gpt-4o-mini-2024-07-18", "gpt-4o-mini-2025-01-31")
    )
    (repo / "tools.py").write_text(
        TOOLS.replace(
            "]\n",
            '    {"type": "function", "function": {"name": "transfer_funds"}},\n]\n',
        )
    )
    (repo / "requirements.txt").write_text("openai==1.55.0\nrequests>=2.31\nrich==13.9\n")
    (repo / "kb" / "fees.md").write_text("# Fees\nOne euro.\n")
    git(repo, "commit", "-qam", "release 2")


def test_record_derives_changes_manifest_and_rollback_plan(
    repo: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GENAI_GATE_COMMIT", raising=False)
    assert audit("record", "--event", "deploy", "--environment", "staging", "--version", "1") == 0
    first = last_result(repo).details["record"]
    assert "genai_gate_commit" not in first
    monkeypatch.setenv("GENAI_GATE_COMMIT", "9" * 40)
    change_release(repo)
    code = audit(
        "record", "--event", "deploy", "--environment", "staging", "--version", "2",
        "--base-ref", "v1", "--image-digest", "sha256:" + "e" * 64, "--ticket", "CHG-42",
    )  # fmt: skip
    assert code == 0, capsys.readouterr()
    record_result = last_result(repo)
    record = record_result.details["record"]
    assert record["genai_gate_commit"] == "9" * 40
    changes = record["changes"]
    assert changes["prompts"] == [
        {"prompt_id": "complaint-classifier", "old_version": "2.1.0", "new_version": "2.2.0"}
    ]
    assert changes["models"] == [
        {
            "name": "gpt-4o-mini",
            "old_version": "gpt-4o-mini-2024-07-18",
            "new_version": "gpt-4o-mini-2025-01-31",
        }
    ]
    assert changes["tools_added"] == ["transfer_funds"]
    assert {(d["name"], d.get("old"), d.get("new")) for d in changes["dependencies"]} == {
        ("openai", "==1.40.0", "==1.55.0"),
        ("rich", None, "==13.9"),
    }
    manifest = record["manifest"]
    assert manifest["code_sha"] == git(repo, "rev-parse", "HEAD")
    assert manifest["image_digest"] == "sha256:" + "e" * 64
    assert {p["prompt_id"]: p["version"] for p in manifest["prompts"]}["complaint-classifier"] == (
        "2.2.0"
    )
    assert all(p["content_hash"].startswith("sha256:") for p in manifest["prompts"])
    assert {"name": "gpt-4o-mini", "version": "gpt-4o-mini-2025-01-31"} in manifest["models"]
    assert manifest["kb_snapshot_id"] != first["manifest"]["kb_snapshot_id"]
    assert manifest["config_digest"].startswith("sha256:")
    assert record["rollback_plan"] == {
        "previous_version": "1",
        "previous_sha": first["git_sha"],
        "previous_manifest": first["manifest"],  # data and configs a rollback restores
    }
    assert record["approval_ticket"] == "CHG-42" and record["seq"] == 1
    (repo / "tools.py").write_text(TOOLS.replace("get_account_balance", "get_balance"))
    git(repo, "commit", "-qam", "release 3")
    assert audit("record", "--event", "deploy", "--environment", "staging", "--version", "3") == 0
    third = last_result(repo).details["record"]["changes"]  # base: the last deploy's commit
    assert third["base_ref"] == record["git_sha"]
    assert (third["tools_added"], third["tools_removed"]) == (
        ["get_balance"],
        ["get_account_balance", "transfer_funds"],
    )
    assert record["prev"] == first["hash"]
    section = markdown_section(record_result)
    assert "| prompts changed | complaint-classifier 2.1.0 -&gt; 2.2.0 |" in section
    assert "| tools added | transfer\\_funds |" in section
    assert audit("verify") == 0


def test_record_lists_gate_results_with_digest_and_verdict(repo: Path) -> None:
    results = repo / ".genai-gate" / "results"
    sha = git(repo, "rev-parse", "HEAD")
    GateResult(gate="eval-gate", status=Status.PASS, git_sha=sha).write(results / "eval-gate.json")
    GateResult(gate="prompt-lint", status=Status.FAIL, git_sha=sha).write(
        results / "prompt-lint.json"
    )
    assert audit("record", "--event", "deploy", "--environment", "dev", "--version", "1") == 0
    gates = last_result(repo).details["record"]["gates"]
    digest = (
        "sha256:"
        + __import__("hashlib").sha256((results / "eval-gate.json").read_bytes()).hexdigest()
    )
    assert gates[0] == {
        "gate": "eval-gate", "status": "pass", "digest": digest, "git_sha": sha,
        "incomplete": False,
    }  # fmt: skip
    assert gates[1]["status"] == "fail"


def test_canary_step_from_canary_gate_results(repo: Path) -> None:
    results = repo / ".genai-gate" / "results"
    event = {"event": "canary-step", "step": 25, "decision": "rollback", "score": 40.0}
    GateResult(gate="canary-gate", status=Status.FAIL, details={"audit_event": event}).write(
        results / "canary-gate.json"
    )
    assert audit("record", "--event", "canary-step", "--environment", "dev", "--version", "3") == 0
    record = last_result(repo).details["record"]
    assert record["canary"] == {"traffic_percent": 25.0, "outcome": "rollback", "score": 40.0}
    assert record["traffic_percent"] == 0 and record["success"] is False


def test_missing_signing_key_exits_2_and_writes_nothing(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.delenv("TEST_AUDIT_KEY")
    assert audit("record", "--event", "deploy", "--environment", "dev", "--version", "1") == 2
    assert "set the environment variable TEST_AUDIT_KEY" in capsys.readouterr().err
    assert not (repo / "audit").exists()


def test_verify_needs_only_the_public_key(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert audit("record", "--event", "deploy", "--environment", "dev", "--version", "1") == 0
    monkeypatch.delenv("TEST_AUDIT_KEY")
    assert audit("verify") == 0
    assert last_result(repo).title.startswith("chain and checkpoints intact: 1 records")
    assert audit("verify", "--chain-only") == 3
    result = last_result(repo)
    assert result.status is Status.ERROR and result.incomplete
    assert "checkpoints not checked (--chain-only)" in result.title


def test_unknown_config_key_in_audit_section_is_located(repo: Path, capsys) -> None:
    (repo / "genai-gate.yaml").write_text(CONFIG.replace("knowledge_base", "knowledge_bse"))
    assert audit("verify", "--chain-only") == 2
    assert "genai-gate.yaml:8: audit.knowledge_bse: unknown key" in capsys.readouterr().err


def test_verify_names_the_tampered_record_and_record_refuses(repo: Path) -> None:
    for version in ("1", "2", "3"):
        assert (
            audit("record", "--event", "deploy", "--environment", "dev", "--version", version) == 0
        )
    log = repo / "audit" / "audit.jsonl"
    rows = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(rows[0] + rows[1].replace(b'"version":"2"', b'"version":"20"') + rows[2])
    assert audit("verify") == 1
    result = last_result(repo)
    assert result.findings[0].rule_id == "audit/modified"
    assert result.findings[0].location.line == 2
    assert "record seq 1: content modified" in result.findings[0].message
    before = log.read_bytes(), (repo / "audit" / "checkpoints.jsonl").read_bytes()
    assert audit("record", "--event", "deploy", "--environment", "dev", "--version", "4") == 1
    assert "nothing was written" in last_result(repo).title
    assert (log.read_bytes(), (repo / "audit" / "checkpoints.jsonl").read_bytes()) == before


def test_prove_and_verify_proof(repo: Path, tmp_path: Path, capsys) -> None:
    for version in ("1", "2", "3", "4", "5"):
        assert (
            audit("record", "--event", "deploy", "--environment", "dev", "--version", version) == 0
        )
    proof_file = tmp_path / "proof.json"
    assert audit("prove", "3", "--out", str(proof_file)) == 0
    assert last_result(repo).summary["path_hashes"] == 3
    assert audit("verify-proof", str(proof_file)) == 0
    assert audit("verify-proof", str(proof_file), "--skip-signature") == 3
    skipped = last_result(repo)
    assert skipped.incomplete and skipped.status is Status.ERROR
    assert "signature not checked (--skip-signature): the tree may be forged" in skipped.title
    assert [c.status for c in last_result(repo).cases][-1] is Status.SKIPPED
    proof = json.loads(proof_file.read_text())
    proof["record"]["version"] = "33"
    proof_file.write_text(json.dumps(proof))
    assert audit("verify-proof", str(proof_file)) == 1
    assert "record hash" in last_result(repo).title
    proof_file.write_text("{not json")
    assert audit("verify-proof", str(proof_file)) == 2
    assert "not a JSON proof file" in capsys.readouterr().err
    assert audit("prove", "9") == 2


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch):
    with FakeGitHub() as gh:
        gh.add_repo("acme/agent")
        monkeypatch.setenv("GITHUB_TOKEN", gh.token)
        monkeypatch.setenv("GITHUB_API_URL", gh.url)
        monkeypatch.setenv("GITHUB_REPOSITORY", "acme/agent")
        yield gh


def passing_results(repo: Path, sha: str) -> None:
    results = repo / ".genai-gate" / "results"
    for gate in ("prompt-lint", "eval-gate", "security-scan"):
        GateResult(gate=gate, status=Status.PASS, git_sha=sha, title="ok").write(
            results / f"{gate}.json"
        )
    GateResult(gate="cost-estimate", status=Status.PASS, summary={"delta_pct": 80.0}).write(
        results / "cost-estimate.json"
    )


def test_check_all_evidence_met(repo: Path, github: FakeGitHub, monkeypatch) -> None:
    sha = git(repo, "rev-parse", "HEAD")
    passing_results(repo, sha)
    github.add_pull("acme/agent", 7, title="CHG-1234: tune prompts", user="alice", head_sha=sha)
    github.add_review("acme/agent", 7, user="carol", state="APPROVED")
    for label in ("cost-approved", "privacy-reviewed"):
        github.add_label("acme/agent", 7, label)
    github.add_approval("acme/agent", 4242, user="dave", environments=["production"])
    monkeypatch.setenv("GITHUB_RUN_ID", "4242")
    assert audit("check", "--environment", "production", "--pr", "7", "--allow-empty") == 0
    cases = {c.id: c for c in last_result(repo).cases}
    assert set(cases) == {
        "pr-approved", "gate:prompt-lint", "gate:eval-gate", "security-scan", "cost-approved",
        "change-ticket", "privacy-review", "environment-approval",
    }  # fmt: skip
    assert cases["security-scan"].reason.startswith(f"security-scan passed on {sha[:12]}")
    assert cases["pr-approved"].reason == "PR #7 approved by carol"
    assert cases["change-ticket"].reason == "PR #7: ticket CHG-1234"
    assert "approved by label 'cost-approved'" in cases["cost-approved"].reason
    assert cases["environment-approval"].reason == "production approved by dave"
    assert "knowledge-base snapshot kb-" in cases["privacy-review"].reason


def test_check_on_a_push_finds_the_pull_request_that_merged_the_sha(
    repo: Path, github: FakeGitHub, monkeypatch
) -> None:
    sha = git(repo, "rev-parse", "HEAD")
    passing_results(repo, sha)
    github.add_pull("acme/agent", 3, title="CHG-1: other", head_sha="e" * 40)
    github.add_pull(
        "acme/agent", 9, title="CHG-77: prompts", head_sha="d" * 40, merge_commit_sha=sha
    )
    github.add_review("acme/agent", 9, user="carol", state="APPROVED")
    monkeypatch.setenv("GITHUB_RUN_ID", "6161")
    assert audit("check", "--environment", "production", "--allow-empty") == 1
    cases = {c.id: c.reason for c in last_result(repo).cases}
    assert cases["pr-approved"] == "PR #9 approved by carol"
    assert cases["change-ticket"] == "PR #9: ticket CHG-77"
    github.pulls.clear()
    assert audit("check", "--environment", "production", "--allow-empty") == 1
    cases = {c.id: c.reason for c in last_result(repo).cases}
    assert cases["pr-approved"] == "no pull request found (pass --pr)"


def test_check_reports_each_missing_item(repo: Path, github: FakeGitHub, monkeypatch) -> None:
    sha = git(repo, "rev-parse", "HEAD")
    passing_results(repo, sha)
    GateResult(gate="eval-gate", status=Status.PASS, git_sha="0" * 40).write(
        repo / ".genai-gate" / "results" / "eval-gate.json"
    )
    github.add_pull("acme/agent", 8, title="tune prompts", user="alice", head_sha=sha)
    github.add_review("acme/agent", 8, user="alice", state="APPROVED")  # self-approval
    github.add_review("acme/agent", 8, user="bob", state="APPROVED")
    github.add_review("acme/agent", 8, user="bob", state="CHANGES_REQUESTED")
    github.add_approval("acme/agent", 5151, user="dave", environments=["staging"])
    monkeypatch.setenv("GITHUB_RUN_ID", "5151")
    assert audit("check", "--environment", "production", "--pr", "8", "--allow-empty") == 1
    result = last_result(repo)
    missing = {c.id: c.reason for c in result.cases if c.status is Status.FAIL}
    assert missing == {
        "pr-approved": "PR #8: changes requested by bob",
        "gate:eval-gate": f"eval-gate ran on {'0' * 40}, not on {sha}",
        "cost-approved": "projected cost +80.0% over +50.0% without the label 'cost-approved'",
        "change-ticket": "PR #8: no change ticket matching '\\\\b[A-Z][A-Z0-9]+-\\\\d+\\\\b' "
        "in the title or body",
        "privacy-review": missing["privacy-review"],
        "environment-approval": "no approval of environment 'production' in this run",
    }
    assert missing["privacy-review"].endswith("needs the label 'privacy-reviewed'")
    assert result.summary == {"met": 2, "missing": 6}


def test_check_refuses_self_approval_and_a_failed_security_scan(
    repo: Path, github: FakeGitHub, monkeypatch
) -> None:
    sha = git(repo, "rev-parse", "HEAD")
    passing_results(repo, sha)
    GateResult(gate="security-scan", status=Status.FAIL, git_sha=sha, title="1 high").write(
        repo / ".genai-gate" / "results" / "security-scan.json"
    )
    github.add_pull("acme/agent", 9, title="CHG-9: prompts", user="alice", head_sha=sha)
    github.add_review("acme/agent", 9, user="carol", state="APPROVED")
    github.add_approval("acme/agent", 6161, user="alice", environments=["production"])
    monkeypatch.setenv("GITHUB_RUN_ID", "6161")
    assert audit("check", "--environment", "production", "--pr", "9", "--allow-empty") == 1
    missing = {c.id: c.reason for c in last_result(repo).cases if c.status is Status.FAIL}
    assert missing["environment-approval"] == (
        "production approved only by alice, the author of PR #9: self-approval does not count"
    )
    assert missing["security-scan"] == f"security-scan is fail on {sha[:12]}: 1 high"


def test_record_reads_environment_approvals(repo: Path, github: FakeGitHub, monkeypatch) -> None:
    github.add_approval("acme/agent", 77, user="dave", environments=["production"], comment="ok")
    monkeypatch.setenv("GITHUB_RUN_ID", "77")
    monkeypatch.setenv("GITHUB_RUN_ATTEMPT", "2")
    assert (
        audit("record", "--event", "deploy", "--environment", "production", "--version", "1") == 0
    )
    record = last_result(repo).details["record"]
    assert record["approvers"] == [
        {
            "user": "dave",
            "state": "approved",
            "source": "environment",
            "environments": ["production"],
            "comment": "ok",
        }
    ]
    assert record["run"]["run_id"] == "77" and record["run"]["run_attempt"] == 2
    assert record["deployment_id"] == "77"


def test_github_unreachable_exits_3(repo: Path, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "t")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/agent")
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("GITHUB_RUN_ID", "1")
    args = ("record", "--event", "deploy", "--environment", "production", "--version", "1")
    assert audit(*args) == 3
    assert not (repo / "audit").exists()


def test_corrupt_results_file_exits_2_and_other_json_is_ignored(repo: Path, capsys) -> None:
    results = repo / ".genai-gate" / "results"
    results.mkdir(parents=True)
    (results / "notes.json").write_text('{"not": "a gate result"}')
    assert audit("record", "--event", "deploy", "--environment", "dev", "--version", "1") == 0
    (results / "eval-gate.json").write_text('{"gate": "eval-gate", "status": "pass"')
    capsys.readouterr()
    assert audit("record", "--event", "deploy", "--environment", "dev", "--version", "2") == 2
    assert "eval-gate.json: not a JSON results file" in capsys.readouterr().err
    assert (repo / "audit" / "audit.jsonl").read_bytes().count(b"\n") == 1


def test_published_checkpoint_catches_a_rollback_of_both_files(repo: Path) -> None:
    for version in ("1", "2", "3"):
        assert (
            audit("record", "--event", "deploy", "--environment", "dev", "--version", version) == 0
        )
    published = last_result(repo).summary["checkpoint"]
    assert audit("verify", "--checkpoint", published) == 0
    for name in ("audit.jsonl", "checkpoints.jsonl"):  # an attacker drops the last of each
        path = repo / "audit" / name
        path.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:2]))
    assert audit("verify") == 0  # consistent files alone cannot show it
    assert audit("verify", "--checkpoint", published) == 1
    finding = last_result(repo).findings[0]
    assert finding.rule_id == "audit/checkpoint-missing" and published in finding.message


def test_record_without_a_config_asks_git_only_for_the_commit_time(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Changes are derived only with a config: no `git cat-file` for the previous deploy."""
    from genai_gate.integrations import git as git_module

    (repo / "genai-gate.yaml").unlink()
    monkeypatch.setenv("GENAI_GATE_AUDIT_KEY", KEY)
    asked: list[str] = []
    real = git_module.run

    def run(root: Path, *args: str, **kwargs: object) -> bytes:
        asked.append(args[0])
        return real(root, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(git_module, "run", run)
    head = git(repo, "rev-parse", "HEAD")
    for version in ("1", "2"):
        record = ["record", "--event", "deploy", "--environment", "production"]
        assert audit(*record, "--version", version, "--sha", head, "--approvals", "none") == 0
    result = last_result(repo)
    assert result.details["record"]["rollback_plan"]["previous_version"] == "1"
    assert result.details["record"]["commit_time"]  # from `git show`
    assert "cat-file" not in asked and asked.count("show") == 2


def test_the_record_results_file_follows_the_published_schema(repo: Path) -> None:
    """`record`'s results file, as written, against docs/results.md's JSON Schema (jsonschema)."""
    from importlib import resources

    import jsonschema

    schema = json.loads(resources.files("genai_gate.schemas").joinpath("results.json").read_text())
    record = ["record", "--event", "deploy", "--environment", "production", "--version", "1"]
    assert audit(*record, "--approvals", "none") == 0
    written = json.loads((repo / ".genai-gate" / "results" / "audit-log.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(written)
    assert written["summary"]["seq"] == 0 and written["details"]["action"] == "record"
    assert written["details"]["record"]["hash"] == written["summary"]["hash"]
