"""Targets built from genai-gate.yaml: openai and http against the real mock server, python
(sync, async, exception mapping) and mock (in-process script engine)."""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path
from typing import Any

import pytest

from genai_gate.config import LoadedConfig, load_config
from genai_gate.errors import ConfigError
from genai_gate.mockllm.engine import Engine
from genai_gate.mockllm.script import load_script
from genai_gate.mockllm.server import Faults, running_server
from genai_gate.runner import Job, Runner
from genai_gate.targets import build_target
from genai_gate.targets.httpclient import retry_after_seconds
from genai_gate.targets.interface import (
    ChatRequest,
    ConnectionFailure,
    PermanentError,
    TransientError,
)
from genai_gate.targets.python import map_exception

SCRIPT = """\
version: 1
default_model: bank
models:
  bank:
    rules:
      - id: balance-result
        when: {tool_result: get_account_balance}
        reply: "Your balance is {{tool_result.balance}} {{tool_result.currency}}."
      - id: balance
        when: {user: "(?i)balance of (?P<acc>ACC-\\\\d+)", tools_offered: get_account_balance}
        tool_call: {name: get_account_balance, arguments: {account_id: "{{user.acc}}"}}
      - id: context
        when: {user: "(?i)policy", context: "(?i)fee is (\\\\d+)"}
        reply: "The fee is {{context.1}} EUR."
    default_reply: "Echo: {{user}}"
"""

TOOLS = (
    {
        "type": "function",
        "function": {
            "name": "get_account_balance",
            "parameters": {"type": "object", "properties": {"account_id": {"type": "string"}}},
        },
    },
)


def _config(tmp_path: Path, targets: str) -> LoadedConfig:
    (tmp_path / "script.yaml").write_text(SCRIPT)
    path = tmp_path / "genai-gate.yaml"
    path.write_text("version: 1\ntargets:\n" + textwrap.indent(textwrap.dedent(targets), "  "))
    return load_config(path)


def _ask(target: Any, request: ChatRequest) -> Any:
    return Runner(target).run([Job("x", request)]).outcomes[0]


def _user(text: str, **kwargs: Any) -> ChatRequest:
    return ChatRequest(messages=({"role": "user", "content": text},), **kwargs)


@pytest.fixture
def server(tmp_path: Path):
    (tmp_path / "script.yaml").write_text(SCRIPT)
    with running_server(Engine(load_script(tmp_path / "script.yaml"))) as (url, srv):
        yield url, srv


def test_openai_target_tool_calls_usage_and_context(tmp_path: Path, server, monkeypatch) -> None:
    url, _ = server
    monkeypatch.setenv("MOCK_KEY", "secret-value-123")
    loaded = _config(
        tmp_path,
        f"""
        llm: {{type: openai, base_url: "{url}", model: bank, api_key_env: MOCK_KEY, seed: 7}}
        """,
    )
    target = build_target(loaded, "llm")
    outcome = _ask(target, _user("What is the balance of ACC-1001?", tools=TOOLS))
    assert outcome.ok, outcome.error
    call = outcome.response.tool_calls[0]
    assert (call.name, call.arguments) == ("get_account_balance", {"account_id": "ACC-1001"})
    assert call.id.startswith("call_")
    assert outcome.response.usage.prompt_tokens > 0
    assert outcome.response.model == "bank"
    context = _ask(target, _user("What does the policy say?", context=("The fee is 12 EUR.",)))
    assert context.response.content == "The fee is 12 EUR."
    assert "secret-value-123" not in repr(target.identity())
    assert target.body(_user("x"))["seed"] == 7


def test_openai_target_tool_result_round_trip(tmp_path: Path, server) -> None:
    url, _ = server
    target = build_target(
        _config(tmp_path, f'llm: {{type: openai, base_url: "{url}", model: bank}}\n'), "llm"
    )
    messages = (
        {"role": "user", "content": "balance of ACC-1"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "get_account_balance", "arguments": "{}"},
                }
            ],
        },
        {
            "role": "tool",
            "tool_call_id": "c1",
            "content": '{"balance": "1,250.40", "currency": "EUR"}',
        },
    )
    outcome = _ask(target, ChatRequest(messages=messages, tools=TOOLS))
    assert outcome.response.content == "Your balance is 1,250.40 EUR."


