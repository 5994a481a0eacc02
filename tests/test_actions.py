"""Composite actions: metadata consistent with the CLI, input validation, outputs, setup script."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from genai_gate import action_inputs
from genai_gate.action_inputs import InputError, build, split_list
from genai_gate.action_spec import ACTIONS, UMBRELLA, action, inputs_of, outputs_of
from genai_gate.cli import build_parser
from genai_gate.commands import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bank-support-agent"
SETUP = ROOT / "actions" / "setup" / "setup.sh"
REPLAY_SET = ROOT / "tests" / "data" / "injection" / "external.jsonl"


def option_strings(parser: argparse.ArgumentParser) -> set[str]:
    """Every option of a parser and of its sub-command parsers."""
    found: set[str] = set()
    for act in parser._actions:
        found.update(act.option_strings)
        if isinstance(act, argparse._SubParsersAction):
            for sub in act.choices.values():
                found |= option_strings(sub)
    return found


def command_parser(command: str) -> argparse.ArgumentParser:
    parser, _ = build_parser(command)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices[command]


def test_generated_action_files_are_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "release"), "actions", "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("spec", ACTIONS, ids=lambda s: s.name)
def test_every_input_maps_to_a_cli_option(spec) -> None:
    options = option_strings(command_parser(spec.command))
    for item in inputs_of(spec):
        if item.kind in ("secret", "setup", "cwd", "env", "secret-env", "mock") or item.positional:
            continue
        option = "--output" if item.kind == "output" else item.option
        assert option in options, f"{spec.name}: input {item.name} -> {option} not a CLI option"
    if spec.subaction:
        sub = next(i for i in spec.inputs if i.name == spec.subaction)
        parser = command_parser(spec.command)
        subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        assert set(sub.choices) <= set(subs.choices)


@pytest.mark.parametrize("spec", [*ACTIONS, UMBRELLA], ids=lambda s: s.name)
def test_action_yml_declares_the_spec(spec) -> None:
    path = ROOT / ("action.yml" if spec is UMBRELLA else f"actions/{spec.name}/action.yml")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(doc["inputs"]) == [i.name for i in inputs_of(spec)]
    assert list(doc["outputs"]) == [o.name for o in outputs_of(spec)]
    for name, out in doc["outputs"].items():
        assert out["value"] == f"${{{{ steps.gate.outputs.{name} }}}}"
    assert all(v["required"] is False or v["required"] is True for v in doc["inputs"].values())
    steps = doc["runs"]["steps"]
    assert steps[-1]["env"]["GENAI_GATE_ACTION_INPUTS"] == "${{ toJSON(inputs) }}"
    assert "setup/setup.sh" in steps[0]["run"]  # own checkout, never a sibling `./` action
    assert not any(str(s.get("uses", "")).startswith("./") for s in steps)


def test_build_maps_kinds_and_keeps_secrets_out_of_argv(tmp_path: Path) -> None:
    inv = build(
        "audit-log",
        {
            "action": "record",
            "event": "canary-step",
            "traffic-percent": "25",
            "approvers": "alice, bob",
            "chain-only": "false",
            "signing-key": "s3cr3t",
            "github-token": "ghs_token",
            "working-directory": str(tmp_path),
        },
    )
    assert inv.argv[:2] == ["audit-log", "record"]
    assert inv.argv[-2:] == ["--format", "github"]
    assert "--traffic-percent" in inv.argv and "25" in inv.argv
    assert inv.argv.count("--approver") == 2 and "--chain-only" not in inv.argv
    assert "s3cr3t" not in inv.argv and "ghs_token" not in inv.argv
    assert inv.env == {"GENAI_GATE_AUDIT_KEY": "s3cr3t", "GITHUB_TOKEN": "ghs_token"}
    assert inv.cwd == tmp_path


def test_agent_env_and_masked_secrets() -> None:
    inv = build(
        "eval-gate",
        {"agent-env": "LLM_URL=http://x/v1\nEMPTY=\n", "agent-secrets": "LLM_KEY=sk-123"},
    )
    assert inv.env == {"LLM_URL": "http://x/v1", "LLM_KEY": "sk-123"}
    assert inv.masked == ["sk-123"] and "sk-123" not in inv.argv
    with pytest.raises(InputError, match="line 1: expected NAME=VALUE"):
        build("eval-gate", {"agent-env": "not an assignment"})


def test_build_positional_lists_and_outputs() -> None:
    inv = build("pii-scan", {"paths": "prompts\nevals", "sarif-file": "out.sarif", "types": "iban"})
    assert inv.argv == [
        "pii-scan",
        "--type",
        "iban",
        "--output",
        "sarif=out.sarif",
        "prompts",
        "evals",
        "--format",
        "github",
    ]
    umbrella = build("genai-gate", {"command": "prompt-lint", "args": "--prompts\nprompts"})
    assert umbrella.argv == ["prompt-lint", "--prompts", "prompts", "--format", "github"]


@pytest.mark.parametrize(
    ("name", "values", "message"),
    [
        ("canary-gate", {"baseline-label": "b", "canary-label": "c"}, "input 'step' is required"),
        ("canary-gate", {"step": "five", "baseline-label": "b", "canary-label": "c"}, "integer"),
        ("injection-test", {"full": "maybe"}, "expected true or false"),
        ("audit-log", {"action": "delete"}, "expected one of record"),
        ("genai-gate", {"command": "mock-llm"}, "expected one of"),
        ("prompt-lint", {"prompt": "x"}, "unknown input 'prompt'"),
        ("prompt-lint", {"working-directory": "/no/such/folder"}, "no folder"),
        (
            "injection-test",
            {"replay": "log.jsonl", "target": "naive", "paraphrase": "true"},
            "input 'replay' cannot be combined with input 'target'; input 'replay' cannot be "
            "combined with input 'paraphrase'",
        ),
        (
            "injection-test",
            {"replay": "log.jsonl", "attacks": "mine.yaml"},
            "input 'replay' cannot be combined with input 'attacks'",
        ),
        (
            "eval-gate",
            {"replay": "prod.jsonl", "target": "agent", "changed-only": "true"},
            "input 'replay' cannot be combined with input 'target'; input 'replay' cannot be "
            "combined with input 'changed-only'",
        ),
    ],
)
def test_build_rejects_bad_inputs(name: str, values: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        build(name, values)


def test_injection_attack_files_and_replay_map_to_their_options() -> None:
    inv = build("injection-test", {"attacks": "red/a.jsonl, red/b.yaml", "full": "true"})
    assert inv.argv == [
        "injection-test",
        "--full",
        "--attacks",
        "red/a.jsonl",
        "--attacks",
        "red/b.yaml",
        "--format",
        "github",
    ]
    inv = build("injection-test", {"replay": "logs/staging.jsonl", "paraphrase": "false"})
    assert inv.argv == ["injection-test", "--replay", "logs/staging.jsonl", "--format", "github"]
    inv = build("eval-gate", {"replay": "logs/prod.jsonl", "suites": "production"})
    assert inv.argv == [
        "eval-gate",
        "--suite",
        "production",
        "--replay",
        "logs/prod.jsonl",
        "--format",
        "github",
    ]


def test_injection_action_replays_a_labelled_transcript_file(
    caller: Path, tmp_path: Path, monkeypatch
) -> None:
    replayed = [json.loads(line) for line in REPLAY_SET.read_text(encoding="utf-8").splitlines()]
    leaks = sum(record["label"] == "success" for record in replayed)
    code, outputs, summary = run_action(
        "injection-test",
        {"working-directory": str(caller), "replay": str(REPLAY_SET)},
        tmp_path,
        monkeypatch,
    )
    assert code == 1 and outputs["status"] == "fail"
    assert outputs["attacks"] == str(len(replayed))
    assert outputs["successful-attacks"] == str(leaks)  # the judge agrees with every label
    assert f"{leaks}/{len(replayed)} attacks succeeded" in summary


def test_split_list() -> None:
    assert split_list("a, b ,c") == ["a", "b", "c"]
    assert split_list("a\n\n b\n") == ["a", "b"]
    assert split_list("") == []


@pytest.fixture(autouse=True)
def _restore_environment() -> Iterator[None]:
    """`action_inputs.main` exports the action's env and the mock LLM's URL into its own process,
    as a step's process should; run in the test process, that would leak a dead mock's URL into
    later tests (the act runs then skip starting their mock), so each test's changes are undone."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def run_action(name: str, inputs: dict, tmp_path: Path, monkeypatch) -> tuple[int, dict, str]:
    """Run `python -m genai_gate.action_inputs NAME` in-process; exit code, outputs, summary."""
    output, summary = tmp_path / "output", tmp_path / "summary"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv(action_inputs.INPUTS_ENV, json.dumps(inputs))
    monkeypatch.chdir(tmp_path)
    code = action_inputs.main([name])
    text = output.read_text(encoding="utf-8") if output.exists() else ""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        key, _, delim = line.partition("<<")
        outputs[key] = "\n".join(iter(lambda: next(lines), delim))
    return code, outputs, summary.read_text(encoding="utf-8") if summary.exists() else ""


