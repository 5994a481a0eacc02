"""`python` target: an in-process callable `module:function` (contract:
docs/python-target-request.md and docs/python-target-reply.md).

`function(request: dict, **options) -> str | dict`, sync (run in a thread pool) or async.
Exceptions are mapped: connection / timeout errors open the circuit breaker, exceptions with a
`status_code` of 429 or 5xx are retried, anything else fails that request.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import importlib
import inspect
import json
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from genai_gate.targets.httpclient import retry_after_seconds
from genai_gate.targets.interface import (
    ChatRequest,
    ChatResponse,
    ConnectionFailure,
    PermanentError,
    Target,
    TargetError,
    TokenUsage,
    ToolCall,
    TransientError,
)

_SOURCE_SUFFIXES = {".py", ".yaml", ".yml", ".json", ".txt", ".md", ".j2", ".jinja"}


def load_callable(spec: str, path: Path | None) -> Callable[..., Any]:
    """Import `package.module:function`, with `path` put first on sys.path."""
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name or not attribute:
        raise ValueError(f"expected 'module:function', got {spec!r}")
    if path is not None and str(path) not in sys.path:
        sys.path.insert(0, str(path))
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ValueError(f"cannot import {module_name!r}: {exc}") from None
    target: object = module
    for part in attribute.split("."):
        if not hasattr(target, part):
            raise ValueError(f"module {module_name!r} has no attribute {attribute!r}")
        target = getattr(target, part)
    if not callable(target):
        raise ValueError(f"{spec!r} is not callable")
    return target


def source_digest(function: Callable[..., Any]) -> str | None:
    """sha256 over the source files of the top-level package that defines `function`.

    Part of the target identity, so that changing the agent's code invalidates its cache entries.
    """
    module = sys.modules.get(getattr(function, "__module__", "") or "")
    file = getattr(module, "__file__", None)
    if not file:
        return None
    top = sys.modules.get(module.__name__.split(".")[0]) if module else None
    root_file = getattr(top, "__file__", None) or file
    root = Path(root_file).parent if Path(root_file).name == "__init__.py" else Path(file)
    files = sorted(root.rglob("*")) if root.is_dir() else [root]
    digest = hashlib.sha256()
    for item in files:
        if item.is_file() and item.suffix in _SOURCE_SUFFIXES and "__pycache__" not in item.parts:
            digest.update(str(item.relative_to(root.parent)).encode())
            digest.update(item.read_bytes())
    return "sha256:" + digest.hexdigest()


def map_exception(exc: BaseException, spec: str) -> TargetError:
    """Turn an exception raised by the callable into the runner's error classes."""
    if isinstance(exc, TargetError):  # already classified (e.g. by a wrapper around a target)
        return exc
    name = type(exc).__name__
    message = f"{spec} raised {name}: {exc}"
    if isinstance(exc, (ConnectionError, TimeoutError)) or any(
        word in klass.__name__ for klass in type(exc).__mro__ for word in ("Connection", "Timeout")
    ):
        return ConnectionFailure(message)
    status = getattr(exc, "status_code", None)
    if isinstance(status, int) and (status == 429 or status >= 500):
        headers = getattr(getattr(exc, "response", None), "headers", None) or {}
        retry_after = headers.get("retry-after") if hasattr(headers, "get") else None
        return TransientError(message, retry_after_s=retry_after_seconds(retry_after))
    return PermanentError(message)


def to_response(result: Any, spec: str) -> ChatResponse:
    """A ChatResponse from the callable's return value (str or dict)."""
    if isinstance(result, str):
        return ChatResponse(content=result)
    if not isinstance(result, dict) or not isinstance(result.get("content", ""), str):
        kind = type(result).__name__
        raise PermanentError(f"{spec} returned {kind}; expected str or dict with 'content'")
    calls = []
    for call in result.get("tool_calls") or ():
        if not isinstance(call, dict) or not isinstance(call.get("name"), str):
            raise PermanentError(f"{spec} returned a tool call without a name: {call!r}")
        arguments = call.get("arguments") or {}
        if isinstance(arguments, str):
            raw = arguments
            try:
                arguments = json.loads(arguments)
            except ValueError:
                arguments = {}
        else:
            raw = json.dumps(arguments, ensure_ascii=False, sort_keys=True)
        calls.append(
            ToolCall(
                name=call["name"],
                arguments=arguments if isinstance(arguments, dict) else {},
                raw_arguments=raw,
                id=str(call.get("id", "")),
            )
        )
    return ChatResponse(
        content=result.get("content") or "",
        tool_calls=tuple(calls),
        usage=TokenUsage.from_json(result.get("usage")),
        model=result.get("model"),
    )


class PythonTarget(Target):
    """Calls `function(request_dict, **options)`; sync functions run in a thread pool."""

    def __init__(
        self,
        name: str,
        spec: str,
        function: Callable[..., Any],
        options: dict[str, Any] | None = None,
        threads: int = 32,
        dependencies: str | None = None,
    ) -> None:
        self.name = name
        self.spec = spec
        self.function = function
        self.options = dict(options or {})
        self.is_async = inspect.iscoroutinefunction(function) or inspect.iscoroutinefunction(
            getattr(function, "__call__", None)  # noqa: B004 - async callable objects
        )
        self.threads = threads
        self.executor: ThreadPoolExecutor | None = None
        self._digest = source_digest(function)
        self._dependencies = dependencies

    def identity(self) -> dict[str, Any]:
        return {
            "type": "python",
            "callable": self.spec,
            "options": self.options,
            "source": self._digest,
            "depends_on": self._dependencies,
        }

    async def complete(self, request: ChatRequest) -> ChatResponse:
        payload = request.cache_payload()
        try:
            if self.is_async:
                result = await self.function(payload, **self.options)
            else:
                if self.executor is None:
                    self.executor = ThreadPoolExecutor(self.threads, thread_name_prefix="target")
                call = functools.partial(self.function, payload, **self.options)
                result = await asyncio.get_running_loop().run_in_executor(self.executor, call)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise map_exception(exc, self.spec) from exc
        return to_response(result, self.spec)

    async def aclose(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None
