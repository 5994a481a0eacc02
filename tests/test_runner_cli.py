"""The runner through the CLI: a dead endpoint exits 3 quickly; a second run hits the cache."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from support.servers import free_port

from genai_gate.cache import ResponseCache
from genai_gate.mockllm.engine import Engine
from genai_gate.mockllm.script import builtin_script_path, load_script
from genai_gate.mockllm.server import running_server


def _project(tmp_path: Path, base_url: str, cases: int) -> Path:
    rows = [
        {"id": f"case-{i}", "input": f"echo: answer {i}", "expected": {"facts": [f"answer {i}"]}}
        for i in range(cases)
    ]
    (tmp_path / "golden.jsonl").write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    config = tmp_path / "genai-gate.yaml"
    config.write_text(
        "version: 1\n"
        f"targets:\n  llm: {{type: openai, base_url: '{base_url}', model: mock-gpt}}\n"
        "eval:\n  suites:\n    golden: {dataset: golden.jsonl}\n"
    )
    return config


def _eval_gate(config: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    command = [sys.executable, "-m", "genai_gate.cli", "--config", str(config), "eval-gate"]
    started = time.monotonic()
    result = subprocess.run(
        [*command, "--no-progress", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return result, time.monotonic() - started


def test_unreachable_target_exits_3_with_partial_results(tmp_path: Path) -> None:
    config = _project(tmp_path, f"http://127.0.0.1:{free_port()}/v1", cases=200)
    result, elapsed = _eval_gate(config)
    assert result.returncode == 3, result.stderr
    assert "unreachable" in result.stderr + result.stdout
    written = json.loads((tmp_path / ".genai-gate/results/eval-gate.json").read_text())
    assert written["status"] == "error" and written["incomplete"] is True
    print(f"exit 3 after {elapsed:.2f} s (process start included)")


def test_second_identical_cli_run_sends_no_request(tmp_path: Path) -> None:
    script = builtin_script_path("default")
    assert script is not None
    with running_server(Engine(load_script(script))) as (url, server):
        config = _project(tmp_path, url, cases=20)
        first, _ = _eval_gate(config)
        assert first.returncode == 0, first.stderr + first.stdout
        assert server.stats.chat_completions == 20
        second, _ = _eval_gate(config)
        assert second.returncode == 0, second.stderr + second.stdout
        assert server.stats.chat_completions == 20
    assert len(ResponseCache(tmp_path / ".genai-gate/cache").entry_keys()) == 20