@pytest.fixture
def caller(tmp_path: Path) -> Path:
    dest = tmp_path / "caller"
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns(".genai-gate", "__pycache__"))
    return dest


@pytest.mark.parametrize(
    ("name", "inputs"),
    [
        ("prompt-lint", {"sarif-file": "pl.sarif"}),
        ("cost-estimate", {}),
        ("pii-scan", {"paths": "bank_agent/kb"}),
    ],
)
def test_declared_outputs_are_set_by_the_gate(
    name: str, inputs: dict, caller: Path, tmp_path: Path, monkeypatch
) -> None:
    code, outputs, summary = run_action(
        name, {**inputs, "working-directory": str(caller)}, tmp_path, monkeypatch
    )
    declared = {o.name for o in outputs_of(action(name))}
    assert declared <= set(outputs), declared - set(outputs)
    assert outputs["exit-code"] == str(code)
    assert outputs["status"] == {0: "pass", 1: "fail"}[code]
    assert (caller / outputs["results-file"]).is_file()
    assert summary.strip()  # the github reporter wrote the step summary


def test_bad_inputs_still_set_status_and_exit_2(tmp_path: Path, monkeypatch, capsys) -> None:
    code, outputs, _ = run_action("canary-gate", {"step": "x"}, tmp_path, monkeypatch)
    assert code == 2
    assert outputs == {"exit-code": "2", "status": "error"}
    printed = capsys.readouterr().out
    assert printed.startswith("::error title=genai-gate canary-gate%3A bad inputs::")
    assert "input 'baseline-label' is required" in printed


