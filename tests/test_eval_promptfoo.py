"""promptfoo import checked against promptfoo's documented behaviour (each test cites the page).

The configs are written here, one per construct; the expected results come from promptfoo's docs
(promptfoo.dev/docs/configuration/...), not from our own implementation.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from genai_gate.cli import main
from genai_gate.errors import ConfigError
from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.dataset import load_dataset, load_dataset_lines
from genai_gate.gates.eval.evaluator import SampleOutcome, sample_score
from genai_gate.gates.eval.plan import bind
from genai_gate.gates.eval.promptfoo import convert
from genai_gate.gates.eval.promptfoo.files import Node
from genai_gate.gates.eval.scorers.base import Sample
from genai_gate.targets.interface import ChatResponse
from genai_gate.yamlio import load_yaml


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder / "promptfooconfig.yaml"


def verdict(case: Case, answer: str) -> tuple[float, bool]:
    """(weighted score, passed) of `answer`, as the eval engine computes it."""
    bound = bind(case.scorers or [])
    sample = Sample(case, ChatResponse(content=answer))
    outcome = SampleOutcome(True, scores={b.label: b.scorer.score(sample) for b in bound})
    return sample_score(outcome, bound, case.threshold)


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_dataset(path)
    return info.value.problems


def test_prompts_times_tests_rendered_with_nunjucks(tmp_path: Path) -> None:
    # docs/configuration/prompts: Nunjucks templating, filters, conditionals, `---` separates
    # several prompts in one file; promptfoo runs each prompt with each test.
    config = write(
        tmp_path,
        {
            "promptfooconfig.yaml": """
                prompts:
                  - 'Product: {{product | upper}}{% if premium %} (priority){% endif %}'
                  - file://prompts.txt
                tests:
                  - description: Premium widget
                    vars: {product: widget, premium: true, tags: [a, b]}
                    assert: [{type: icontains, value: widget}]
                  - vars: {product: gadget, premium: false}
                    assert: [{type: icontains, value: gadget}]
            """,
            "prompts.txt": """
                Tags: {{ tags | join(', ') }}
                ---
                {% for t in tags %}[{{ loop.index }}:{{ t }}]{% endfor %}{{ missing.attr }}
            """,
        },
    )
    cases = load_dataset(config)
    # 2 tests x 3 prompts; the tags array expands (array of strings), so test 1 gives 2 x 3.
    assert len(cases) == 2 * 3 + 3
    first = cases[0]
    assert first.id == "001-premium-widget-v1-p1"
    assert first.input == "Product: WIDGET (priority)"
    assert first.description == "Premium widget; tags=a; prompt: prompt 1"
    assert [c.input for c in cases[1:3]] == ["Tags: a", "[1:a]"]
    gadget = [c for c in cases if c.id.startswith("002")]
    assert [c.input for c in gadget] == ["Product: GADGET", "Tags: ", ""]


def test_var_arrays_expand_as_cartesian_product(tmp_path: Path) -> None:
    # docs/configuration/guide "Multiple variables in a single test case": each combination of
    # array values runs; `generateVarCombinations` keeps arrays whose first item is not a string
    # (e.g. chat messages, passed through with `dump`) whole.
    config = write(
        tmp_path,
        {
            "promptfooconfig.yaml": """
                prompts: ['{{language}}|{{input}}|{{history | dump}}']
                tests:
                  - vars:
                      language: [French, German]
                      input: [Hello, Bye]
                      history: [{role: user, content: hi}]
                    assert: [{type: contains, value: x}]
            """
        },
    )
    cases = load_dataset(config)
    history = '[{"role":"user","content":"hi"}]'
    assert [c.input for c in cases] == [
        f"French|Hello|{history}",
        f"French|Bye|{history}",
        f"German|Hello|{history}",
        f"German|Bye|{history}",
    ]
    assert [c.id for c in cases] == ["001-v1", "001-v2", "001-v3", "001-v4"]


def test_file_vars_globs_and_var_composition(tmp_path: Path) -> None:
    # docs/configuration/guide "Import vars from separate files": `file://` loads a var, a glob
    # runs once per file; "Variable composition": vars reference vars. What a loaded file becomes
    # is what promptfoo 0.123.1 renders (checked with the real tool, see
    # test_eval_promptfoo_oracle.py): text trimmed, YAML as compact JSON text (not an object).
    config = write(
        tmp_path,
        {
            "promptfooconfig.yaml": """
                prompts: ['Write a {{item}}. Context: {{doc}} - {{profile}}{{profile.name}}']
                tests:
                  - vars:
                      item: 'tweet about {{topic}}'
                      topic: bananas
                      doc: file://docs/*.txt
                      profile: file://profile.yaml
                    assert: [{type: contains, value: bananas}]
            """,
            "docs/a.txt": "  alpha\n",
            "docs/b.txt": "beta",
            "profile.yaml": "name: Ana\n",
        },
    )
    cases = load_dataset(config)
    assert [c.input for c in cases] == [
        'Write a tweet about bananas. Context: alpha - {"name":"Ana"}',
        'Write a tweet about bananas. Context: beta - {"name":"Ana"}',
    ]


def test_csv_tests_with_expected_columns(tmp_path: Path) -> None:
    # docs/configuration/test-cases "CSV Format": columns are vars, `__expected` values without
    # a prefix are `equals`, `__expectedN` add assertions, `__description`, `__threshold`,
    # `__metadata:KEY`; contains-all takes comma-separated values.
    config = write(
        tmp_path,
        {
            "promptfooconfig.yaml": """
                prompts: ['Q: {{question}}']
                tests: file://tests.csv
            """,
            "tests.csv": """
                question,__expected1,__expected2,__description,__threshold,__metadata:category
                "What is 2+2?",4,contains: four,Sum,,math
                "Capital of France?","contains-all: Paris,France",icontains: paris,Capital,0.5,geo
            """,
        },
    )
    cases = load_dataset(config)
    assert [c.id for c in cases] == ["001-sum", "002-capital"]
    total, capital = cases
    assert total.input == "Q: What is 2+2?"
    assert total.tags == ["category:math"]
    assert verdict(total, "4") == (0.5, False)  # equals passes, contains 'four' fails
    assert verdict(total, " 4")[1] is False  # equals is exact: no trimming
    assert capital.threshold == 0.5
    assert verdict(capital, "paris is nice") == (0.5, True)  # 1 of 2 passes, threshold 0.5
    assert verdict(capital, "France: Paris") == (1.0, True)


def test_csv_problems_name_the_row_and_column(tmp_path: Path) -> None:
    # docs/configuration/expected-outputs "Assertion string syntax": `similar(0.8):` is embedding
    # similarity, `javascript:` runs code; neither can be reproduced exactly.
    config = write(
        tmp_path,
        {
            "promptfooconfig.yaml": "prompts: ['{{q}}']\ntests: file://t.csv\n",
            "t.csv": 'q,__expected\nhi,"similar(0.8):hello"\nbye,"javascript: output.length < 9"\n',
        },
    )
    csv_path = tmp_path / "t.csv"
    found = problems(config)
    assert found[0].startswith(f"{csv_path}:2: __expected: 'similar' is approximated: promptfoo:")
    assert found[1] == (
        f"{csv_path}:3: __expected: promptfoo assertion type 'javascript' has no genai-gate "
        "equivalent"
    )


def test_test_files_globs_and_jsonl(tmp_path: Path) -> None:
    # docs/configuration/guide "Import tests from separate files": a list mixing exact paths,
    # globs and inline tests; docs/configuration/test-cases "JSONL": one test per line.
    config = write(
        tmp_path,
        {
            "promptfooconfig.yaml": """
                prompts: ['{{x}}']
                tests:
                  - file://tests/*.yaml
                  - file://more.jsonl
                  - vars: {x: inline}
                    assert: [{type: equals, value: inline}]
            """,
            "tests/a.yaml": "- vars: {x: a}\n  assert: [{type: equals, value: a}]\n",
            "tests/b.yaml": "- vars: {x: b}\n  assert: [{type: equals, value: b}]\n",
            "more.jsonl": '{"vars": {"x": "j"}, "assert": [{"type": "equals", "value": "j"}]}\n',
        },
    )
    assert [c.input for c in load_dataset(config)] == ["a", "b", "j", "inline"]
    # a line is given only for tests written in the config itself (the others are elsewhere)
    assert [line for _, line in load_dataset_lines(config)] == [None, None, None, 5]


def test_default_test_inline_file_and_disable(tmp_path: Path) -> None:
    # docs/configuration/guide "Default test cases": defaultTest assertions apply to every test,
    # its vars are defaults a test may override, `options.disableDefaultAsserts` skips only its
    # assertions; "Loading defaultTest from external files": `defaultTest: file://...`.
    config = write(
        tmp_path,
        {
            "promptfooconfig.yaml": """
                prompts: ['{{audience}}: {{topic}}']
                defaultTest: file://default.yaml
                tests:
                  - vars: {topic: API setup}
                    assert: [{type: contains, value: API}]
                  - vars: {topic: JSON, audience: ops}
                    options: {disableDefaultAsserts: true}
                    assert: [{type: is-json}]
            """,
            "default.yaml": """
                vars: {audience: developer}
                assert:
                  - type: not-icontains
                    value: as an AI
            """,
        },
    )
    first, second = load_dataset(config)
    assert first.input == "developer: API setup"
    assert [s.type for s in first.scorers or []] == ["regex", "contains"]
    assert verdict(first, "As an AI, API steps")[1] is False
    assert second.input == "ops: JSON"
    assert [s.type for s in second.scorers or []] == ["json-valid"]


def test_weights_and_test_threshold(tmp_path: Path) -> None:
    # docs/configuration/expected-outputs "Weighted assertions" / "Setting a score requirement":
    # equals (weight 2) fails and contains (weight 1) passes on 'Goodbye world': score 1/3;
    # threshold 0.5 fails, 0.2 passes; "If weight is set to 0, the assertion automatically passes".
    asserts = """
                    assert:
                      - {type: equals, value: Hello world, weight: 2}
                      - {type: contains, value: world, weight: 1}
                      - {type: contains, value: never, weight: 0}
    """
    config = write(
        tmp_path,
        {
            "promptfooconfig.yaml": f"""
                prompts: ['{{{{q}}}}']
                tests:
                  - vars: {{q: a}}
                    threshold: 0.5
                    {asserts.strip()}
                  - vars: {{q: b}}
                    threshold: 0.2
                    {asserts.strip()}
                  - vars: {{q: c}}
                    {asserts.strip()}
            """.replace("\n                    assert", "\n                    assert"),
        },
    )
    strict, lenient, plain = load_dataset(config)
    score, passed = verdict(strict, "Goodbye world")
    assert round(score, 2) == 0.33 and passed is False
    assert verdict(lenient, "Goodbye world")[1] is True
    assert verdict(plain, "Goodbye world")[1] is False  # no threshold: every assertion must pass
    assert verdict(plain, "Hello world") == (1.0, True)  # the weight-0 assertion passes anyway


def test_assertion_rules_are_promptfoo_s(tmp_path: Path) -> None:
    # docs/configuration/expected-outputs/deterministic: contains = substring (case-sensitive),
    # icontains ignores case, starts-with, is-json parses the whole output, regex; values are
    # rendered with the test's vars (`{{var}}` inside assertion values and rubrics).
    config = write(
        tmp_path,
        {
            "promptfooconfig.yaml": """
                prompts: ['{{q}}']
                tests:
                  - vars: {q: x, city: Paris}
                    assert:
                      - {type: contains, value: 'Hello  {{city}}'}
                      - {type: starts-with, value: Hello}
                  - vars: {q: y}
                    assert: [{type: is-json}]
                  - vars: {q: z, city: Rome}
                    assert: [{type: llm-rubric, value: 'mentions {{city}}'}]
            """
        },
    )
    spaced, as_json, judged = load_dataset(config)
    assert verdict(spaced, "Hello  Paris!")[1] is True
    assert verdict(spaced, "Hello Paris!")[1] is False  # no whitespace folding in promptfoo
    assert verdict(spaced, "hello  Paris")[1] is False  # contains is case-sensitive
    assert verdict(as_json, '{"a": 1}')[1] is True
    assert verdict(as_json, '```json\n{"a": 1}\n```')[1] is False  # not JSON as a whole
    assert (judged.scorers or [])[0].params()["rubric"] == "mentions Rome"


def test_json_chat_prompt_escapes_vars(tmp_path: Path) -> None:
    # docs/configuration/guide "Escaping JSON strings": in a JSON prompt, vars inside strings are
    # escaped; docs/configuration/prompts "Chat Format (JSON)": the messages are sent as chat.
    config = write(
        tmp_path,
        {
            "promptfooconfig.yaml": """
                prompts: [file://chat.json]
                tests:
                  - vars: {system_message: 'Say "hi"\n twice', q: Hello}
                    assert: [{type: icontains, value: hi}]
            """,
            "chat.json": """
                [{"role": "system", "content": "{{ system_message }}"},
                 {"role": "user", "content": "{{ q }}"}]
            """,
        },
    )
    (case,) = load_dataset(config)
    assert case.messages() == [
        {"role": "system", "content": 'Say "hi" twice'},
        {"role": "user", "content": "Hello"},
    ]


def test_every_unmappable_construct_is_refused_once_at_its_line(tmp_path: Path) -> None:
    # docs/configuration/expected-outputs: javascript / python assertions and `transform` run
    # code; docs/configuration/guide "Transforming outputs"; docs/providers: provider ids.
    config = write(
        tmp_path,
        {
            "promptfooconfig.yaml": """
                prompts: ['{% for k, v in obj %}{{k}}{% endfor %}{{q}}',
                          {raw: '{{q}}', config: {response_format: {type: json_object}}}]
                providers:
                  - anthropic:messages:claude-3-5-sonnet
                  - id: openai:gpt-4o-mini
                    config: {response_format: {type: json_object}, temperature: 0}
                tests:
                  - vars: {q: [a, b, c]}
                    options: {transform: output.trim()}
                    assert:
                      - type: javascript
                        value: output.length < 10
                      - type: python
                        value: len(output) > 1
                      - type: contains
                        value: x
                        transform: output.toUpperCase()
            """
        },
    )
    found = problems(config)
    path = config
    assert found == [
        f"{path}:1: prompts.0: template uses `{{% for a, b in ... %}}` (Nunjucks iterates an "
        "object's entries, jinja2 its keys)",
        f"{path}:2: prompts.1.config: prompt field 'config' is not importable",
        f"{path}:4: providers.0: provider 'anthropic:messages:claude-3-5-sonnet' has no "
        "genai-gate target type (importable: openai:<model>, openai:chat:<model>; other agents: "
        "an `openai`, `http` or `python` target)",
        f"{path}:6: providers.1.config.response_format: provider option 'response_format' is "
        "not importable",
        f"{path}:9: tests.0.options.transform: options.transform runs promptfoo code",
        f"{path}:11: tests.0.assert.0: promptfoo assertion type 'javascript' has no genai-gate "
        "equivalent",
        f"{path}:13: tests.0.assert.1: promptfoo assertion type 'python' has no genai-gate "
        "equivalent",
        f"{path}:15: tests.0.assert.2: assertion field 'transform' has no genai-gate equivalent",
    ]


def test_approximations_refused_directly_listed_by_the_import(tmp_path: Path, capsys) -> None:
    # docs/configuration/expected-outputs/similar: cosine similarity of embeddings (default
    # threshold 0.75); .../model-graded/factuality: the grader picks a category. Neither is
    # reproduced exactly, so the import command lists them and a direct load refuses them.
    config = write(
        tmp_path,
        {
            "promptfooconfig.yaml": """
                prompts: ['{{q}}']
                providers: [openai:chat:gpt-4o-mini]
                tests:
                  - description: Capital
                    vars: {q: Capital of France?}
                    assert:
                      - {type: similar, value: Paris is the capital}
                      - {type: factuality, value: Paris}
            """
        },
    )
    found = problems(config)
    assert len(found) == 2 and all("import-promptfoo" in p for p in found)
    out = tmp_path / "out"
    assert main(["eval-gate", "import-promptfoo", str(config), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{config}:7: tests.0.assert.0: 'similar' is approximated" in err
    rows = [json.loads(line) for line in (out / "dataset.jsonl").read_text().splitlines()]
    assert rows[0]["id"] == "001-capital" and rows[0]["description"] == "Capital"
    assert [s["type"] for s in rows[0]["scorers"]] == ["token-f1", "llm-judge"]
    native, _ = load_yaml(out / "genai-gate.yaml")
    assert native["targets"]["gpt-4o-mini"]["model"] == "gpt-4o-mini"
    assert native["eval"]["judge"] == {"target": "gpt-4o-mini"}
    assert native["eval"]["suites"]["promptfoo"]["thresholds"] == {"min_pass_rate": 1.0}
    text = (out / "genai-gate.yaml").read_text()
    assert "'factuality' is approximated" in text
    # the native dataset loads as is; a second import does not overwrite without --force
    assert [c.id for c in load_dataset(out / "dataset.jsonl")] == ["001-capital"]
    assert main(["eval-gate", "import-promptfoo", str(config), "--out", str(out)]) == 2
    assert "pass --force to overwrite" in capsys.readouterr().err


def test_import_writes_nothing_when_a_construct_is_refused(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    config = write(
        tmp_path,
        {"promptfooconfig.yaml": "tests:\n  - vars: {prompt: hi}\n    assert: [{type: webhook}]\n"},
    )
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    assert main(["eval-gate", "import-promptfoo", str(config), "--out", str(out)]) == 2
    assert "tests.0.assert.0: promptfoo assertion type 'webhook'" in capsys.readouterr().err
    assert not out.exists()
    assert not (tmp_path / ".genai-gate").exists()  # no eval-gate results file from an import


def test_grading_provider_becomes_the_judge(tmp_path: Path, capsys) -> None:
    # docs/configuration/guide "Default test cases": `defaultTest.options.provider` overrides the
    # model used for model-graded evals.
    config = write(
        tmp_path,
        {
            "promptfooconfig.yaml": """
                providers: [openai:gpt-4o-mini]
                defaultTest:
                  options: {provider: openai:gpt-4o}
                tests:
                  - vars: {prompt: hi}
                    assert: [{type: llm-rubric, value: is polite}]
            """
        },
    )
    found = problems(config)
    assert found == [
        f"{config}:3: defaultTest.options.provider: the grading model is `eval.judge` in "
        "genai-gate.yaml: set it there (`genai-gate eval-gate import-promptfoo` writes it)"
    ]
    out = tmp_path / "out"
    assert main(["eval-gate", "import-promptfoo", str(config), "--out", str(out)]) == 0
    native, _ = load_yaml(out / "genai-gate.yaml")
    assert native["targets"]["gpt-4o"]["model"] == "gpt-4o"
    assert native["eval"]["judge"] == {"target": "gpt-4o"}
    assert native["eval"]["suites"]["promptfoo"]["target"] == "gpt-4o-mini"


def test_convert_keeps_source_lines(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        {"promptfooconfig.yaml": "tests:\n  - vars: {prompt: hi}\n    assert: [{type: is-json}]\n"},
    )
    data, lines = load_yaml(config)
    conversion = convert(Node(data, config, lines))
    assert [(c.data["input"], c.where.line) for c in conversion.cases] == [("hi", 2)]


def test_regex_and_vars_files_that_promptfoo_reads_differently_are_refused(tmp_path: Path) -> None:
    # Observed with promptfoo 0.123.1 (scripts/promptfoo-oracle): its JavaScript RegExp rejects
    # `(?i)`, so the assertion always fails there; `vars: file://...` on a test loads nothing.
    config = write(
        tmp_path,
        {
            "promptfooconfig.yaml": """
                tests:
                  - vars: {prompt: hi}
                    assert:
                      - {type: regex, value: '(?i)hello'}
                      - {type: regex, value: 'ok$'}
                  - vars: file://vars.yaml
                    assert: [{type: contains, value: x}]
            """,
            "vars.yaml": "prompt: hi\n",
        },
    )
    assert problems(config) == [
        f"{config}:4: tests.0.assert.0: regex '(?i)hello' uses '(?i)', which JavaScript's RegExp "
        "(promptfoo) rejects or reads differently: write it in syntax both accept",
        f"{config}:6: tests.1.vars: `vars: file://...` is not loaded by promptfoo 0.123 (the test "
        "runs without vars): write the vars inline, or each var as `name: file://...`",
    ]
    (config.parent / "promptfooconfig.yaml").write_text(
        "tests:\n  - vars: {prompt: hi}\n    assert: [{type: regex, value: 'ok$'}]\n"
    )
    (case,) = load_dataset(config)
    # JavaScript's `$` matches only at the very end; `\d` `\w` `\b` are ASCII there
    assert verdict(case, "ok") == (1.0, True) and verdict(case, "ok\n")[1] is False
    assert (case.scorers or [])[0].params()["ascii_classes"] is True


def test_one_line_prompt_with_a_slash_is_a_path_as_in_promptfoo(tmp_path: Path) -> None:
    # Observed with promptfoo 0.123.1: a one-line prompt containing `/` is read as a file path or
    # glob ('There are no prompts in "a / {{ c }}"'); an existing file is loaded.
    config = write(
        tmp_path,
        {
            "promptfooconfig.yaml": """
                prompts: ['Ask {{ q }} and/or wait', 'prompts/p.txt']
                tests:
                  - vars: {q: x}
                    assert: [{type: contains, value: x}]
            """,
            "prompts/p.txt": "From file: {{ q }}",
        },
    )
    assert problems(config) == [
        f"{config}:1: prompts.0: promptfoo reads the one-line prompt 'Ask {{{{ q }}}} and/or "
        "wait' as a file path (there: no prompts found): write a multi-line prompt (`|`) or name "
        "an existing file"
    ]
    config.write_text(config.read_text().replace("'Ask {{ q }} and/or wait', ", ""))
    assert [c.input for c in load_dataset(config)] == ["From file: x"]
