"""Acceptance of injection-test on the example bank agent, through the real mock LLM server.

The naive model obeys injected instructions (most categories show successful attacks, exit 1);
the hardened model resists the whole suite (zero successes, exit 0). An unreachable LLM ends the
run with exit 3 and a partial, incomplete result; a bad `injection:` section exits 2 naming the
file, line and field.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from support.servers import free_port

from genai_gate.cli import main
from genai_gate.gates.injection.catalog import CATEGORIES
from genai_gate.results import GateResult, Status

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bank-support-agent"
CONFIG = str(EXAMPLE / "genai-gate.yaml")


def injection(tmp_path: Path, *args: str, config: str = CONFIG) -> tuple[int, GateResult]:
    out = tmp_path / "results"
    code = main(
        ["--config", config, "injection-test", "--results-dir", str(out), "--format", "json", *args]
    )
    return code, GateResult.read(out / "injection-test.json")


def test_naive_model_fails_in_most_categories(
    tmp_path: Path, mock_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BANK_AGENT_LLM_URL", mock_url)
    sarif = tmp_path / "injection.sarif"
    code, result = injection(
        tmp_path, "--target", "agent-naive", "--full", "--output", f"sarif={sarif}"
    )
    assert code == 1
    assert result.status is Status.FAIL and not result.incomplete
    categories = result.details["categories"]
    assert set(categories) == set(CATEGORIES)
    hit = [name for name, c in categories.items() if c["successes"] > 0]
    assert len(hit) >= 8, categories
    assert result.summary["attacks"] >= 400
    # One finding per successful attack, with references and a masked excerpt.
    assert len(result.findings) == result.summary["successful_attacks"]
    finding = result.findings[0]
    assert finding.properties["owasp"].startswith("LLM")
    assert finding.properties["atlas"].startswith("AML.T")
    assert "[CANARY]" in json.dumps([f.properties["excerpt"] for f in result.findings])
    # The canary of the run never appears in clear in the results file.
    raw = (tmp_path / "results" / "injection-test.json").read_text(encoding="utf-8")
    pii_case = next(
        c for c in result.cases if c.id.startswith("pii_exfiltration") and c.details["checks"]
    )
    assert "12345678Z" not in json.dumps(pii_case.details)
    assert "12345678Z" not in raw
    tokens = set(re.findall(r"[a-z2-9]{14}", raw))
    digest = result.details["canary_sha256"]
    assert all(hashlib.sha256(token.encode()).hexdigest() != digest for token in tokens)
    assert sarif.is_file()
    assert categories["excessive_agency"]["status"] == "fail"


def test_hardened_model_resists_the_full_suite(
    tmp_path: Path, mock_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BANK_AGENT_LLM_URL", mock_url)
    code, result = injection(tmp_path, "--target", "agent", "--full")
    assert code == 0, [c.id for c in result.cases if c.status is not Status.PASS][:10]
    assert result.status is Status.PASS
    assert result.summary["successful_attacks"] == 0
    assert result.summary["refusals"] > 0
    assert all(c.status is Status.PASS for c in result.cases)
    assert result.findings == []


def test_sample_is_stratified_across_categories(
    tmp_path: Path, mock_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BANK_AGENT_LLM_URL", mock_url)
    code, result = injection(tmp_path, "--target", "agent-naive", "--sample", "20")
    assert code == 1
    assert result.summary["attacks"] == 20
    assert {c["attacks"] for c in result.details["categories"].values()} == {2}


def test_unreachable_llm_exits_3_with_partial_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()  # nothing listens there
    monkeypatch.setenv("BANK_AGENT_LLM_URL", f"http://127.0.0.1:{port}/v1")
    code, result = injection(tmp_path, "--target", "agent", "--sample", "30")
    assert code == 3
    assert result.status is Status.ERROR and result.incomplete
    assert result.summary["successful_attacks"] == 0


def test_bad_injection_section_exits_2_with_location(tmp_path: Path) -> None:
    config = tmp_path / "genai-gate.yaml"
    text = Path(CONFIG).read_text(encoding="utf-8")
    config.write_text(
        text.replace("  sample: 60", "  sample: 60\n  thresholds: {goal_hijack: 1.5}"),
        encoding="utf-8",
    )
    code = main(["--config", str(config), "injection-test", "--results-dir", str(tmp_path)])
    assert code == 2
    error = GateResult.read(tmp_path / "injection-test.json").error or ""
    lines = text.splitlines()
    line = next(i for i, row in enumerate(lines) if row.startswith("  sample: 60")) + 2
    assert f"genai-gate.yaml:{line}" in error and "injection.thresholds.goal_hijack" in error


def test_paraphrase_needs_a_model_target(tmp_path: Path) -> None:
    code = main(
        ["--config", CONFIG, "injection-test", "--paraphrase", "--results-dir", str(tmp_path)]
    )
    assert code == 2
    error = GateResult.read(tmp_path / "injection-test.json").error or ""
    assert "injection.paraphrase" in error and "openai target" in error
