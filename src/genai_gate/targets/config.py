"""The `targets:` section of genai-gate.yaml: one entry per agent / endpoint under test."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from genai_gate.schema import StrictModel


class OpenAITargetConfig(StrictModel):
    """Any OpenAI-compatible chat-completions endpoint (OpenAI, Azure, vLLM, Ollama, LiteLLM)."""

    type: Literal["openai"]
    """Selects this target kind."""
    base_url: str = "https://api.openai.com/v1"
    """Base URL up to and including `/v1`."""
    base_url_env: str | None = None
    """Name of an environment variable holding the base URL; when set it replaces `base_url`
    (a self-hosted gateway per environment, the mock LLM's port in CI); unset or empty is an
    error, never a silent fall-back to `base_url`."""
    model: str
    """Model name sent in the request."""
    api_key_env: str | None = None
    """Name of the environment variable holding the API key (never the key itself)."""
    api_key_header: str = "Authorization"
    """Header carrying the key: `Authorization` sends `Bearer KEY`; any other (Azure:
    `api-key`) sends the key as is."""
    headers: dict[str, str] = Field(default_factory=dict)
    """Literal non-secret headers (e.g. `OpenAI-Organization`)."""
    system_prompt: str | None = None
    """Prompt id from the prompt registry used as the system message."""
    temperature: float | None = None
    """Sampling temperature sent with every request (None: the endpoint's default)."""
    max_tokens: int | None = None
    """Completion token limit sent with every request."""
    seed: int | None = None
    """Seed sent when the request carries none (eval sends `eval.seed + k`)."""


class HttpTargetConfig(StrictModel):
    """A JSON-over-HTTP endpoint: a request body template and a path to the answer."""

    type: Literal["http"]
    """Selects this target kind."""
    url: str = ""
    """Endpoint URL (give `url` or `url_env`)."""
    url_env: str | None = None
    """Name of an environment variable holding the URL; when set it replaces `url`."""
    method: Literal["POST", "PUT"] = "POST"
    """HTTP method of the request."""
    body: Any
    """JSON body template; `{{input}}`, `{{messages}}` ... are substituted."""
    response_path: str
    """Dotted path to the answer text in the JSON response (e.g. `output.text`)."""
    tool_calls_path: str | None = None
    """Dotted path to a list of `{name, arguments}` tool calls the agent made (optional)."""
    usage_path: str | None = None
    """Dotted path to `{prompt_tokens, completion_tokens}` (optional)."""
    headers: dict[str, str] = Field(default_factory=dict)
    """Literal non-secret headers."""
    api_key_env: str | None = None
    """Environment variable whose value is sent as `Authorization: Bearer ...`."""


class PythonTargetConfig(StrictModel):
    """An in-process callable `module:function`, sync or async."""

    type: Literal["python"]
    """Selects this target kind (contract: docs/python-target-request.md, ...-reply.md)."""
    callable: str
    """`package.module:function`."""
    path: str | None = None
    """Folder added to sys.path, relative to the config file."""
    options: dict[str, Any] = Field(default_factory=dict)
    """Keyword arguments passed to the callable's factory or call."""
    depends_on: list[str] = Field(default_factory=list)
    """What else decides the agent's answers, part of the cache identity: files relative to the
    config (e.g. the LLM mock script) and `$NAME` environment variables (e.g. the LLM URL)."""


class MockTargetConfig(StrictModel):
    """A scripted target answering from rules (see `genai_gate.mockllm`)."""

    type: Literal["mock"]
    """Selects this target kind (script format: docs/mock-llm-script.md)."""
    script: str
    """Path of the mock script, relative to the config file, or a built-in script name."""


TargetConfig = Annotated[
    OpenAITargetConfig | HttpTargetConfig | PythonTargetConfig | MockTargetConfig,
    Field(discriminator="type"),
]
