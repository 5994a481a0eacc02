"""prompt-lint --base-ref on a real git repository: version bumps and removed prompts."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from genai_gate.cli import main
from genai_gate.registry import semver
from genai_gate.registry.semver import Bump

MODELS = """\
models:
  - name: small
    version: small-1
    provider: openai
    tokenizer: cl100k_base
    context_window: 8000
    max_output_tokens: 1000
    price_per_1m_tokens: {input: 0.15, output: 0.60}
  - name: large
    version: large-1
    provider: openai
    tokenizer: cl100k_base
    context_window: 8000
    max_output_tokens: 1000
    price_per_1m_tokens: {input: 2.0, output: 8.0}
"""

PROMPT = """\
prompt_id: {id}
version: {version}
description: {description}
model: {model}
variables: [{variables}]
template: |
  You are the assistant of Example Bank.{extra}
  <question>
  {{{{ question }}}}
  </question>
metadata:
  author: test.author
  created_at: "2026-01-01"
"""


def prompt(pid: str, version: str = "1.0.0", **changes: str) -> str:
    fields = {"description": "a prompt", "model": "small", "variables": "question", "extra": ""}
    fields.update(changes)
    if "customer" in fields["variables"]:
        fields["extra"] += " Greet {{ customer }}."
    return PROMPT.format(id=pid, version=version, **fields)


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


def write(repo: Path, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)


def test_version_rules_against_base_ref(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    app = "agent"  # the config lives in a subfolder, as in a monorepo
    base = {
        f"{app}/genai-gate.yaml": "version: 1\nregistry: {prompts: prompts, models: models.yaml}\n",
        f"{app}/models.yaml": MODELS,
        f"{app}/prompts/text-changed.yaml": prompt("text-changed"),
        f"{app}/prompts/vars-changed.yaml": prompt("vars-changed"),
        f"{app}/prompts/model-changed.yaml": prompt("model-changed", "2.1.3"),
        f"{app}/prompts/docs-only.yaml": prompt("docs-only"),
        f"{app}/prompts/whitespace.yaml": prompt("whitespace"),
        f"{app}/prompts/removed.yaml": prompt("removed"),
        f"{app}/prompts/removed-unused.yaml": prompt("removed-unused"),
        f"{app}/prompts/broken-now.yaml": prompt("broken-now"),
        "src/app.py": 'import x\n\nSYSTEM = load_prompt("removed")\nOTHER = "removed-unused-not"\n'
        'BROKEN = "broken-now"\n',
    }
    write(repo, base)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "tag", "base")
    head = {
        f"{app}/prompts/text-changed.yaml": prompt("text-changed", extra=" Be brief."),
        f"{app}/prompts/vars-changed.yaml": prompt(
            "vars-changed", "1.0.1", variables="customer, question"
        ),
        f"{app}/prompts/model-changed.yaml": prompt("model-changed", "2.2.0", model="large"),
        f"{app}/prompts/docs-only.yaml": prompt("docs-only", description="better words"),
        f"{app}/prompts/whitespace.yaml": prompt("whitespace", extra="  "),
        f"{app}/prompts/removed.yaml": None,
        f"{app}/prompts/removed-unused.yaml": None,
        f"{app}/prompts/mentions.yaml": prompt("mentions", description="replaces removed"),
        f"{app}/prompts/broken-now.yaml": prompt("broken-now").replace(
            "  author: test.author\n", ""
        ),
    }
    write(repo, head)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "head")

    results = tmp_path / "results"
    code = main(
        [
            "--config",
            str(repo / app / "genai-gate.yaml"),
            "prompt-lint",
            "--base-ref",
            "base",
            "--results-dir",
            str(results),
            "--format",
            "json",
        ]
    )
    result = json.loads((results / "prompt-lint.json").read_text())
    found = {
        (
            f["rule_id"],
            f["location"]["path"],
            f["location"]["line"],
            f["properties"].get("needed_bump"),
        )
        for f in result["findings"]
    }
    assert found == {
        ("PL601", "agent/prompts/text-changed.yaml", 2, "minor"),
        ("PL601", "agent/prompts/whitespace.yaml", 2, "patch"),
        ("PL602", "agent/prompts/vars-changed.yaml", 2, "major"),
        ("PL603", "src/app.py", 3, None),  # paths are repository-relative, for annotations
        ("PL101", "agent/prompts/broken-now.yaml", 11, None),  # schema error, but not "removed"
    }
    messages = {f["rule_id"] + f["location"]["path"]: f["message"] for f in result["findings"]}
    assert "bump to 1.1.0" in messages["PL601agent/prompts/text-changed.yaml"]
    assert "bump to 2.0.0" in messages["PL602agent/prompts/vars-changed.yaml"]
    assert "'removed'" in messages["PL603src/app.py"]
    assert code == 1


def test_unknown_base_ref_is_a_usage_error(tmp_path: Path, capsys) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write(
        repo,
        {
            "genai-gate.yaml": "version: 1\nregistry: {prompts: prompts, models: models.yaml}\n",
            "models.yaml": MODELS,
            "prompts/a.yaml": prompt("a"),
        },
    )
    code = main(
        [
            "--config",
            str(repo / "genai-gate.yaml"),
            "prompt-lint",
            "--base-ref",
            "nope",
            "--results-dir",
            str(tmp_path / "r"),
        ]
    )
    assert code == 2
    assert "--base-ref 'nope' is not a commit" in capsys.readouterr().err


def test_semver_bumps() -> None:
    v = semver.parse
    assert v("1.2") is None and v("01.2.3") is None
    assert semver.bump_between(v("1.2.3"), v("1.2.4")) is Bump.PATCH
    assert semver.bump_between(v("1.2.3"), v("1.3.0")) is Bump.MINOR
    assert semver.bump_between(v("1.2.3"), v("2.0.0")) is Bump.MAJOR
    assert semver.bump_between(v("1.2.3"), v("1.2.3")) is Bump.NONE
    assert semver.bump_between(v("1.2.3"), v("1.2.2")) is Bump.NONE
    assert semver.bump_between(v("1.0.0-rc.1"), v("1.0.0")) is Bump.PATCH
    assert semver.bumped(v("1.2.3"), Bump.MINOR) == "1.3.0"