def test_missing_api_key_env_is_a_config_error_naming_the_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("NO_SUCH_KEY_VAR", raising=False)
    loaded = _config(
        tmp_path,
        """
        llm:
          type: openai
          model: gpt-4o-mini
          api_key_env: NO_SUCH_KEY_VAR
        """,
    )
    with pytest.raises(ConfigError) as caught:
        build_target(loaded, "llm")
    message = str(caught.value)
    assert "genai-gate.yaml:7: targets.llm.api_key_env:" in message
    assert "NO_SUCH_KEY_VAR" in message


def test_http_target_renders_template_and_follows_response_path(tmp_path: Path, server) -> None:
    url, srv = server
    loaded = _config(
        tmp_path,
        f"""
        api:
          type: http
          url: "{url}/chat/completions"
          headers: {{X-Team: support}}
          body:
            model: bank
            messages: "{{{{messages}}}}"
            metadata: {{customer: "{{{{session.customer_id}}}}", q: "Q: {{{{input}}}}"}}
          response_path: choices.0.message.content
        """,
    )
    target = build_target(loaded, "api")
    outcome = _ask(target, _user("hi there", session={"customer_id": "C-1"}))
    assert outcome.response.content == "Echo: hi there"
    assert srv.stats.chat_completions == 1


def test_http_target_unknown_placeholder_and_bad_path(tmp_path: Path, server) -> None:
    url, _ = server
    loaded = _config(
        tmp_path,
        f"""
        api: {{type: http, url: "{url}/chat/completions", body: {{q: "{{{{question}}}}"}},
              response_path: x}}
        """,
    )
    with pytest.raises(ConfigError, match=r"genai-gate.yaml:\d+: targets.api.body: unknown"):
        build_target(loaded, "api")
    loaded = _config(
        tmp_path,
        f"""
        api: {{type: http, url: "{url}/chat/completions",
              body: {{messages: "{{{{messages}}}}"}}, response_path: output.text}}
        """,
    )
    outcome = _ask(build_target(loaded, "api"), _user("x"))
    assert "response has no 'output.text'" in (outcome.error or "")


AGENT = """
import asyncio

def respond(request, model="m"):
    text = request["messages"][-1]["content"]
    if text == "boom":
        raise ValueError("bad input")
    if text == "down":
        raise ConnectionRefusedError("llm down")
    return {"content": f"{model}: {text}", "tool_calls": [{"name": "t", "arguments": {"a": 1}}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 2}, "model": model,
            "session": None}

async def respond_async(request, **options):
    await asyncio.sleep(0)
    customer = request["session"].get("customer_id", "?")
    return f"async {customer} {len(request['context'])}"

def plain(request):
    return 42
"""


def _python_config(tmp_path: Path, callable_: str, options: str = "{}") -> LoadedConfig:
    package = tmp_path / "agent_pkg_for_tests"
    package.mkdir(exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "app.py").write_text(AGENT)
    return _config(
        tmp_path,
        f'agent: {{type: python, callable: "{callable_}", path: ".", options: {options}}}\n',
    )


def test_python_target_sync_and_async(tmp_path: Path) -> None:
    sync = build_target(
        _python_config(tmp_path, "agent_pkg_for_tests.app:respond", "{model: hardened}"), "agent"
    )
    outcome = _ask(sync, _user("hello"))
    assert outcome.response.content == "hardened: hello"
    assert outcome.response.tool_calls[0].arguments == {"a": 1}
    assert outcome.response.usage.prompt_tokens == 3
    assert sync.identity()["source"].startswith("sha256:")
    failed = _ask(sync, _user("boom"))
    assert failed.attempts == 1 and "ValueError: bad input" in (failed.error or "")
    asynchronous = build_target(
        _python_config(tmp_path, "agent_pkg_for_tests.app:respond_async"), "agent"
    )
    request = _user("x", session={"customer_id": "C-7"}, context=("doc",))
    assert _ask(asynchronous, request).response.content == "async C-7 1"


def test_python_target_bad_return_and_bad_callable(tmp_path: Path) -> None:
    target = build_target(_python_config(tmp_path, "agent_pkg_for_tests.app:plain"), "agent")
    assert "returned int" in (_ask(target, _user("x")).error or "")
    with pytest.raises(ConfigError, match=r"targets.agent.callable: .*no attribute"):
        build_target(_python_config(tmp_path, "agent_pkg_for_tests.app:nope"), "agent")
    with pytest.raises(ConfigError, match=r"cannot import"):
        build_target(_python_config(tmp_path, "no_such_module_xyz:f"), "agent")


