"""The published JSON Schemas and docs pages: in sync with the models, and accepting the real
files and answers of the example agent when checked by an independent validator (jsonschema)."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from genai_gate.schemas import FORMATS, generated_files
from genai_gate.schemas.contracts import AgentRequest
from genai_gate.targets.interface import ChatRequest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bank-support-agent"


def published(name: str) -> dict[str, Any]:
    """The schema as installed in the package."""
    text = resources.files("genai_gate.schemas").joinpath(f"{name}.json").read_text()
    return json.loads(text)


def errors(name: str, document: Any) -> list[str]:
    """Each problem as `path: message`, the most specific one for a union that failed."""
    validator = jsonschema.Draft202012Validator(published(name))
    found = []
    for error in validator.iter_errors(document):
        while error.context:  # a union: follow the branch that got deepest into the document
            error = max(error.context, key=lambda e: len(e.absolute_path))
        found.append(f"{'/'.join(map(str, error.absolute_path))}: {error.message}")
    return found


def test_schemas_and_docs_are_generated_from_the_current_models() -> None:
    stale = [
        str(path.relative_to(ROOT))
        for path, text in generated_files(ROOT / "docs").items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], f"out of date, run scripts/gen-docs: {stale}"


def test_every_schema_is_valid_draft_2020_12() -> None:
    for fmt in FORMATS:
        jsonschema.Draft202012Validator.check_schema(published(fmt.name))


@pytest.mark.parametrize("example", ["bank-support-agent", "airline-agent"])
def test_example_files_validate(example: str) -> None:
    folder = ROOT / "examples" / example
    config = yaml.safe_load((folder / "genai-gate.yaml").read_text())
    assert errors("genai-gate", config) == []
    registry = yaml.safe_load((folder / "model_registry.yaml").read_text())
    assert errors("model-registry", registry) == []
    for path in sorted((folder / "prompts").glob("*.yaml")):
        assert errors("prompt-registry", yaml.safe_load(path.read_text())) == [], path
    for line in (folder / "evals" / "golden.jsonl").read_text().splitlines():
        assert errors("dataset", json.loads(line)) == [], line[:80]
    for path in sorted((folder / "mock").glob("*.yaml")):
        assert errors("mock-llm-script", yaml.safe_load(path.read_text())) == [], path
    for attacks in (config.get("injection") or {}).get("attacks", []):
        for line in (folder / attacks).read_text().splitlines():
            assert errors("attack-corpus", json.loads(line)) == [], line[:80]


def test_test_fixtures_validate() -> None:
    mock = yaml.safe_load((ROOT / "tests/data/eval/agent-mock.yaml").read_text())
    assert errors("mock-llm-script", mock) == []


def test_a_typo_is_rejected_by_the_schema_as_by_genai_gate() -> None:
    config = yaml.safe_load((EXAMPLE / "genai-gate.yaml").read_text())
    config["eval"]["suites"]["golden"]["thresholds"] = {"min_pass_rte": 0.9}
    found = errors("genai-gate", config)
    assert any("'min_pass_rte' was unexpected" in e for e in found), found


def test_the_request_contract_is_what_a_python_target_receives() -> None:
    payload = ChatRequest(messages=({"role": "user", "content": "hi"},)).cache_payload()
    assert set(AgentRequest.model_fields) == set(payload)
    assert errors("python-target-request", payload) == []


def test_the_example_agent_answers_as_the_reply_and_health_contracts_say(mock_url: str) -> None:
    sys.path.insert(0, str(EXAMPLE))
    try:
        from bank_agent.app import respond
        from bank_agent.server import health
    finally:
        sys.path.remove(str(EXAMPLE))
    request = {"messages": [{"role": "user", "content": "What is my balance?"}],
               "session": {"customer_id": "C-1001"}}  # fmt: skip
    assert errors("python-target-request", request) == []
    reply = respond(request, base_url=mock_url)
    assert reply["tool_calls"] and errors("python-target-reply", reply) == []
    answer = health({"base_url": mock_url})
    assert answer["checks"] and errors("smoke-health", answer) == []


@pytest.mark.parametrize("fmt", [f.name for f in FORMATS])
def test_each_format_has_a_docs_page_listing_its_fields(fmt: str) -> None:
    text = (ROOT / "docs" / f"{fmt}.md").read_text()
    assert f"`genai_gate/schemas/{fmt}.json`" in text
    assert "| field | type | default | description |" in text


ADOPTION = ROOT / "tests" / "data" / "docs-adoption"
"""A second, non-banking project (a travel desk) written from the docs pages alone."""


def _loader_accepts(config: dict[str, Any], tmp_path: Path) -> bool:
    from genai_gate.config import load_config
    from genai_gate.errors import ConfigError

    path = tmp_path / "genai-gate.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    try:
        load_config(path)
    except ConfigError:
        return False
    return True


MUTATIONS = {
    "as written": lambda c: None,
    "typo in a suite": lambda c: c["eval"]["suites"]["faq"].update(datset="faq.jsonl"),
    "unknown target type": lambda c: c["targets"]["desk"].update(type="grpc"),
    "rate above 1": lambda c: c["eval"]["suites"]["faq"]["thresholds"].update(min_pass_rate=2),
    "missing model": lambda c: c["targets"]["grader"].pop("model"),
    "repeat not a number": lambda c: c["eval"].update(repeat="three"),
    "smoke sample 0": lambda c: c["smoke"].update(sample=0),
    "extra top-level key": lambda c: c.update(evals={}),
}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_schema_and_loader_agree_on_a_second_project(mutation: str, tmp_path: Path) -> None:
    config = yaml.safe_load((ADOPTION / "genai-gate.yaml").read_text())
    MUTATIONS[mutation](config)
    by_schema = errors("genai-gate", config) == []
    assert by_schema == _loader_accepts(config, tmp_path) == (mutation == "as written")


def test_second_project_files_validate() -> None:
    assert errors("model-registry", yaml.safe_load((ADOPTION / "models.yaml").read_text())) == []
    prompt = yaml.safe_load((ADOPTION / "prompts" / "desk-system.yaml").read_text())
    assert errors("prompt-registry", prompt) == []
    for line in (ADOPTION / "faq.jsonl").read_text().splitlines():
        assert errors("dataset", json.loads(line)) == []


def test_every_referenced_docs_page_exists() -> None:
    import re
    import subprocess

    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    missing = []
    for name in tracked:
        path = ROOT / name
        if path.suffix not in {".py", ".md", ".yaml", ".yml", ".txt"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for found in re.finditer(r"\bdocs/[a-z0-9-]+\.md\b", text):
            before = text[max(0, found.start() - 40) : found.start()]
            if re.search(r"\b[\w.-]+/[\w.-]+,\s*$", before):
                continue  # a page of another repository (`actions/toolkit, docs/...`)
            if not (ROOT / found.group()).is_file():
                missing.append(f"{name}: {found.group()}")
        if path.parent.name == "docs":
            for ref in re.findall(r"\]\(([a-z0-9-]+\.md)\)", text):
                if not (path.parent / ref).is_file():
                    missing.append(f"{name}: {ref}")
    assert missing == []
