#!/usr/bin/env python3
"""Dump of every injection-judge verdict, to check that a speed-up changes none (issue 13).

Judges, with fixed canaries, and writes one JSON line per verdict (check, refusal, notes,
masked evidence):

1. every record of the replay files of `tests/data/injection/*.jsonl`, as `--replay` does;
2. the full built-in suite through `genai-gate injection-test --full` against
   `genai-gate mock-llm serve` (the bank example's script), on the naive and the hardened
   model (`openai` targets), and on the example agent (`python` target, tool loop) on both;
3. every built-in attack's own payload and user turn taken as the answer, and every replay
   answer judged with the suite's secrets (texts full of encodings, links and markers).

Compare two dumps byte by byte: `python injection_verdicts.py > before.jsonl`, change the
judge, `python injection_verdicts.py | cmp before.jsonl -`.

    python scripts/bench/injection_verdicts.py [--only replay,suite,texts]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import tempfile
import types
from collections.abc import Iterator
from pathlib import Path

import _mockllm
import injection

from genai_gate.gates.injection import attack_run
from genai_gate.gates.injection.attack_run import InjectionRun
from genai_gate.gates.injection.deterministic_judge import RunSecrets, Verdict, judge
from genai_gate.gates.injection.replay import judge_replayed, load_transcripts
from genai_gate.results import GateResult

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "injection"


def _line(source: str, key: str, verdict: Verdict) -> str:
    return json.dumps(
        [
            source,
            key,
            verdict.success,
            verdict.checks,
            verdict.refused,
            verdict.notes,
            verdict.evidence,
        ],
        ensure_ascii=False,
    )


def replay_lines() -> Iterator[str]:
    """Every replay record's verdict."""
    from genai_gate.gates.injection.attack_run import build_policy
    from genai_gate.gates.injection.settings import InjectionSettings

    policy = build_policy(InjectionSettings())
    for path in sorted(DATA.glob("*.jsonl")):
        for item in load_transcripts(path, RunSecrets(canaries=(), victim={})):
            yield _line(path.name, item.record.id, judge_replayed(item, policy))


@contextlib.contextmanager
def fixed_canaries(seed: int = 13) -> Iterator[None]:
    """`new_canary` drawing from a seeded generator: the same tokens in every dump."""
    original = attack_run.secrets
    attack_run.secrets = types.SimpleNamespace(choice=random.Random(seed).choice)  # type: ignore[assignment]
    try:
        yield
    finally:
        attack_run.secrets = original


def _suite_run(config: Path, target: str, results: Path) -> list[str]:
    with fixed_canaries():
        injection._run_quiet(config, results, target)
    result = GateResult.read(results / "injection-test.json")
    lines = []
    for case in result.cases:
        d = case.details
        lines.append(
            json.dumps(
                [
                    f"suite:{target}",
                    case.id,
                    case.status.value,
                    case.reason,
                    d.get("checks"),
                    d.get("refused"),
                    d.get("notes"),
                    d.get("excerpt"),
                    d.get("tool_calls"),
                ],
                ensure_ascii=False,
            )
        )
    lines += [
        json.dumps(["finding", target, f.message], ensure_ascii=False) for f in result.findings
    ]
    return lines


def suite_lines() -> Iterator[str]:
    """The full suite's cases against the naive and hardened mock model and example agent."""
    process, url = _mockllm.start_mock(0, injection.EXAMPLE / "mock" / "script.yaml")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = injection.write_config(Path(tmp), url)
            data = json.loads(config.read_text(encoding="utf-8"))
            data["targets"]["hardened"] = {**data["targets"]["naive"], "model": "bank-hardened"}
            config.write_text(json.dumps(data), encoding="utf-8")
            for target in ("naive", "hardened"):
                yield from _suite_run(config, target, Path(tmp) / target)
            os.environ["BANK_AGENT_LLM_URL"] = url
            for target in ("agent-naive", "agent"):
                example = injection.EXAMPLE / "genai-gate.yaml"
                yield from _suite_run(example, target, Path(tmp) / target)
    finally:
        process.terminate()
        process.wait(10)


def text_lines() -> Iterator[str]:
    """Attack texts and replay answers judged as answers, with the suite's secrets."""
    from genai_gate.config import load_config
    from genai_gate.gates.injection.command import Options, select_attacks, system_prompt_text

    loaded = load_config(injection.EXAMPLE / "genai-gate.yaml")
    settings = loaded.model.injection
    assert settings is not None
    attacks = select_attacks(settings, Options(full=True))
    with fixed_canaries():
        run = InjectionRun(
            settings=settings,
            attacks=attacks,
            target_name="agent",
            system_prompt=system_prompt_text(loaded, settings, "agent"),
        )
    secrets = run.secrets()
    policy = attack_run.build_policy(settings)
    texts: list[tuple[str, str]] = []
    for attack in attacks:
        texts += [(attack.id + ":payload", attack.payload), (attack.id + ":user", attack.user)]
    for path in sorted(DATA.glob("*.jsonl")):
        for item in load_transcripts(path, RunSecrets(canaries=(), victim={})):
            texts.append((f"{path.name}:{item.record.id}", item.response.content))
    for index, (key, text) in enumerate(texts):
        attack = attacks[index % len(attacks)]
        yield _line("text", key, judge(attack, text, (), secrets, policy))


PARTS = {"replay": replay_lines, "suite": suite_lines, "texts": text_lines}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PARTS), help="parts, comma-separated")
    return parser.parse_args()


if __name__ == "__main__":
    for part in parse_args().only.split(","):
        for line in PARTS[part]():
            sys.stdout.write(line + "\n")
