"""`respond(request)`: the python target genai-gate calls (docs/python-target-request.md).

The model is any OpenAI-compatible endpoint: the official client reads `OPENAI_BASE_URL` and
`OPENAI_API_KEY` (in CI the workflow serves genai-gate's mock LLM there).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import openai
import yaml

PROMPT = Path(__file__).resolve().parent.parent / "prompts" / "faq-system.yaml"


def system_prompt() -> str:
    """The registered system prompt (python format, no variables)."""
    data = yaml.safe_load(PROMPT.read_text(encoding="utf-8"))
    return str(data["template"])


def respond(request: dict[str, Any], **options: Any) -> dict[str, Any]:
    """Answer the last user message of `request["messages"]`."""
    client = openai.OpenAI(api_key=os.environ.get("OPENAI_API_KEY") or "unused-by-the-mock")
    system = system_prompt()
    documents = [str(doc) for doc in request.get("context") or []]
    if documents:  # retrieved documents (the test case supplies them as `context`)
        system += "\n\nDocuments:\n" + "\n---\n".join(documents)
    messages = [{"role": "system", "content": system}, *request.get("messages", [])]
    completion = client.chat.completions.create(
        model=options.get("model") or "faq-mini", messages=messages
    )
    usage = completion.usage
    return {
        "content": completion.choices[0].message.content or "",
        "usage": {
            "prompt_tokens": usage.prompt_tokens if usage else 0,
            "completion_tokens": usage.completion_tokens if usage else 0,
        },
        "model": completion.model,
    }