def test_python_exception_mapping() -> None:
    class APIConnectionError(Exception):
        pass

    class RateLimitError(Exception):
        status_code = 429

    class InternalServerError(Exception):
        status_code = 500

    class BadRequestError(Exception):
        status_code = 400

    assert isinstance(map_exception(ConnectionRefusedError(), "f"), ConnectionFailure)
    assert isinstance(map_exception(TimeoutError(), "f"), ConnectionFailure)
    assert isinstance(map_exception(APIConnectionError(), "f"), ConnectionFailure)
    assert type(map_exception(RateLimitError(), "f")) is TransientError
    assert type(map_exception(InternalServerError(), "f")) is TransientError
    assert isinstance(map_exception(BadRequestError(), "f"), PermanentError)
    assert isinstance(map_exception(KeyError("x"), "f"), PermanentError)


def test_python_agent_using_the_openai_sdk_is_retried_on_429(tmp_path: Path) -> None:
    (tmp_path / "script.yaml").write_text(SCRIPT)
    engine = Engine(load_script(tmp_path / "script.yaml"))
    faults = Faults(fail_first=1, retry_after="0")
    with running_server(engine, faults=faults) as (url, server):
        (tmp_path / "sdk_agent_for_tests.py").write_text(
            "import openai\n"
            f"client = openai.OpenAI(base_url='{url}', api_key='k', max_retries=0)\n"
            "def respond(request):\n"
            "    r = client.chat.completions.create(model='bank', messages=request['messages'])\n"
            "    return r.choices[0].message.content\n"
        )
        loaded = _config(
            tmp_path, 'agent: {type: python, callable: "sdk_agent_for_tests:respond", path: "."}\n'
        )
        outcome = _ask(build_target(loaded, "agent"), _user("hi"))
    assert outcome.ok and outcome.attempts == 2
    assert outcome.response.content == "Echo: hi"
    assert server.stats.chat_completions == 2


def test_mock_target_answers_like_the_server(tmp_path: Path) -> None:
    loaded = _config(tmp_path, "bot: {type: mock, script: script.yaml}\n")
    target = build_target(loaded, "bot")
    outcome = _ask(target, _user("balance of ACC-9", tools=TOOLS))
    assert outcome.response.tool_calls[0].arguments == {"account_id": "ACC-9"}
    assert outcome.response.usage.completion_tokens > 0
    assert target.identity()["script"].startswith("sha256:")
    builtin = build_target(_config(tmp_path, "bot: {type: mock, script: default}\n"), "bot")
    assert _ask(builtin, _user("echo: abc")).response.content == "abc"
    with pytest.raises(ConfigError, match=r"targets.bot.script: mock script 'nope.yaml'"):
        build_target(_config(tmp_path, "bot: {type: mock, script: nope.yaml}\n"), "bot")


def test_retry_after_parsing() -> None:
    assert retry_after_seconds("2") == 2.0
    assert retry_after_seconds("0.5") == 0.5
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    from datetime import datetime, timedelta, timezone
    from email.utils import format_datetime

    later = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (retry_after_seconds(later) or 0) <= 31


def test_http_client_reuses_connections(server) -> None:
    from genai_gate.targets.openai import OpenAITarget

    url, _ = server
    target = OpenAITarget("m", url, "bank")

    async def main() -> int:
        for _ in range(5):
            await target.complete(_user("x"))
        pooled = sum(len(p) for p in target.client._idle.values())
        await target.aclose()
        return pooled

    assert asyncio.run(main()) == 1


def test_openai_target_over_https(tmp_path: Path, monkeypatch) -> None:
    import ssl
    import subprocess

    from genai_gate.targets.openai import OpenAITarget

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    command += ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
    command += ["-addext", "subjectAltName=IP:127.0.0.1"]
    subprocess.run(command, check=True, capture_output=True)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trusted by ssl.create_default_context()
    (tmp_path / "script.yaml").write_text(SCRIPT)
    with running_server(Engine(load_script(tmp_path / "script.yaml")), tls=tls) as (url, srv):
        assert url.startswith("https://")
        report = Runner(OpenAITarget("tls", url, "bank")).run(
            [Job(str(i), _user(f"q{i}")) for i in range(5)]
        )
    assert [o.response.content for o in report.outcomes if o.response] == [
        f"Echo: q{i}" for i in range(5)
    ]
    assert srv.stats.chat_completions == 5


