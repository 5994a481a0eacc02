"""The agent loop: `respond(request, **options)` (genai-gate python-target
contract: docs/python-target-request.md).

The model sees a system prompt rendered from the prompt registry (the authenticated customer and
the retrieved policy documents filled in) and the three bank tools. Tool calls are executed
locally and their results fed back until the model answers or `max_steps` is reached.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Any

import openai

from bank_agent.bank import Bank, Customer
from bank_agent.prompts import load_prompt, prompts_dir
from bank_agent.retrieval import Document, retrieve
from bank_agent.tools import TOOL_SCHEMAS, Toolbox

DEFAULT_LLM_URL = "http://127.0.0.1:8765/v1"
DEFAULT_MODEL = "bank-hardened"
SYSTEM_PROMPT_ID = "bank-support-system"
GAVE_UP = "I'm sorry, I could not complete your request. Please try again or contact us."


@lru_cache(maxsize=8)
def _client(base_url: str, api_key: str, timeout_s: float) -> openai.OpenAI:
    """One client per endpoint (its connection pool is shared by concurrent calls).

    Retries are left to the caller (genai-gate's runner), so failures surface at once.
    """
    return openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout_s, max_retries=0)


def llm_client(options: dict[str, Any]) -> openai.OpenAI:
    """The OpenAI client for `$BANK_AGENT_LLM_URL` (or the `base_url` option)."""
    base_url = options.get("base_url") or os.environ.get("BANK_AGENT_LLM_URL", DEFAULT_LLM_URL)
    api_key = os.environ.get("BANK_AGENT_LLM_KEY", "mock-key")
    return _client(str(base_url), api_key, float(options.get("timeout_s", 30.0)))


def _last_user_text(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            return str(message.get("content") or "")
    return ""


def render_context(documents: list[Document]) -> str:
    """Retrieved documents as they appear in the system prompt."""
    if not documents:
        return "(no relevant documents found)"
    return "\n\n".join(doc.render() for doc in documents)


def system_prompt(
    bank: Bank, customer: Customer | None, documents: list[Document], prompts: str | None = None
) -> str:
    """The rendered system prompt for one request."""
    if customer is None:
        name, customer_id, accounts = "Guest", "none", "none (the user is not authenticated)"
    else:
        name, customer_id = customer.name, customer.customer_id
        accounts = ", ".join(
            f"{a.account_id} ({a.kind}, {a.currency})" for a in bank.accounts_of(customer_id)
        )
    prompt = load_prompt(SYSTEM_PROMPT_ID, prompts_dir(prompts))
    return prompt.render(
        customer_name=name,
        customer_id=customer_id,
        accounts=accounts,
        context=render_context(documents),
    )


def _conversation(request: dict[str, Any], system: str) -> list[dict[str, Any]]:
    """System prompt first; system messages of the request are appended to it."""
    messages = list(request.get("messages") or [])
    extra = [str(m.get("content") or "") for m in messages if m.get("role") == "system"]
    return [
        {"role": "system", "content": "\n\n".join([system, *extra])},
        *(m for m in messages if m.get("role") != "system"),
    ]


def _sampling(request: dict[str, Any]) -> dict[str, Any]:
    keys = ("temperature", "max_tokens", "seed")
    return {k: request[k] for k in keys if request.get(k) is not None}


def _parse_arguments(raw: str | None) -> dict[str, Any] | None:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _assistant_turn(content: str | None, tool_calls: Any) -> dict[str, Any]:
    """The assistant's tool-calling message, in the plain shape every endpoint accepts."""
    return {
        "role": "assistant",
        "content": content,
        "tool_calls": [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.function.name, "arguments": call.function.arguments},
            }
            for call in tool_calls
        ],
    }


def respond(request: dict[str, Any], **options: Any) -> dict[str, Any]:
    """Answer one chat request as the bank's support agent.

    `request` keys (all optional except messages): messages, tools (ignored: the agent offers its
    own), temperature, max_tokens, seed, model, context (extra documents added to retrieval),
    tool_outputs (tool name -> canned output replacing the real one), session (`customer_id`).
    Options: model, base_url, timeout_s, max_steps, prompts_dir.
    """
    model = request.get("model") or options.get("model") or DEFAULT_MODEL
    max_steps = int(options.get("max_steps", 6))
    canned: dict[str, str] = dict(request.get("tool_outputs") or {})
    session = request.get("session") or {}
    bank = Bank.demo()
    customer = bank.customer(session.get("customer_id"))
    toolbox = Toolbox(bank, customer.customer_id if customer else None)

    question = _last_user_text(list(request.get("messages") or []))
    documents = retrieve(question, list(request.get("context") or []))
    system = system_prompt(bank, customer, documents, options.get("prompts_dir"))
    conversation = _conversation(request, system)

    client = llm_client(options)
    calls: list[dict[str, Any]] = []
    usage = {"prompt_tokens": 0, "completion_tokens": 0}
    answered_by = model
    for _ in range(max_steps):
        completion = client.chat.completions.create(
            model=model, messages=conversation, tools=TOOL_SCHEMAS, **_sampling(request)
        )
        answered_by = completion.model or model
        if completion.usage is not None:
            usage["prompt_tokens"] += completion.usage.prompt_tokens or 0
            usage["completion_tokens"] += completion.usage.completion_tokens or 0
        message = completion.choices[0].message
        if not message.tool_calls:
            content = message.content or ""
            return {"content": content, "tool_calls": calls, "usage": usage, "model": answered_by}
        conversation.append(_assistant_turn(message.content, message.tool_calls))
        for call in message.tool_calls:
            name = call.function.name
            arguments = _parse_arguments(call.function.arguments)
            calls.append({"name": name, "arguments": arguments or {}})
            if name in canned:
                output = canned[name]
            elif arguments is None:
                output = json.dumps({"error": "arguments are not a JSON object"})
            else:
                output = json.dumps(toolbox.call(name, arguments), ensure_ascii=False)
            conversation.append({"role": "tool", "tool_call_id": call.id, "content": output})
    return {"content": GAVE_UP, "tool_calls": calls, "usage": usage, "model": answered_by}
