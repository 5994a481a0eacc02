"""`mock` target: the mock LLM's script engine in-process (no HTTP)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genai_gate.targets.interface import (
    ChatRequest,
    ChatResponse,
    PermanentError,
    Target,
    TokenUsage,
    ToolCall,
)

if TYPE_CHECKING:
    from genai_gate.config import LoadedConfig
    from genai_gate.mockllm.engine import Engine


class MockTarget(Target):
    """Answers from a mock script, exactly as `genai-gate mock-llm serve` would."""

    def __init__(self, name: str, engine: Engine) -> None:
        self.name = name
        self.engine = engine

    @classmethod
    def from_path(cls, name: str, path: Path) -> MockTarget:
        """A mock target answering from the script at `path`."""
        from genai_gate.mockllm.engine import Engine
        from genai_gate.mockllm.script import load_script

        return cls(name, Engine(load_script(path)))

    @classmethod
    def from_config(cls, loaded: LoadedConfig, name: str, script: str) -> MockTarget:
        """`script` is a path relative to the config file or a built-in script name."""
        from genai_gate.mockllm.script import builtin_script_path

        path = loaded.resolve(script)
        if not path.is_file():
            builtin = builtin_script_path(script)
            if builtin is None:
                raise loaded.error(
                    f"mock script {script!r} not found ({path}) and not a built-in script",
                    "targets",
                    name,
                    "script",
                )
            path = builtin
        return cls.from_path(name, path)

    def identity(self) -> dict[str, Any]:
        return {"type": "mock", "script": self.engine.script.digest}

    async def complete(self, request: ChatRequest) -> ChatResponse:
        from genai_gate.mockllm.engine import UnknownModel

        messages = list(request.messages)
        if request.context:
            documents = "\n\n".join(request.context)
            messages.insert(0, {"role": "system", "content": f"Retrieved context:\n{documents}"})
        messages += request.tool_exchange()
        body = {
            "model": request.model,
            "messages": messages,
            "tools": list(request.tools),
            "seed": request.seed,
        }
        try:
            reply = self.engine.reply(body)
        except UnknownModel as exc:
            raise PermanentError(f"{self.name}: {exc}") from None
        return ChatResponse(
            content=reply.content or "",
            tool_calls=tuple(
                ToolCall(
                    name=call.name,
                    arguments=call.arguments,
                    raw_arguments=json.dumps(call.arguments, ensure_ascii=False),
                    id=call.id,
                )
                for call in reply.tool_calls
            ),
            usage=TokenUsage(reply.prompt_tokens, reply.completion_tokens),
            model=reply.model,
        )
