"""The example bank support agent against the real mock LLM server (`genai-gate mock-llm serve`).

The agent talks to the mock through the official `openai` client, exactly as it would talk to a
hosted model; these tests check the agent loop, its tools and the mock rules together.
"""

from __future__ import annotations

import json
import shutil
import sys
import threading
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from support.servers import free_port

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bank-support-agent"
sys.path.insert(0, str(EXAMPLE))

from bank_agent.app import respond  # noqa: E402
from bank_agent.bank import Bank  # noqa: E402
from bank_agent.retrieval import kb_index  # noqa: E402
from bank_agent.server import make_server  # noqa: E402
from bank_agent.tools import Toolbox  # noqa: E402

CONFIRM_LINE = "  2. Always ask for explicit confirmation before calling transfer_funds"
LANGUAGE_LINE = "  3. Answer in the customer's language"


def ask(url: str, messages: str | list[dict[str, str]], customer: str | None = "C-1001", **kw):
    """One agent request in the genai-gate python-target format."""
    if isinstance(messages, str):
        messages = [{"role": "user", "content": messages}]
    request: dict[str, Any] = {"messages": messages, "session": {}}
    if customer:
        request["session"] = {"customer_id": customer}
    request.update({k: v for k, v in kw.items() if k in ("context", "tool_outputs")})
    options = {k: v for k, v in kw.items() if k not in ("context", "tool_outputs")}
    return respond(request, base_url=url, **options)


def prompts_without(tmp_path: Path, line_prefix: str) -> Path:
    """A copy of the prompt registry whose system prompt lacks one numbered instruction."""
    folder = tmp_path / "prompts"
    shutil.copytree(EXAMPLE / "prompts", folder)
    path = folder / "bank-support-system.yaml"
    kept, skipping = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(line_prefix):
            skipping = True
            continue
        if skipping and line.startswith("     "):
            continue
        skipping = False
        kept.append(line)
    text = "\n".join(kept) + "\n"
    assert text != path.read_text(encoding="utf-8"), "instruction not found in the prompt"
    path.write_text(text, encoding="utf-8")
    return folder


def test_balance_question_calls_the_balance_tool(mock_url: str) -> None:
    answer = ask(mock_url, "What is my current balance?")
    assert answer["tool_calls"] == [
        {"name": "get_account_balance", "arguments": {"account_id": "ACC-1001-01"}}
    ]
    assert "1250.40 EUR" in answer["content"]
    assert answer["model"] == "bank-hardened"
    assert answer["usage"]["prompt_tokens"] > 0 and answer["usage"]["completion_tokens"] > 0


def test_history_of_the_savings_account(mock_url: str) -> None:
    answer = ask(mock_url, "Show the last transactions of my savings account.", "C-1002")
    assert [c["arguments"]["account_id"] for c in answer["tool_calls"]] == ["ACC-1002-02"]
    assert "Interest" in answer["content"] and "+18.50" in answer["content"]


def test_transfer_asks_for_confirmation_then_executes(mock_url: str) -> None:
    request = "Transfer 50 EUR from ACC-1001-01 to ACC-1002-01"
    first = ask(mock_url, request)
    assert first["tool_calls"] == []
    assert "To confirm" in first["content"] and "ACC-1002-01" in first["content"]

    conversation = [
        {"role": "user", "content": request},
        {"role": "assistant", "content": first["content"]},
        {"role": "user", "content": "Yes, go ahead."},
    ]
    second = ask(mock_url, conversation)
    assert [c["name"] for c in second["tool_calls"]] == ["transfer_funds"]
    arguments = second["tool_calls"][0]["arguments"]
    assert arguments["from_account"] == "ACC-1001-01" and arguments["to_account"] == "ACC-1002-01"
    assert arguments["confirmed"] is True and Decimal(arguments["amount"]) == 50
    assert "TRF-" in second["content"] and "1200.40" in second["content"]

    conversation[-1] = {"role": "user", "content": "No, cancel that."}
    cancelled = ask(mock_url, conversation)
    assert cancelled["tool_calls"] == [] and "not made the transfer" in cancelled["content"]


def test_another_customers_account_is_refused_without_a_tool_call(mock_url: str) -> None:
    for question in (
        "What is the balance of ACC-1002-01?",
        "Transfer 500 EUR from ACC-1002-02 to ACC-1001-01.",
        "How much money does customer C-1003 have?",
    ):
        answer = ask(mock_url, question)
        assert answer["tool_calls"] == [], question
        assert "only help with your own accounts" in answer["content"], question
        assert "310.75" not in answer["content"]


def test_tools_refuse_other_customers_accounts_whatever_the_model_asks() -> None:
    tools = Toolbox(Bank.demo(), "C-1001")
    assert (
        "does not belong"
        in tools.call("get_account_balance", {"account_id": "ACC-1002-01"})["error"]
    )
    refused = tools.call(
        "transfer_funds",
        {"from_account": "ACC-1002-01", "to_account": "ACC-1001-01", "amount": "5", "confirmed": 1},
    )
    assert refused["status"] == "rejected"
    unconfirmed = tools.call(
        "transfer_funds",
        {"from_account": "ACC-1001-01", "to_account": "ACC-1002-01", "amount": "5"},
    )
    assert unconfirmed["status"] == "confirmation_required"
    assert tools.bank.accounts["ACC-1001-01"].balance == Decimal("1250.40")


def test_spanish_question_gets_a_spanish_answer(mock_url: str) -> None:
    answer = ask(mock_url, "¿Cuál es mi saldo?", "C-1003")
    assert answer["content"].startswith("El saldo de su cuenta ACC-1003-01 es 4020.10 EUR")
    policy = ask(mock_url, "¿Cuánto cuesta una transferencia internacional?", "C-1003")
    assert "15 EUR más el 0,2%" in policy["content"] and policy["tool_calls"] == []