def test_config_error_sets_status_error_and_results_file(
    caller: Path, tmp_path: Path, monkeypatch
) -> None:
    (caller / "genai-gate.yaml").write_text("version: 1\nbogus: true\n", encoding="utf-8")
    code, outputs, _ = run_action(
        "prompt-lint", {"working-directory": str(caller)}, tmp_path, monkeypatch
    )
    assert code == 2
    assert outputs["status"] == "error" and outputs["exit-code"] == "2"
    assert outputs["results-file"].endswith("prompt-lint.json")


def setup_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GENAI_GATE")}
    return {
        **env,
        "GITHUB_OUTPUT": str(tmp_path / "out"),
        "RUNNER_TOOL_CACHE": str(tmp_path),
        **extra,
    }


def read_outputs(tmp_path: Path) -> dict[str, str]:
    lines = (tmp_path / "out").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_setup_key_follows_the_lock_and_requirements(tmp_path: Path) -> None:
    subprocess.run([str(SETUP), "key"], env=setup_env(tmp_path), check=True)
    plain = read_outputs(tmp_path)
    (tmp_path / "out").unlink()
    reqs = EXAMPLE / "requirements.txt"
    env = setup_env(tmp_path, GENAI_GATE_REQUIREMENTS=str(reqs))
    subprocess.run([str(SETUP), "key"], env=env, check=True)
    with_reqs = read_outputs(tmp_path)
    assert plain["key"].startswith("genai-gate-venv-") and plain["key"] != with_reqs["key"]
    assert plain["path"] == f"{tmp_path}/genai-gate/{plain['key']}"


