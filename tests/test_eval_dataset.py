"""Eval datasets: JSONL / YAML / promptfoo loading, with errors naming file, line and field."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from genai_gate.errors import ConfigError
from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.dataset import load_dataset, load_dataset_lines
from genai_gate.gates.eval.plan import case_digest

DATA = Path(__file__).parent / "data" / "eval"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_golden_jsonl_loads_with_format_fields() -> None:
    cases = load_dataset(DATA / "golden.jsonl")
    assert [c.id for c in cases] == ["balance-001", "history-001", "hours-001", "json-001"]
    history = cases[1]
    assert history.expected.tool_calls is not None
    assert history.expected.tool_calls[0].arguments == {"account_id": "ACC-1001-01"}
    assert cases[2].expected.tool_calls == []  # [] means: no tool may be called
    assert cases[0].expected.tool_calls is None  # absent: not checked
    assert cases[0].messages() == [{"role": "user", "content": "What is my balance?"}]
    assert cases[0].prompt == "support-system"


def test_broken_jsonl_line_is_named(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.jsonl",
        '{"id": "a", "input": "hi", "expected": {"facts": ["x"]}}\n'
        "\n"
        '{"id": "b", "input": "hi", "expected": {"facts": ["x"]}\n',
    )
    with pytest.raises(ConfigError) as info:
        load_dataset(path)
    assert str(info.value).startswith(f"{path}:3: invalid JSON:")


def test_schema_errors_name_line_and_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.jsonl",
        '{"id": "a", "input": "hi"}\n'
        '{"id": "b", "input": "hi", "expected": {"fact": ["x"]}}\n'
        '{"id": "c", "input": 3}\n'
        "[1, 2]\n",
    )
    with pytest.raises(ConfigError) as info:
        load_dataset(path)
    problems = info.value.problems
    assert problems[0].startswith(f"{path}:2: expected.fact: unknown key")
    assert any(p.startswith(f"{path}:3: input") for p in problems)
    assert problems[-1] == f"{path}:4: expected an object, got list"


def test_duplicate_ids_point_at_the_second_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.jsonl",
        '{"id": "a", "input": "x"}\n{"id": "b", "input": "y"}\n{"id": "a", "input": "z"}\n',
    )
    with pytest.raises(ConfigError, match=r"d.jsonl:3: id: duplicate case id 'a' \(line 1\)"):
        load_dataset(path)


def test_yaml_list_and_cases_mapping(tmp_path: Path) -> None:
    listed = write(
        tmp_path,
        "d.yaml",
        "- id: a\n  input: hi\n  expected: {facts: [x]}\n- id: b\n  input:\n"
        "    - {role: system, content: be brief}\n    - {role: user, content: hello}\n",
    )
    located = load_dataset_lines(listed)
    assert [(c.id, line) for c, line in located] == [("a", 1), ("b", 4)]
    assert located[1][0].question() == "hello"
    mapping = write(tmp_path, "m.yaml", "cases:\n  - id: a\n    input: hi\n    weight: -1\n")
    with pytest.raises(ConfigError, match=r"m.yaml:4: cases.0.weight: Input should be greater"):
        load_dataset(mapping)


def test_empty_dataset_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no cases"):
        load_dataset(write(tmp_path, "d.jsonl", "\n"))


def test_promptfoo_tests_are_imported() -> None:
    cases = load_dataset(DATA / "promptfoo" / "promptfooconfig.yaml")
    assert [c.id for c in cases] == [
        "001-balance-question",
        "002-opening-hours",
        "003-balance-as-json",
    ]
    balance = cases[0]
    assert balance.input == "What is my balance?"
    assert balance.description == "Balance question"
    # not-icontains (defaultTest) and icontains: raw substrings, case-insensitive, as promptfoo
    assert [s.type for s in balance.scorers or []] == ["regex", "contains", "regex"]
    assert (balance.scorers or [])[0].params() == {
        "pattern": "as\\ an\\ AI",
        "ignore_case": True,
        "negate": True,
    }
    hours = cases[1]
    assert hours.context == []  # promptfoo only shows vars through the prompt
    all_facts = (hours.scorers or [])[1]
    assert all_facts.type == "regex" and all_facts.weight == 2
    assert all_facts.params()["pattern"] == "(?s)\\A(?=.*?9:00)(?=.*?17:00)"
    schema = (cases[2].scorers or [])[1]
    assert schema.type == "json-schema" and schema.params()["schema"]["required"] == ["balance"]
    assert schema.params()["find"] == "whole"


def test_promptfoo_unsupported_assertion_is_located() -> None:
    path = DATA / "promptfoo" / "unsupported.yaml"
    with pytest.raises(ConfigError) as info:
        load_dataset(path)
    assert str(info.value) == (
        f"{path}:9: tests.1.assert.0: promptfoo assertion type 'javascript' has no genai-gate "
        "equivalent"
    )


def _json_form_digest(case: Case) -> str:
    """The case digest as defined: sha256 of its JSON form with sorted keys."""
    blob = json.dumps(case.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(blob.encode()).hexdigest()[:32]


def test_case_digest_is_that_of_the_json_form_of_the_case() -> None:
    examples = Path(__file__).parents[1] / "examples"
    cases = [c for path in sorted(examples.glob("*/evals/*.jsonl")) for c in load_dataset(path)]
    cases += load_dataset(DATA / "golden.jsonl")
    odd = {
        "id": "odd",
        "input": [{"role": "user", "content": "¿qué? \U0001f600", "name": "x", "extra": [1, 2.5]}],
        "expected": {"number": float("inf"), "facts": ["é"], "json_schema": {"type": "object"}},
        "scorers": [{"type": "numeric", "tolerance": 0.5}],
        "weight": 2,
    }
    cases += [Case.model_validate(odd), Case.model_validate({**odd, "expected": {"number": 1e300}})]
    assert len(cases) > 10
    assert [case_digest(c) for c in cases] == [_json_form_digest(c) for c in cases]
    assert len({case_digest(c) for c in cases}) == len(cases)


def test_jsonl_lines_validated_from_text_equal_lines_parsed_then_validated(
    tmp_path: Path,
) -> None:
    """Valid lines are validated from their text in one pass: the same cases as json.loads
    then validation, for every example dataset and for lines JSON parsers treat differently."""
    examples = Path(__file__).parents[1] / "examples"
    paths = [*sorted(examples.glob("*/evals/*.jsonl")), DATA / "golden.jsonl"]
    odd = [
        '{"id": "dup", "input": "first", "input": "second"}',
        '{"id": "nan", "input": "q", "expected": {"number": NaN}, "weight": 2}',
        '{"id": "inf", "input": "q", "expected": {"number": -Infinity}}',
        '{"id": "lone", "input": "\\ud800 half a pair", "tags": ["\\u00e9"]}',
        '{"id": "lax", "input": "q", "weight": "1.5", "expected": {"tool_order": "true"}}',
        '{"id": "big", "input": "q", "expected": {"json_schema": {"n": 123456789012345678901}}}',
    ]
    paths.append(write(tmp_path, "odd.jsonl", "\n".join(odd) + "\n"))
    for path in paths:
        lines = [
            (n, line)
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if line.strip()
        ]
        expected = [(Case.model_validate(json.loads(line)), n) for n, line in lines]
        got = load_dataset_lines(path)
        assert [(repr(c), n) for c, n in got] == [(repr(c), n) for c, n in expected]  # NaN too
        assert [case_digest(c) for c, _ in got] == [case_digest(c) for c, _ in expected]


def test_cases_keep_their_own_given_fields_when_they_share_the_set(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.jsonl",
        '{"id": "a", "input": "hi", "expected": {"facts": ["x"]}}\n'
        '{"id": "b", "input": "hi", "tags": ["t"], "expected": {"facts": ["y"]}}\n'
        '{"id": "c", "input": "hi", "expected": {"facts": ["z"]}}\n',
    )
    a, b, c = load_dataset(path)
    assert a.model_fields_set == c.model_fields_set == {"id", "input", "expected"}
    assert b.model_fields_set == {"id", "input", "tags", "expected"}
    copy = a.model_copy(update={"prompt": "p"})
    assert copy.model_fields_set == {"id", "input", "expected", "prompt"}
    assert c.model_fields_set == {"id", "input", "expected"}  # the copy got a set of its own
    with pytest.raises(ValueError, match="frozen"):
        a.prompt = "p"  # type: ignore[misc]
    assert c.model_dump(exclude_unset=True) == {
        "id": "c",
        "input": "hi",
        "expected": {"facts": ["z"]},
    }
