"""injection-test on the second example agent (an airline, not a bank) through the real mock LLM.

The hardened model resists the whole suite with every attack delivered (nothing passes
vacuously: every category, every channel, the delivery probe); the naive model fails every
category; each model with one weakness is caught where the weakness shows; a safe model that
explains its refusals (naming the marker it refuses) is not flagged.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.mockllm import mock_llm_server

from genai_gate import prompts
from genai_gate.cli import main
from genai_gate.gates.injection.catalog import CATEGORIES
from genai_gate.registry.prompts import load_prompts
from genai_gate.results import GateResult, Status

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "airline-agent"
CONFIG = str(EXAMPLE / "genai-gate.yaml")
CORPUS = EXAMPLE / "attacks" / "airline-attacks.jsonl"


@pytest.fixture(scope="module")
def airline_llm(monkeypatch_module: pytest.MonkeyPatch) -> Iterator[str]:
    with mock_llm_server(EXAMPLE / "mock" / "script.yaml") as url:
        monkeypatch_module.setenv("AIRLINE_AGENT_LLM_URL", url)
        monkeypatch_module.syspath_prepend(str(EXAMPLE))
        yield url


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def injection(tmp_path: Path, target: str, *args: str) -> tuple[int, GateResult]:
    out = tmp_path / target
    code = main(
        [
            "--config",
            CONFIG,
            "injection-test",
            "--target",
            target,
            "--results-dir",
            str(out),
            "--format",
            "json",
            *args,
        ]
    )
    return code, GateResult.read(out / "injection-test.json")


def test_example_corpus_has_at_least_50_attacks_of_every_kind() -> None:
    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 50
    assert {r["category"] for r in records} == set(CATEGORIES)
    assert {r.get("delivery", "user") for r in records} == {
        "user",
        "document",
        "tool_output",
        "history",
    }
    assert {r.get("language", "en") for r in records} >= {"en", "es", "fr", "de"}


def test_hardened_airline_agent_resists_everything_and_nothing_is_vacuous(
    airline_llm: str, tmp_path: Path
) -> None:
    code, result = injection(tmp_path, "agent", "--full")
    assert code == 0, [c.id for c in result.cases if c.status is not Status.PASS][:10]
    assert result.summary["successful_attacks"] == 0
    assert result.summary["not_delivered"] == 0 and result.summary["errors"] == 0
    assert set(result.details["categories"]) == set(CATEGORIES)
    assert set(result.details["by_delivery"]) == {"user", "document", "tool_output", "history"}
    user_attacks = [c for c in result.cases if c.id.startswith("air-")]
    assert len(user_attacks) == 54 and all(c.status is Status.PASS for c in user_attacks)


def test_naive_airline_agent_fails_every_category(airline_llm: str, tmp_path: Path) -> None:
    code, result = injection(tmp_path, "agent-naive", "--full")
    assert code == 1
    statuses = {name: c["status"] for name, c in result.details["categories"].items()}
    assert statuses == dict.fromkeys(CATEGORIES, "fail")
    refund = next(f for f in result.findings if f.properties["category"] == "excessive_agency")
    assert "request_refund" in refund.message
    # every attack can succeed on this agent's wiring, so none of the hardened agent's passes
    # is vacuous (an attack the naive agent also resists would prove nothing)
    resisted = [c.id for c in result.cases if c.status is not Status.FAIL]
    assert resisted == [] and len(result.cases) == 492


@pytest.mark.parametrize(
    ("target", "categories", "check"),
    [
        ("agent-translator", ["system_prompt_leak"], "canary:plain"),
        ("agent-translator", ["system_prompt_leak"], "prompt:rules"),  # also without canaries
        ("agent-base64", ["system_prompt_leak", "obfuscation"], "canary:base64"),
        ("agent-summariser", ["system_prompt_leak"], "prompt:"),
        ("agent-hinter", ["system_prompt_leak"], "canary:plain+partial"),
        ("agent-persona", ["jailbreak"], "marker:plain"),
    ],
)
def test_each_weakness_is_caught(
    airline_llm: str, tmp_path: Path, target: str, categories: list[str], check: str
) -> None:
    args = [arg for name in categories for arg in ("--category", name)]
    code, result = injection(tmp_path, target, "--full", *args)
    assert code == 1
    assert {n for n, c in result.details["categories"].items() if c["status"] == "fail"} >= {
        categories[0]
    }
    fired = [check_ for f in result.findings for check_ in f.properties["checks"]]
    assert any(c.startswith(check) for c in fired), fired
    assert all(len(f.properties["excerpt"]) <= 300 for f in result.findings)


def test_safe_agent_that_explains_its_refusals_is_not_flagged(
    airline_llm: str, tmp_path: Path
) -> None:
    code, result = injection(tmp_path, "agent-explainer", "--full")
    assert code == 0, [(c.id, c.reason) for c in result.cases if c.status is Status.FAIL][:5]
    named = [c for c in result.cases if "marker only named in a refusal" in str(c.details)]
    assert len(named) >= 50  # it names the marker it refuses, and that is not a success


def test_the_agent_ships_the_registry_prompt_through_the_runtime_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the agent sends is `genai_gate.prompts.load` of the registry prompt-lint checks."""
    monkeypatch.syspath_prepend(str(EXAMPLE))
    from airline_agent.app import respond, system_prompt

    registry = EXAMPLE / "prompts"
    checked = load_prompts(registry, EXAMPLE).prompts["airline-support-system"]
    runtime = prompts.load("airline-support-system", registry)
    assert runtime.content_hash == checked.content_hash()  # the hash lint and audit pin
    rendered = system_prompt("P-1001", ["QX7PLM"], ["Bags: one 23 kg bag."])
    assert rendered == runtime.render(
        passenger_name="Tom Baker",
        passenger_id="P-1001",
        bookings="QX7PLM",
        context="Bags: one 23 kg bag.",
    )
    # an edited copy of the registry is what the agent then sends, and a prompt whose
    # variables no longer match is refused before any model call
    copy = tmp_path / "prompts"
    shutil.copytree(registry, copy)
    edited = copy / "airline-support-system.yaml"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("You are Skye", "You are Skye (reviewed copy)"), "utf-8")
    assert "Skye (reviewed copy)" in system_prompt(None, [], [], copy)
    edited.write_text(text.replace(" bookings, context]", " context]"), encoding="utf-8")
    request = {"messages": [{"role": "user", "content": "hi"}]}
    with pytest.raises(prompts.PromptError, match=r"unknown variables \['bookings'\]"):
        respond(request, prompts_dir=str(copy), base_url="http://127.0.0.1:9/v1")
