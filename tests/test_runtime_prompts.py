"""Runtime prompt loading (`genai_gate.prompts`): the prompt an agent renders is the one that
prompt-lint measured, eval-gate sent and the audit record pins."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from genai_gate import prompts
from genai_gate.config import load_config
from genai_gate.registry.prompts import load_prompts
from genai_gate.registry.templates import static_text
from genai_gate.targets.prompts import system_prompt_text

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bank-support-agent"
REGISTRY = EXAMPLE / "prompts"


def test_import_loads_no_heavy_module() -> None:
    code = (
        "import sys, genai_gate.prompts\n"
        "heavy = ('pydantic', 'jinja2', 'yaml', 'rich', 'numpy', 'tiktoken', 'genai_gate.config')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_same_prompt_as_the_registry_prompt_lint_and_eval_see() -> None:
    registry = load_prompts(REGISTRY, EXAMPLE).prompts
    loaded = load_config(EXAMPLE / "genai-gate.yaml")
    assert registry  # the example ships several prompts
    for prompt_id, checked in registry.items():
        runtime = prompts.load(prompt_id, REGISTRY)
        # the hash prompt-lint and the audit record pin
        assert runtime.content_hash == checked.content_hash()
        assert (runtime.version, runtime.model) == (checked.version, checked.model)
        # the text prompt-lint measures: the template with its variables empty
        text, error = static_text(checked.template, checked.template_format)
        assert error is None
        assert runtime.render(**dict.fromkeys(runtime.variables, "")) == text
        if checked.template_format == "jinja2":
            # what an `openai` target sends as system prompt during eval
            assert prompts.render_unfilled(runtime.template) == system_prompt_text(
                loaded, "llm", prompt_id
            )


def test_the_example_agent_renders_through_the_runtime_api() -> None:
    sys.path.insert(0, str(EXAMPLE))
    try:
        from bank_agent.app import system_prompt
        from bank_agent.bank import Bank
    finally:
        sys.path.remove(str(EXAMPLE))
    rendered = system_prompt(Bank.demo(), None, [])
    expected = prompts.load("bank-support-system", REGISTRY).render(
        customer_name="Guest",
        customer_id="none",
        accounts="none (the user is not authenticated)",
        context="(no relevant documents found)",
    )
    assert rendered == expected


def test_render_refuses_missing_and_undeclared_variables(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "greet.yaml").write_text(
        "prompt_id: greet\nversion: 1.0.0\nmodel: m\nvariables: [name]\n"
        "template: 'Hello {{ name }}'\nmetadata: {author: a, created_at: '2026-01-01'}\n"
    )
    monkeypatch.setenv(prompts.PROMPTS_DIR_ENV, str(tmp_path))
    prompt = prompts.load("greet")
    assert prompt.render(name="Ana") == "Hello Ana"
    with pytest.raises(prompts.PromptError) as info:
        prompt.render(nme="Ana")
    assert str(info.value) == (
        f"{tmp_path / 'greet.yaml'}: prompt 'greet': unknown variables ['nme'], "
        "missing variables ['name']"
    )
    with pytest.raises(prompts.PromptError, match="prompt 'nope' not found in"):
        prompts.load("nope")
