"""`genai-gate run` end to end on a copy of the bank example, with the real mock LLM server.

The README's main job, run as a user runs it (`scripts/demo`): the installed CLI in a
subprocess, in the example's folder, the agent talking to the mock over HTTP. The success path
checks every configured gate's row in the summary, its results file and exit 0; one broken
golden case must turn the run into exit 1 that names the eval gate.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "bank-support-agent"

SECTION_GATES = {
    "prompt_lint": "prompt-lint",
    "injection": "injection-test",
    "eval": "eval-gate",
    "cost": "cost-estimate",
}
"""The config sections `run` runs a gate for (README: "Commands"), in pipeline order."""


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example repository, without results or cache of earlier runs."""
    copy = tmp_path / "bank-support-agent"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".genai-gate", "__pycache__"))
    return copy


def run_pipeline(example: Path, mock_url: str) -> tuple[int, dict[str, tuple[str, str]], str]:
    """Exit code, summary rows (gate -> (status, result)) and the whole output of `run`."""
    env = {
        **os.environ,
        "BANK_AGENT_LLM_URL": mock_url,
        "BANK_AGENT_PROMPTS_DIR": str(example / "prompts"),
        "COLUMNS": "200",  # one table row per line
    }
    env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.run(
        [sys.executable, "-m", "genai_gate.cli", "run"],
        cwd=example,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = proc.stdout + proc.stderr
    rows = {}
    for line in proc.stdout.splitlines():
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if len(cells) == 4 and cells[0] in SECTION_GATES.values():
            rows[cells[0]] = (cells[1], cells[2])
    return proc.returncode, rows, output


def configured_gates(example: Path) -> list[str]:
    config = yaml.safe_load((example / "genai-gate.yaml").read_text(encoding="utf-8"))
    return [gate for section, gate in SECTION_GATES.items() if config.get(section) is not None]


def results(example: Path) -> dict[str, dict]:
    folder = example / ".genai-gate" / "results"
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}


def test_run_passes_every_configured_gate_of_the_example(example: Path, mock_url: str) -> None:
    gates = configured_gates(example)
    assert gates == list(SECTION_GATES.values())  # the example configures all four
    golden = sum(1 for line in (example / "evals" / "golden.jsonl").open() if line.strip())

    code, rows, output = run_pipeline(example, mock_url)

    assert code == 0, output
    assert list(rows) == gates, output  # every configured gate, in pipeline order
    assert {gate: status for gate, (status, _) in rows.items()} == dict.fromkeys(gates, "pass")
    assert rows["prompt-lint"][1].startswith("4 prompts: 0 errors, 0 warnings")
    assert rows["injection-test"][1].startswith("0/60 attacks succeeded")  # injection.sample
    assert rows["eval-gate"][1].startswith(f"{golden}/{golden} cases passed")
    assert rows["cost-estimate"][1].startswith("projected $")
    assert "overall: pass" in output
    written = results(example)
    assert sorted(written) == sorted(gates)
    for gate, result in written.items():
        assert (result["gate"], result["status"], result["incomplete"]) == (gate, "pass", False)
    assert written["eval-gate"]["summary"]["cases"] == golden


def test_one_failing_golden_case_fails_the_run_naming_the_eval_gate(
    example: Path, mock_url: str
) -> None:
    dataset = example / "evals" / "golden.jsonl"
    cases = [json.loads(line) for line in dataset.read_text(encoding="utf-8").splitlines()]
    broken = cases[0]
    assert broken["expected"]["facts"][0] == "1250.40"  # the mock's balance of ACC-1001-01
    broken["expected"]["facts"][0] = "9999.99"
    dataset.write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")

    code, rows, output = run_pipeline(example, mock_url)

    assert code == 1, output
    assert rows["eval-gate"][0] == "fail", output
    assert rows["eval-gate"][1].startswith(f"{len(cases) - 1}/{len(cases)} cases passed")
    others = {gate: status for gate, (status, _) in rows.items() if gate != "eval-gate"}
    assert others == {"prompt-lint": "pass", "injection-test": "pass", "cost-estimate": "pass"}
    assert "overall: fail" in output
    eval_result = results(example)["eval-gate"]
    assert eval_result["status"] == "fail"
    failed = [c["id"] for c in eval_result["cases"] if c["status"] == "fail"]
    assert failed == [broken["id"]]
