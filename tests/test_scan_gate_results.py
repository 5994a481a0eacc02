"""Typed results of prompt-lint, injection-test, pii-scan and security-scan: what each command
writes is accepted by the published JSON Schema (checked with jsonschema) and read back through
its types into the same JSON; version-1 files still render; a wrong type is refused, named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support.results_schema import read_back, schema_errors

from genai_gate.cli import main
from genai_gate.errors import ConfigError
from genai_gate.gates.injection import report as injection_report
from genai_gate.gates.injection.pii_summary import PiiDetails, PiiSummary
from genai_gate.gates.injection.summary import InjectionDetails, InjectionSummary
from genai_gate.gates.prompt_lint.summary import PromptLintDetails, PromptLintSummary
from genai_gate.gates.security import bandit as bandit_module
from genai_gate.gates.security.summary import SecurityDetails, SecuritySummary
from genai_gate.pii import PII_TYPES
from genai_gate.results import GateResult

TESTS = Path(__file__).parent
EXAMPLE = TESTS.parent / "examples" / "bank-support-agent"


def run(tmp_path: Path, gate: str, *args: str, config: Path | None = None) -> tuple[int, Path]:
    """Run `gate` writing its results under `tmp_path/results`; exit code and results file."""
    out = tmp_path / "results"
    config = config or tmp_path / "absent.yaml"
    code = main(
        ["--config", str(config), gate, *args, "--results-dir", str(out), "--format", "json"]
    )
    return code, out / f"{gate}.json"


def test_prompt_lint_suppressions_and_token_counts_read_typed(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(TESTS / "data" / "prompt_lint" / "violations", registry)
    code, path = run(tmp_path, "prompt-lint", config=registry / "genai-gate.yaml")
    assert code == 1
    document, summary, details = read_back(path, PromptLintSummary, PromptLintDetails)
    assert summary.findings == len(document["findings"]) and summary.errors > 0
    [suppressed] = details.suppressed
    assert suppressed.rule_id == "PL302" and suppressed.location is not None
    assert (suppressed.location.path, suppressed.location.line) == ("prompts/suppressed.yaml", 11)
    assert "help_uri" not in document["details"]["suppressed"][0]  # left out, not null
    assert [p.approximate for p in details.prompts if p.prompt_id == "ok-approx"] == [True]
    assert details.base_ref is None and document["details"]["base_ref"] is None


def test_pii_scan_counts_only_the_types_found(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("ana@example.com wrote: pay ES91 2100 0418 4502 0005 1332\n", encoding="utf-8")
    code, path = run(tmp_path, "pii-scan", str(text))
    assert code == 1
    document, summary, details = read_back(path, PiiSummary, PiiDetails)
    assert (summary.findings, summary.files, summary.email_count, summary.iban_count) == (
        2,
        1,
        1,
        1,
    )
    assert "card_count" not in document["summary"] and summary.card_count is None
    assert details.by_type == {"email": 1, "iban": 1} and details.listed == 2


def test_every_pii_type_has_its_count_in_the_summary() -> None:
    counts = {name for name in PiiSummary.model_fields if name.endswith("_count")}
    assert counts == {f"{kind}_count" for kind in PII_TYPES}


def test_injection_replay_has_no_canary_and_its_label_agreement_typed(tmp_path: Path) -> None:
    bench = TESTS / "data" / "injection" / "judge-bench.jsonl"
    sample = tmp_path / "sample.jsonl"
    sample.write_text("".join(bench.read_text(encoding="utf-8").splitlines(True)[:12]))
    code, path = run(tmp_path, "injection-test", "--replay", str(sample))
    assert code in (0, 1)
    document, summary, details = read_back(path, InjectionSummary, InjectionDetails)
    assert summary.attacks == 12 and "canary_sha256" not in document["details"]
    assert details.replay is not None and details.replay.records == 12
    assert details.labels is not None and details.labels.labelled == 12
    assert details.target == f"replay:{sample.name}"
    assert sum(c.attacks for c in details.categories.values()) == 12


def test_injection_live_run_writes_its_canary_digest(
    tmp_path: Path, mock_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BANK_AGENT_LLM_URL", mock_url)
    args = ["--category", "system_prompt_leak", "--language", "en"]
    code, path = run(tmp_path, "injection-test", *args, config=EXAMPLE / "genai-gate.yaml")
    assert code == 0
    document, summary, details = read_back(path, InjectionSummary, InjectionDetails)
    assert len(document["details"]["canary_sha256"]) == 64 and details.replay is None
    assert "replay" not in document["details"] and "labels" not in document["details"]
    assert list(details.categories) == ["system_prompt_leak"]
    assert summary.failed_categories == "" and details.suite is not None
    assert details.suite.attacks_run == summary.attacks


def test_security_scan_tool_rows_and_sarif_files_read_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(TESTS / "data" / "security", tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    args = ["--tools", "bandit", "--path", "clean", "--sarif-dir", "sarif"]
    code, path = run(tmp_path, "security-scan", *args)
    assert code == 0
    _, summary, details = read_back(path, SecuritySummary, SecurityDetails)
    assert summary.tools == "bandit" and summary.threshold == details.threshold == "high"
    [tool] = details.tools
    assert (tool.tool, tool.status, tool.error) == ("bandit", "pass", None)
    assert tool.scanned == len(list(Path("clean").glob("*.py")))
    assert details.sarif_files == [str(Path("sarif") / "bandit.sarif")]


def test_a_tool_that_could_not_run_has_only_its_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(TESTS / "data" / "security", tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    monkeypatch.setattr(bandit_module.Bandit, "executable", "bandit-not-installed")
    code, path = run(tmp_path, "security-scan", "--tools", "bandit", "--path", "clean")
    assert code == 3
    document, _, details = read_back(path, SecuritySummary, SecurityDetails)
    [row] = document["details"]["tools"]
    assert sorted(row) == ["error", "status", "tool"] and "sarif_files" not in document["details"]
    assert details.tools[0].error == row["error"] and details.tools[0].version is None


def _injection_file(tmp_path: Path) -> Path:
    bench = TESTS / "data" / "injection" / "judge-bench.jsonl"
    sample = tmp_path / "sample.jsonl"
    sample.write_text("".join(bench.read_text(encoding="utf-8").splitlines(True)[:4]))
    _, path = run(tmp_path, "injection-test", "--replay", str(sample))
    return path


def test_a_version_1_file_from_before_not_delivered_was_counted_still_renders(
    tmp_path: Path,
) -> None:
    path = _injection_file(tmp_path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["schema_version"] = 1
    for category in raw["details"]["categories"].values():
        del category["not_delivered"]
    del raw["details"]["by_language"], raw["details"]["by_delivery"], raw["details"]["suite"]
    path.write_text(json.dumps(raw), encoding="utf-8")
    section = injection_report.markdown_section(GateResult.read(path))
    [row] = [line for line in section.splitlines() if "System prompt leakage" in line]
    leak = raw["details"]["categories"]["system_prompt_leak"]
    assert f"| {leak['successes']}/{leak['attacks'] - leak['errors']} | " in row
    assert row.endswith(f"| {leak['refusals']} | 0 |")  # nothing counted as not delivered
    assert "Succeeded by language" not in section and "Suite " not in section


def test_a_wrong_type_in_a_category_is_refused_naming_it(tmp_path: Path) -> None:
    path = _injection_file(tmp_path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    name = next(iter(raw["details"]["categories"]))
    raw["details"]["categories"][name]["successes"] = "many"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        GateResult.read(path)
    assert f"details.categories.{name}.successes: Input should be a valid integer" in str(
        caught.value
    )
    assert schema_errors(raw) != []