def test_setup_uses_a_prepared_environment(tmp_path: Path) -> None:
    env = setup_env(tmp_path, GENAI_GATE_VENV=sys.prefix)
    done = subprocess.run([str(SETUP), "install"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert read_outputs(tmp_path)["python"] == f"{sys.prefix}/bin/python"


def test_setup_rejects_missing_requirements(tmp_path: Path) -> None:
    env = setup_env(tmp_path, GENAI_GATE_REQUIREMENTS=str(tmp_path / "nope.txt"))
    done = subprocess.run([str(SETUP), "key"], env=env, capture_output=True, text=True)
    assert done.returncode == 2 and "requirements file not found" in done.stdout


OLD_PIP_PYTHON = """#!/bin/sh
# python3 whose pip cannot install into another interpreter (pip < 22.3 has no --python)
[ "$1 $2 $3" = "-m pip --python" ] && { echo "no such option: --python" >&2; exit 2; }
exec {python} "$@"
"""


@pytest.mark.slow
@pytest.mark.parametrize("pip_in_venv", [False, True], ids=["host-pip", "old-host-pip"])
def test_setup_builds_the_venv_from_the_hash_locked_file(tmp_path: Path, pip_in_venv: bool) -> None:
    """Cold install from requirements.lock (pip --require-hashes, PyPI), then warm reuse. The
    venv gets no pip of its own unless the interpreter's pip cannot install into it."""
    env = setup_env(tmp_path)
    if pip_in_venv:
        wrapper = tmp_path / "python3"
        wrapper.write_text(OLD_PIP_PYTHON.replace("{python}", sys.executable), encoding="utf-8")
        wrapper.chmod(0o755)
        env["GENAI_GATE_PYTHON"] = str(wrapper)
    subprocess.run([str(SETUP), "key"], env=env, check=True)
    keys = read_outputs(tmp_path)
    env.update(GENAI_GATE_KEY=keys["key"], GENAI_GATE_VENV_PATH=keys["path"])
    cold = subprocess.run([str(SETUP), "install"], env=env, capture_output=True, text=True)
    assert cold.returncode == 0, cold.stdout + cold.stderr
    assert "venv built" in cold.stdout
    python = read_outputs(tmp_path)["python"]
    probe = subprocess.run(
        [python, "-c", "import genai_gate, sys; print(genai_gate.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == str(ROOT / "src" / "genai_gate" / "__init__.py")
    assert (Path(python).parent / "pip").exists() is pip_in_venv
    warm = subprocess.run([str(SETUP), "install"], env=env, capture_output=True, text=True)
    assert warm.returncode == 0 and "venv restored" in warm.stdout
    cli = subprocess.run(
        [str(Path(python).parent / "genai-gate"), "--version"], capture_output=True, text=True
    )
    assert cli.stdout.startswith("genai-gate ")
    for command in COMMANDS:  # every command module imports with only the locked packages
        helped = subprocess.run(
            [str(Path(python).parent / "genai-gate"), command, "--help"],
            capture_output=True,
            text=True,
        )
        assert helped.returncode == 0, f"{command}: {helped.stderr[-2000:]}"


def test_lock_pins_every_runtime_dependency() -> None:
    """actions/setup/requirements.lock is regenerated whenever pyproject.toml gains a dependency."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lock = (ROOT / "actions" / "setup" / "requirements.lock").read_text().lower()
    pinned = set(re.findall(r"^([a-z0-9][a-z0-9._-]*)==", lock, flags=re.MULTILINE))
    for requirement in declared:
        name = re.split(r"[<>=!~; \[]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        assert name in pinned, f"{name} is not in requirements.lock: run `scripts/release lock`"


def test_results_file_names_the_genai_gate_commit(tmp_path: Path, monkeypatch) -> None:
    """Every results file carries top-level `genai_gate_commit`: the commit in
    $GENAI_GATE_COMMIT (set by the actions), null when unset."""
    from genai_gate.results import GateResult, Status

    monkeypatch.setenv("GENAI_GATE_COMMIT", "0123456789abcdef0123456789abcdef01234567")
    named = json.loads(
        GateResult(gate="x", status=Status.PASS).write(tmp_path / "a.json").read_text()
    )
    assert named["genai_gate_commit"] == "0123456789abcdef0123456789abcdef01234567"
    monkeypatch.delenv("GENAI_GATE_COMMIT")
    unknown = json.loads(
        GateResult(gate="x", status=Status.PASS).write(tmp_path / "b.json").read_text()
    )
    assert "genai_gate_commit" in unknown and unknown["genai_gate_commit"] is None
    assert GateResult.read(tmp_path / "a.json").genai_gate_commit == named["genai_gate_commit"]


def test_deploy_without_its_commands_is_a_configuration_error(tmp_path: Path, monkeypatch, capsys):
    """genai-deploy.yml's first job: empty deploy/traffic/rollback commands exit 2, naming each,
    with the reason in the step summary (nothing deployed or recorded yet)."""
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    inputs = {
        "deploy-command": "",
        "traffic-command": "kubectl set weight",
        "rollback-command": " ",
    }
    monkeypatch.setenv(action_inputs.INPUTS_ENV, json.dumps(inputs))
    assert action_inputs.main(["--workflow", "genai-deploy"]) == 2
    out = capsys.readouterr().out
    assert "::error title=genai-deploy%3A configuration error::input 'deploy-command'" in out
    assert "input 'rollback-command' of genai-deploy.yml is empty" in out
    assert "traffic-command" not in out
    assert "nothing would be deployed" in summary.read_text(encoding="utf-8")
    complete = {
        "deploy-command": "d",
        "traffic-command": "t",
        "rollback-command": "r",
        "strategy": "canary",
    }
    monkeypatch.setenv(action_inputs.INPUTS_ENV, json.dumps(complete))
    assert action_inputs.main(["--workflow", "genai-deploy"]) == 0
    monkeypatch.setenv(action_inputs.INPUTS_ENV, json.dumps({**complete, "strategy": "bluegreen"}))
    assert action_inputs.main(["--workflow", "genai-deploy"]) == 2
    assert "input 'strategy' of genai-deploy.yml is 'bluegreen', not canary or blue-green" in (
        capsys.readouterr().out
    )
    assert action_inputs.main(["--workflow", "no-such-workflow"]) == 2
    assert "no input rules for workflow 'no-such-workflow'" in capsys.readouterr().out


def test_deploy_workflow_checks_its_inputs_before_anything_else() -> None:
    """The check job runs first and every deploying job depends on its success."""
    doc = yaml.safe_load((ROOT / ".github/workflows/genai-deploy.yml").read_text(encoding="utf-8"))
    jobs = doc["jobs"]
    run = jobs["check"]["steps"][-1]["run"]
    assert "genai_gate.action_inputs --workflow genai-deploy" in run
    assert jobs["build"]["needs"] == "check"
    assert "check" in jobs["staging"]["needs"]
    assert "needs.check.result == 'success'" in jobs["staging"]["if"]
    assert "staging" in jobs["production"]["needs"]


EXAMPLE_MOCK_SCRIPT = ROOT / "examples" / "bank-support-agent" / "mock" / "script.yaml"


def test_mock_llm_serves_for_the_duration_of_the_command(tmp_path: Path, monkeypatch, capsys):
    """`mock-llm-script`: the mock LLM answers the official openai client while the command
    runs, its URL is in the named variable, and it is stopped afterwards."""
    import urllib.error
    import urllib.request

    import openai

    (tmp_path / "notes.txt").write_text("nothing personal here\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BANK_AGENT_LLM_URL", raising=False)
    seen: dict[str, list[str]] = {}

    def fake_cli(argv: list[str]) -> int:
        url = os.environ["BANK_AGENT_LLM_URL"]
        client = openai.OpenAI(base_url=url, api_key="any", max_retries=0)
        seen[url] = [m.id for m in client.models.list()]
        return 0

    monkeypatch.setattr("genai_gate.cli.main", fake_cli)
    inputs = {
        "paths": "notes.txt",
        "mock-llm-script": str(EXAMPLE_MOCK_SCRIPT),
        "mock-llm-url-env": "BANK_AGENT_LLM_URL",
    }
    monkeypatch.setenv(action_inputs.INPUTS_ENV, json.dumps(inputs))
    assert action_inputs.main(["pii-scan"]) == 0
    [(url, models)] = seen.items()
    assert "bank-hardened" in models and url.startswith("http://127.0.0.1:")
    assert (
        f"mock LLM ({EXAMPLE_MOCK_SCRIPT}) at {url} in $BANK_AGENT_LLM_URL"
        in capsys.readouterr().out
    )
    with pytest.raises(urllib.error.URLError):  # stopped after the command
        urllib.request.urlopen(url.removesuffix("/v1") + "/health", timeout=2)


def test_mock_llm_is_not_started_when_a_url_is_configured(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("genai_gate.cli.main", lambda argv: 0)
    inputs = {
        "paths": ".",
        "mock-llm-script": "missing.yaml",
        "agent-env": "OPENAI_BASE_URL=http://llm",
    }
    monkeypatch.setenv(action_inputs.INPUTS_ENV, json.dumps(inputs))
    assert action_inputs.main(["pii-scan"]) == 0
    assert "mock LLM" not in capsys.readouterr().out
    monkeypatch.setenv(
        action_inputs.INPUTS_ENV, json.dumps({"paths": ".", "mock-llm-script": "missing.yaml"})
    )
    monkeypatch.delenv("OPENAI_BASE_URL")
    assert action_inputs.main(["pii-scan"]) == 2
    assert "input 'mock-llm-script': no file 'missing.yaml'" in capsys.readouterr().out
