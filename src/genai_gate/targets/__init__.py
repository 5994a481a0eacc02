"""The agent under test, behind one interface: openai, http, python and mock targets."""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from genai_gate.config import LoadedConfig

__all__ = [
    "ChatRequest",
    "ChatResponse",
    "ConnectionFailure",
    "PermanentError",
    "Target",
    "TargetError",
    "TokenUsage",
    "ToolCall",
    "TransientError",
    "build_target",
]


def _api_key(loaded: LoadedConfig, name: str, env: str | None) -> str | None:
    """The secret from the environment variable named by `api_key_env` (never logged)."""
    if env is None:
        return None
    value = os.environ.get(env)
    if not value:
        raise loaded.error(
            f"environment variable {env} (api_key_env) is not set or empty",
            "targets",
            name,
            "api_key_env",
        )
    from genai_gate.targets.headers import header_problem

    if header_problem("Authorization", value) is not None:  # never echo the value
        raise loaded.error(
            f"environment variable {env} (api_key_env) holds a line break or another control "
            "character (a trailing newline?); it cannot be sent in a header",
            "targets",
            name,
            "api_key_env",
        )
    return value


def _url(loaded: LoadedConfig, name: str, field: str, url: str, env: str | None) -> str:
    """The URL from the environment variable `env` when one is named, else `url`; checked."""
    if env is not None:
        url = os.environ.get(env, "")
        if not url:
            raise loaded.error(
                f"environment variable {env} ({field}_env) is not set or empty",
                "targets",
                name,
                f"{field}_env",
            )
        field = f"{field}_env"
    elif not url:
        raise loaded.error(f"give {field} or {field}_env", "targets", name)
    _check_url(loaded, name, field, url)
    return url


def _check_headers(loaded: LoadedConfig, name: str, headers: dict[str, str]) -> None:
    """Headers from the config that could not be sent (CR/LF injection, bad names)."""
    from genai_gate.targets.headers import header_problem

    for header, value in headers.items():
        problem = header_problem(header, value)
        if problem is not None:
            raise loaded.error(problem, "targets", name, "headers", header)


def _check_url(loaded: LoadedConfig, name: str, field: str, url: str) -> None:
    """Reject URLs that are not http(s) or that carry credentials (secrets stay in env vars)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.username or parts.password:
        raise loaded.error(
            "credentials in the URL are not allowed: put the key in an environment variable "
            "named by api_key_env",
            "targets",
            name,
            field,
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise loaded.error(
            f"expected an http:// or https:// URL, got {url!r}", "targets", name, field
        )


def build_target(loaded: LoadedConfig, name: str | None = None) -> Target:
    """Instantiate the target `name` (or the default one) of a loaded genai-gate.yaml."""
    from genai_gate.targets import config as tc

    name = loaded.target_name(name)
    cfg = loaded.model.targets[name]
    runner = loaded.model.runner
    if isinstance(cfg, tc.OpenAITargetConfig):
        from genai_gate.targets.openai import OpenAITarget
        from genai_gate.targets.prompts import system_prompt_text

        base_url = _url(loaded, name, "base_url", cfg.base_url, cfg.base_url_env)
        _check_headers(loaded, name, cfg.headers)
        system = None
        if cfg.system_prompt is not None:
            system = system_prompt_text(loaded, name, cfg.system_prompt)
        return OpenAITarget(
            name,
            base_url=base_url,
            model=cfg.model,
            api_key=_api_key(loaded, name, cfg.api_key_env),
            system_prompt=system,
            temperature=cfg.temperature,
            max_tokens=cfg.max_tokens,
            seed=cfg.seed,
            connect_timeout_s=runner.connect_timeout_s,
            api_key_header=cfg.api_key_header,
            headers=cfg.headers,
        )
    if isinstance(cfg, tc.HttpTargetConfig):
        from genai_gate.targets.http import KNOWN, HttpTarget, unknown_placeholders

        url = _url(loaded, name, "url", cfg.url, cfg.url_env)
        _check_headers(loaded, name, cfg.headers)
        unknown = unknown_placeholders(cfg.body)
        if unknown:
            raise loaded.error(
                f"unknown placeholder {{{{{unknown[0]}}}}} (known: "
                + ", ".join(KNOWN)
                + ", session.KEY)",
                "targets",
                name,
                "body",
            )
        return HttpTarget(
            name,
            url=url,
            body=cfg.body,
            response_path=cfg.response_path,
            method=cfg.method,
            headers=cfg.headers,
            api_key=_api_key(loaded, name, cfg.api_key_env),
            connect_timeout_s=runner.connect_timeout_s,
            tool_calls_path=cfg.tool_calls_path,
            usage_path=cfg.usage_path,
        )
    if isinstance(cfg, tc.PythonTargetConfig):
        from genai_gate.targets.python import PythonTarget, load_callable

        path = loaded.resolve(cfg.path) if cfg.path is not None else None
        try:
            function = load_callable(cfg.callable, path)
        except ValueError as exc:
            raise loaded.error(str(exc), "targets", name, "callable") from None
        return PythonTarget(
            name,
            cfg.callable,
            function,
            cfg.options,
            threads=runner.concurrency,
            dependencies=_dependencies_digest(loaded, name, cfg.depends_on),
        )
    from genai_gate.targets.mock import MockTarget

    return MockTarget.from_config(loaded, name, cfg.script)


def _dependencies_digest(loaded: LoadedConfig, name: str, depends_on: list[str]) -> str | None:
    """sha256 over the named files' contents and environment variables' values (None if none)."""
    if not depends_on:
        return None
    digest = hashlib.sha256()
    for index, item in enumerate(depends_on):
        if item.startswith("$"):
            value = os.environ.get(item[1:], "")
        else:
            try:
                value = loaded.resolve(item).read_bytes().hex()
            except OSError:
                raise loaded.error(
                    f"cannot read {item!r}", "targets", name, "depends_on", index
                ) from None
        digest.update(f"{item}\0{value}\0".encode())
    return "sha256:" + digest.hexdigest()