def test_api_key_header_bearer_and_azure_style(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "script.yaml").write_text(SCRIPT)
    monkeypatch.setenv("LLM_KEY", "k-123")
    engine = Engine(load_script(tmp_path / "script.yaml"))
    with running_server(engine, api_key="k-123") as (url, _):
        for header in ("Authorization", "api-key"):
            loaded = _config(
                tmp_path,
                f"llm: {{type: openai, base_url: '{url}', model: bank, api_key_env: LLM_KEY,"
                f" api_key_header: {header}, headers: {{X-Team: support}}}}\n",
            )
            target = build_target(loaded, "llm")
            assert _ask(target, _user("hi")).response.content == "Echo: hi"
            assert target.identity()["headers"] == {"X-Team": "support"}
        wrong = _ask(
            build_target(
                _config(tmp_path, f"llm: {{type: openai, base_url: '{url}', model: bank}}\n"), "llm"
            ),
            _user("hi"),
        )
    assert wrong.attempts == 1 and "HTTP 401" in (wrong.error or "")
    assert "k-123" not in (wrong.error or "")


def test_http_target_drives_the_deployed_example_agent(tmp_path: Path) -> None:
    """The example bank agent as an HTTP service (its /v1/chat takes python-target requests)."""
    import subprocess
    import sys

    example = Path(__file__).resolve().parent.parent / "examples" / "bank-support-agent"
    engine = Engine(load_script(example / "mock" / "script.yaml"))
    with running_server(engine) as (llm_url, llm):
        agent = subprocess.Popen(
            [sys.executable, "-m", "bank_agent.server", "--port", "0", "--llm-url", llm_url],
            cwd=example,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            line = agent.stdout.readline() if agent.stdout else ""
            assert line.startswith("bank agent listening on "), line
            loaded = _config(
                tmp_path,
                f"""
                deployed:
                  type: http
                  url: "{line.split()[-1]}/v1/chat"
                  body: "{{{{request}}}}"
                  response_path: content
                  tool_calls_path: tool_calls
                  usage_path: usage
                """,
            )
            request = _user("What is my current balance?", session={"customer_id": "C-1001"})
            outcome = _ask(build_target(loaded, "deployed"), request)
        finally:
            agent.terminate()
            agent.wait(10)
    assert outcome.ok, outcome.error
    assert "1250.40" in outcome.response.content
    calls = [(c.name, c.arguments) for c in outcome.response.tool_calls]
    assert calls == [("get_account_balance", {"account_id": "ACC-1001-01"})]
    assert outcome.response.usage.prompt_tokens > 0
    assert llm.stats.chat_completions >= 2  # tool call, then the answer


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://user:hunter2@llm.example.com/v1", "credentials in the URL are not allowed"),
        ("ftp://llm.example.com/v1", "expected an http:// or https:// URL"),
    ],
)
def test_bad_target_urls_are_config_errors(tmp_path: Path, url: str, message: str) -> None:
    loaded = _config(tmp_path, f"llm: {{type: openai, base_url: '{url}', model: m}}\n")
    with pytest.raises(ConfigError, match=r"genai-gate.yaml:3: targets.llm.base_url: ") as caught:
        build_target(loaded, "llm")
    assert message in str(caught.value)


def test_base_url_env_replaces_base_url_and_a_missing_one_is_an_error(
    tmp_path: Path, server, monkeypatch
) -> None:
    url, _ = server
    monkeypatch.setenv("LLM_URL", url)
    loaded = _config(
        tmp_path,
        "llm: {type: openai, base_url: 'http://127.0.0.1:9/v1', base_url_env: LLM_URL, "
        "model: bank}\n",
    )
    outcome = _ask(build_target(loaded, "llm"), _user("What does the policy say?"))
    assert outcome.ok, outcome.error  # the port-9 base_url would have refused the connection
    monkeypatch.delenv("LLM_URL")
    with pytest.raises(ConfigError) as info:
        build_target(loaded, "llm")
    assert str(info.value) == (
        f"{tmp_path / 'genai-gate.yaml'}:3: targets.llm.base_url_env: environment variable "
        "LLM_URL (base_url_env) is not set or empty"
    )