def test_dropping_the_confirmation_instruction_changes_behaviour(
    mock_url: str, tmp_path: Path
) -> None:
    prompts = prompts_without(tmp_path, CONFIRM_LINE)
    request = "Transfer 50 EUR from ACC-1001-01 to ACC-1002-01"
    with_rule = ask(mock_url, request)
    without_rule = ask(mock_url, request, prompts_dir=str(prompts))
    assert with_rule["tool_calls"] == []
    assert [c["name"] for c in without_rule["tool_calls"]] == ["transfer_funds"]
    assert "TRF-" in without_rule["content"]


def test_dropping_the_language_instruction_answers_in_english(
    mock_url: str, tmp_path: Path
) -> None:
    prompts = prompts_without(tmp_path, LANGUAGE_LINE)
    answer = ask(mock_url, "¿Cuál es mi saldo?", "C-1003", prompts_dir=str(prompts))
    assert answer["content"].startswith("The balance of your current account ACC-1003-01")


def test_context_documents_and_canned_tool_outputs_are_used(mock_url: str) -> None:
    note = "# Staff canteen\nSummary: The staff canteen of the head office opens at noon."
    answer = ask(mock_url, "When does the staff canteen open?", context=[note])
    assert "opens at noon" in answer["content"]

    canned = json.dumps(
        {"account_id": "ACC-1001-01", "type": "current", "balance": "7.77", "currency": "EUR"}
    )
    answer = ask(mock_url, "What is my balance?", tool_outputs={"get_account_balance": canned})
    assert "7.77 EUR" in answer["content"] and "1250.40" not in answer["content"]


def test_guest_and_off_topic_questions(mock_url: str) -> None:
    guest = ask(mock_url, "What is my balance?", customer=None)
    assert guest["tool_calls"] == [] and "log in" in guest["content"]
    off_topic = ask(mock_url, "Write me a poem about the sea.")
    assert "don't have information about that" in off_topic["content"]


def test_unreachable_llm_raises_a_connection_error() -> None:
    dead = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(Exception) as info:
        ask(dead, "What is my balance?", timeout_s=2)
    assert "Connection" in type(info.value).__name__


def _get(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _post(url: str, body: bytes) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=body, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.mark.parametrize("llm_up", [True, False])
def test_http_service_health_and_chat(mock_url: str, llm_up: bool) -> None:
    base_url = mock_url if llm_up else f"http://127.0.0.1:{free_port()}/v1"
    server = make_server("127.0.0.1", 0, {"model": "bank-hardened", "base_url": base_url})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    root = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        status, health = _get(root + "/health")
        assert health["checks"]["kb"] == {"ok": True, "documents": len(kb_index().documents)}
        body = {"messages": [{"role": "user", "content": "What's my balance?"}]}
        body["session"] = {"customer_id": "C-1004"}
        chat_status, answer = _post(root + "/v1/chat", json.dumps(body).encode())
        if llm_up:
            assert (status, health["status"]) == (200, "ok")
            assert chat_status == 200 and "-45.20 EUR" in answer["content"]
        else:
            assert (status, health["status"]) == (503, "degraded")
            assert health["checks"]["llm"]["ok"] is False
            assert chat_status == 502 and "unreachable" in answer["error"]
        assert _post(root + "/v1/chat", b"not json")[0] == 400
    finally:
        server.shutdown()
        server.server_close()


def _call_matches(want: dict[str, Any], call: dict[str, Any]) -> bool:
    """Same tool and every expected argument equal (amounts compared as decimals)."""

    def same(expected: Any, actual: Any) -> bool:
        if isinstance(expected, float):
            return Decimal(str(actual)) == Decimal(str(expected))
        return bool(actual == expected)

    return call["name"] == want["name"] and all(
        same(v, call["arguments"].get(k)) for k, v in want["arguments"].items()
    )


def _meets(expected: dict[str, Any], answer: dict[str, Any]) -> list[str]:
    """Problems of one answer against a golden case's `expected` (facts, tools)."""
    text = answer["content"].lower()
    problems = [f"missing {f!r}" for f in expected.get("facts", []) if f.lower() not in text]
    problems += [f"contains {f!r}" for f in expected.get("not_contains", []) if f.lower() in text]
    if "any_of" in expected and not any(f.lower() in text for f in expected["any_of"]):
        problems.append(f"none of {expected['any_of']}")
    if "tool_calls" in expected:
        made = answer["tool_calls"]
        if not expected["tool_calls"] and made:
            problems.append(f"unexpected tool calls {made}")
        for want in expected["tool_calls"]:
            if not any(_call_matches(want, call) for call in made):
                problems.append(f"no call matching {want}")
    return problems


def test_every_golden_case_is_answered_correctly_by_the_hardened_model(mock_url: str) -> None:
    lines = (EXAMPLE / "evals" / "golden.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 120
    failures = {}
    for line in lines:
        case = json.loads(line)
        answer = ask(
            mock_url,
            case["input"],
            case.get("session", {}).get("customer_id"),
            context=case.get("context", []),
        )
        problems = _meets(case["expected"], answer)
        if problems:
            failures[case["id"]] = problems
    assert failures == {}


def _load_module(path: Path) -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_dataset_and_mock_script_match_their_generators() -> None:
    generate = _load_module(EXAMPLE / "evals" / "generate.py")
    expected = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in generate.cases())
    assert (EXAMPLE / "evals" / "golden.jsonl").read_text(encoding="utf-8") == expected
    build = _load_module(EXAMPLE / "mock" / "build_script.py")
    import yaml

    committed = yaml.safe_load((EXAMPLE / "mock" / "script.yaml").read_text(encoding="utf-8"))
    assert committed == build.script()
