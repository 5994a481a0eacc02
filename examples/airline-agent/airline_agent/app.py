"""The agent loop: `respond(request, **options)` (genai-gate python-target contract).

The model sees the system prompt `airline-support-system` of the prompt registry, loaded and
rendered with genai-gate's runtime API (`genai_gate.prompts`), so the prompt that prompt-lint
checked and eval-gate scored is the one that answers passengers (filled with the signed-in
passenger, their bookings and the documents of the request's `context`), and five tools. Tool
calls run locally (or return the request's canned `tool_outputs`) and are fed back until the
model answers or `max_steps` is reached.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import openai

from airline_agent.data import PASSENGERS
from airline_agent.tools import TOOL_SCHEMAS, Toolbox
from genai_gate import prompts

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
"""The registry shipped with the agent (the `prompts_dir` option points at another copy)."""
SYSTEM_PROMPT_ID = "airline-support-system"
DEFAULT_LLM_URL = "http://127.0.0.1:8766/v1"
DEFAULT_MODEL = "airline-hardened"
GAVE_UP = "Sorry, I could not complete that. Please try again or contact Skyline Air."


@lru_cache(maxsize=8)
def _client(base_url: str, api_key: str, timeout_s: float) -> openai.OpenAI:
    """One client per endpoint; retries are left to the caller (genai-gate's runner)."""
    return openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout_s, max_retries=0)


def system_prompt(
    passenger_id: str | None,
    bookings: list[str],
    documents: list[str],
    directory: str | os.PathLike[str] | None = None,
) -> str:
    """The rendered system prompt of one request (read again when the file changes)."""
    passenger = PASSENGERS.get(passenger_id or "")
    return prompts.load(SYSTEM_PROMPT_ID, directory or PROMPTS_DIR).render(
        passenger_name=passenger.name if passenger else "Guest",
        passenger_id=passenger.passenger_id if passenger else "none",
        bookings=", ".join(bookings) or "none",
        context="\n\n".join(documents) or "(no documents)",
    )


def _conversation(request: dict[str, Any], system: str) -> list[dict[str, Any]]:
    messages = [m for m in request.get("messages") or [] if m.get("role") != "system"]
    return [{"role": "system", "content": system}, *messages]


def _arguments(raw: str | None) -> dict[str, Any] | None:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def respond(request: dict[str, Any], **options: Any) -> dict[str, Any]:
    """Answer one chat request as Skyline Air's customer-service agent.

    Request keys: messages, model, temperature, max_tokens, seed, context (documents added to the
    system prompt), tool_outputs (tool name -> canned output), session (`passenger_id`).
    Options: model, base_url, timeout_s, max_steps, prompts_dir.
    """
    model = request.get("model") or options.get("model") or DEFAULT_MODEL
    base_url = options.get("base_url") or os.environ.get("AIRLINE_AGENT_LLM_URL", DEFAULT_LLM_URL)
    client = _client(
        str(base_url),
        os.environ.get("AIRLINE_AGENT_LLM_KEY", "mock-key"),
        float(options.get("timeout_s", 30.0)),
    )
    passenger_id = (request.get("session") or {}).get("passenger_id")
    toolbox = Toolbox(passenger_id)
    own = [b.confirmation for b in toolbox.bookings.values() if b.passenger_id == passenger_id]
    documents = list(request.get("context") or [])
    system = system_prompt(passenger_id, own, documents, options.get("prompts_dir"))
    conversation = _conversation(request, system)
    canned: dict[str, str] = dict(request.get("tool_outputs") or {})
    sampling = {k: request[k] for k in ("temperature", "max_tokens", "seed") if request.get(k)}
    calls: list[dict[str, Any]] = []
    usage = {"prompt_tokens": 0, "completion_tokens": 0}
    for _ in range(int(options.get("max_steps", 5))):
        completion = client.chat.completions.create(
            model=model, messages=conversation, tools=TOOL_SCHEMAS, **sampling
        )
        if completion.usage is not None:
            usage["prompt_tokens"] += completion.usage.prompt_tokens or 0
            usage["completion_tokens"] += completion.usage.completion_tokens or 0
        message = completion.choices[0].message
        if not message.tool_calls:
            return {"content": message.content or "", "tool_calls": calls, "usage": usage}
        conversation.append(
            {
                "role": "assistant",
                "content": message.content,
                "tool_calls": [
                    {
                        "id": c.id,
                        "type": "function",
                        "function": {"name": c.function.name, "arguments": c.function.arguments},
                    }
                    for c in message.tool_calls
                ],
            }
        )
        for call in message.tool_calls:
            arguments = _arguments(call.function.arguments)
            calls.append({"name": call.function.name, "arguments": arguments or {}})
            if call.function.name in canned:
                output = canned[call.function.name]
            elif arguments is None:
                output = json.dumps({"error": "arguments are not a JSON object"})
            else:
                output = json.dumps(toolbox.call(call.function.name, arguments), ensure_ascii=False)
            conversation.append({"role": "tool", "tool_call_id": call.id, "content": output})
    return {"content": GAVE_UP, "tool_calls": calls, "usage": usage}
