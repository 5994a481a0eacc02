"""JSON Schemas of every file a user writes and of the gates' results files, generated from the
pydantic models that read them.

The schemas ship in the package (`genai_gate/schemas/<name>.json`, for editors: point the YAML
language server at them) and `docs/<name>.md` pages are generated from the same models by
`scripts/gen-docs`; `tests/test_schemas.py` fails when either drifts from the code.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from genai_gate.schemas.format import Format

SCHEMA_DIR = Path(__file__).parent
"""Where the generated `.json` schemas live inside the package."""
BASE_URI = "https://genai-gate.invalid/schemas/"
"""`$id` prefix (a name, not a download location: the schemas ship in the package)."""


def _model(path: str) -> Callable[[], dict[str, Any]]:
    def build() -> dict[str, Any]:
        import importlib

        module, _, name = path.partition(":")
        return _described(getattr(importlib.import_module(module), name))

    return build


def _described(model: Any) -> dict[str, Any]:
    """The model's JSON Schema with its field docstrings as descriptions."""
    from genai_gate.schemas.docstrings import describe

    return describe(model.model_json_schema(), model)


def _model_registry() -> dict[str, Any]:
    from pydantic import Field, create_model

    from genai_gate.registry.models import ModelEntry
    from genai_gate.schema import StrictModel

    wrapper = create_model(
        "ModelRegistryFile",
        __base__=StrictModel,
        __doc__="`model_registry.yaml`: the models prompts may name.",
        models=(list[ModelEntry], Field(description="The registered models.")),
    )
    return _described(wrapper)


def _mock_script() -> dict[str, Any]:
    from pydantic import Field, RootModel, create_model

    from genai_gate.mockllm.script import Include, ModelSpec, Rule, RulesFile, ScriptFile

    # `rules:` is read as raw items (each validated on its own for file:line errors); the
    # schema states what an item is. Field docstrings come from the base classes.
    rules: tuple[Any, Any] = (list[Rule | Include], Field(default_factory=list))
    spec = create_model("ModelSpec", __base__=ModelSpec, __doc__=ModelSpec.__doc__, rules=rules)
    script = create_model(
        "ScriptFile",
        __base__=ScriptFile,
        __doc__=ScriptFile.__doc__,
        models=(dict[str, spec], Field(min_length=1)),  # type: ignore[valid-type]
    )
    included = create_model("RulesFile", __base__=RulesFile, __doc__=RulesFile.__doc__, rules=rules)
    either = RootModel[script | included]  # type: ignore[valid-type]
    either.__doc__ = "A script file (`models:`), or a file of rules named by an `include:`."
    return _described(either)


def _results_file() -> dict[str, Any]:
    """The generic result, and each typed gate's model when its `gate` is that gate and its
    status not `error` (if/then: a typed result is a generic one too, so `oneOf` would fail)."""
    from genai_gate.result_types import results_file_model
    from genai_gate.results import typed_models

    body = _described(results_file_model())
    *typed, generic = body.pop("oneOf")
    conditions = [
        {
            "if": {
                "properties": {"gate": {"const": gate}, "status": {"not": {"const": "error"}}},
                "required": ["gate", "status"],
            },
            "then": member,
        }
        for gate, member in zip(typed_models(), typed, strict=True)
    ]
    return {**body, "allOf": [generic, *conditions]}


FORMATS: tuple[Format, ...] = (
    Format("genai-gate", "genai-gate.yaml", "`genai-gate.yaml` at the repository (or agent) root",
           _model("genai_gate.config:GenaiGateConfig")),
    Format("prompt-registry", "Prompt registry file", "`prompts/<prompt_id>.yaml` (one per prompt)",
           _model("genai_gate.registry.prompts:Prompt")),
    Format("model-registry", "Model registry", "`model_registry.yaml` (`registry.models`)",
           _model_registry),
    Format("dataset", "Eval dataset case", "one line of a `.jsonl` dataset, or one item of a YAML "
           "dataset list (`eval.suites.<name>.dataset`, `smoke.dataset`)",
           _model("genai_gate.gates.eval.case:Case")),
    Format("attack-corpus", "Attack file (injection-test)", "one line of a JSONL attack file, one "
           "item of a YAML list or one CSV row (`injection.attacks`)",
           _model("genai_gate.gates.injection.attacks:AttackSpec")),
    Format("eval-transcript", "Recorded transcript (eval-gate --replay)", "one line of a JSONL "
           "transcript file, one item of a YAML list or one CSV row (`eval-gate --replay FILE`): "
           "an eval case and the recorded answer",
           _model("genai_gate.gates.eval.replay:RecordedCase")),
    Format("injection-transcript", "Recorded transcript (injection-test --replay)", "one line "
           "of a JSONL transcript file, one item of a YAML list or one CSV row (`injection-test "
           "--replay FILE`): an attack, the recorded answer and the planted secrets",
           _model("genai_gate.gates.injection.replay:Transcript")),
    Format("mock-llm-script", "Mock LLM script", "`genai-gate mock-llm --script FILE`, targets of "
           "`type: mock`", _mock_script),
    Format("python-target-request", "Agent request (python target, deployed chat endpoint)",
           "the `request` dict of a `type: python` target's callable; the JSON body POSTed to "
           "`smoke.chat_path`", _model("genai_gate.schemas.contracts:AgentRequest")),
    Format("python-target-reply", "Agent reply (python target, deployed chat endpoint)",
           "what the callable returns (or a plain string); the JSON answer of `smoke.chat_path`",
           _model("genai_gate.schemas.contracts:AgentReply")),
    Format("smoke-health", "Health answer (smoke test)", "the JSON answer of `smoke.health_path`",
           _model("genai_gate.schemas.contracts:HealthAnswer")),
    Format("results", "Results file", "`<results-dir>/<gate>.json`, written by every gate run "
           "and read by `report`, `audit-log` and `cost-estimate --actual`", _results_file),
)  # fmt: skip
"""Every published format, in documentation order."""

GAPS: tuple[str, ...] = ()
"""Formats a user may expect that are not published, and why."""


def schema(fmt: Format) -> dict[str, Any]:
    """The JSON Schema of `fmt`, with `$schema`, `$id` and title."""
    body = fmt.build()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_URI}{fmt.name}.json",
        **body,
        "title": fmt.title,
    }


def schema_text(fmt: Format) -> str:
    """The schema as written to `<name>.json` (stable: sorted keys, 2-space indent)."""
    return json.dumps(schema(fmt), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generated_files(docs_dir: Path) -> dict[Path, str]:
    """Every generated file (package schemas and docs pages) with its content."""
    from genai_gate.schemas.docs import index_page, page

    files = {SCHEMA_DIR / f"{f.name}.json": schema_text(f) for f in FORMATS}
    files |= {docs_dir / f"{f.name}.md": page(f, schema(f)) for f in FORMATS}
    files[docs_dir / "README.md"] = index_page(FORMATS, GAPS)
    return files
