"""One descriptor per gate (`genai_gate.gates.spec`): every gate decides every hook, the tables
derived from the descriptors agree with them, and a new gate is one package plus one line.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import importlib
import inspect
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from genai_gate import action_spec, commands, pipeline
from genai_gate.cli import build_parser
from genai_gate.config import root_model
from genai_gate.gates import GATE_MODULES, gates
from genai_gate.gates.spec import GateSpec, resolve
from genai_gate.options import GateOptions
from genai_gate.report import merge, sections
from genai_gate.results import TypedDetails, TypedSummary, typed_models
from genai_gate.schema import StrictModel

ROOT = Path(__file__).resolve().parents[1]
TOY = ROOT / "tests" / "data" / "toy_gate"

REQUIRED_ARGUMENTS: dict[str, tuple[list[str], dict[str, object]]] = {
    "audit-log": (["verify"], {"action": "verify"}),
    "monitor": (["rules"], {"action": "rules"}),
    "pii-scan": (["README.md"], {"paths": ("README.md",)}),
    "canary-gate": (
        ["--step", "10", "--baseline-label", "stable", "--canary-label", "canary"],
        {"step": 10, "baseline_label": "stable", "canary_label": "canary"},
    ),
}
"""Arguments a gate's command line cannot do without, and the options they give."""

GATE_NAMES = [g.name for g in gates()]


def gate(name: str) -> GateSpec:
    return next(g for g in gates() if g.name == name)


def test_a_descriptor_states_every_hook_explicitly() -> None:
    defaulted = [
        f.name
        for f in dataclasses.fields(GateSpec)
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
    ]
    assert defaulted == [], "a gate must decide every hook (no defaults)"
    assert len(GATE_MODULES) == len(set(GATE_NAMES)) == len(gates())


@pytest.mark.parametrize("name", GATE_NAMES)
def test_every_gate_provides_every_hook(name: str) -> None:
    spec = gate(name)
    module = importlib.import_module(spec.command)
    assert (module.__doc__ or "").strip(), f"{spec.command} has no docstring (its --help)"
    assert callable(module.add_arguments) and callable(module.run)
    assert commands.COMMANDS[name].module == spec.command
    assert commands.COMMANDS[name].gate is spec.writes_results
    if spec.config is not None:
        settings = resolve(spec.config.settings)
        assert isinstance(settings, type) and issubclass(settings, StrictModel)
        field = root_model().model_fields[spec.config.key]
        assert field.annotation == settings | None
        assert field.description == spec.config.doc
    if spec.section is not None:
        render = resolve(spec.section)
        assert callable(render) and len(inspect.signature(render).parameters) == 1
    assert sections.SECTIONS.get(name) == spec.section
    if spec.merger is not None:
        hook = resolve(spec.merger)
        assert callable(hook) and len(inspect.signature(hook).parameters) == 2
    assert merge.MERGERS.get(name) == spec.merger
    for ref, base in ((spec.summary, TypedSummary), (spec.details, TypedDetails)):
        if ref is not None:
            part = resolve(ref)
            assert isinstance(part, type) and issubclass(part, base)
    assert (name in typed_models()) is (spec.summary is not None or spec.details is not None)
    if spec.action is not None:
        assert spec.action.name == spec.action.command == name
        assert spec.action in action_spec.ACTIONS
    if spec.pipeline is not None:
        assert spec.config is not None, "`genai-gate run` runs a gate when its section is present"
        assert spec.writes_results
        assert pipeline.SECTION_OF_GATE[name] == spec.config.key
    assert (name in commands.PIPELINE_ORDER) is (spec.pipeline is not None)
    assert getattr(module, "Options", None) is not None, "every gate's run takes typed Options"


def test_pipeline_order_and_sections_follow_the_positions() -> None:
    assert commands.PIPELINE_ORDER == [
        "prompt-lint",
        "injection-test",
        "eval-gate",
        "cost-estimate",
    ]
    assert pipeline.SECTION_OF_GATE == {
        "prompt-lint": "prompt_lint",
        "injection-test": "injection",
        "eval-gate": "eval",
        "cost-estimate": "cost",
    }


@pytest.mark.parametrize("name", GATE_NAMES)
def test_default_options_are_what_the_command_line_gives(name: str) -> None:
    """`genai-gate run` builds `Options()` instead of parsing a command line: the same thing."""
    parser, module = build_parser(name)
    assert module is not None
    options = module.Options
    assert dataclasses.is_dataclass(options) and issubclass(options, GateOptions)
    assert options.__dataclass_params__.frozen
    required, given = REQUIRED_ARGUMENTS.get(name, ([], {}))
    assert options.from_args(parser.parse_args([name, *required])) == options(**given)
    dests = _dests(parser._subparsers._group_actions[0].choices[name])
    missing = {f.name for f in dataclasses.fields(options)} - dests
    assert not missing, f"{name} Options fields with no command-line option: {missing}"


def _dests(parser: argparse.ArgumentParser) -> set[str]:
    """Destinations of a parser's options, its subcommands' included."""
    found = set()
    for action in parser._actions:
        found.add(action.dest)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _dests(sub)
    return found


def test_options_from_the_command_line_are_typed_and_frozen() -> None:
    parser, module = build_parser("cost-estimate")
    assert module is not None
    args = parser.parse_args(["cost-estimate", "--pr-labels", "a,b", "--pr-labels", "c"])
    options = module.Options.from_args(args)
    assert options.pr_labels == ("a,b", "c") and options.base_ref is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.base_ref = "main"


def test_the_typed_view_of_the_config_is_the_descriptors() -> None:
    """config.py declares the built model's sections for the type checker: they must match."""
    tree = ast.parse((ROOT / "src" / "genai_gate" / "config.py").read_text(encoding="utf-8"))
    view = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and node.name == "GenaiGateConfig"
    )
    declared = {
        item.target.id: ast.unparse(item.annotation)
        for item in view.body
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
    }
    derived = {
        g.config.key: f"{g.config.settings.partition(':')[2]} | None"
        for g in gates()
        if g.config is not None
    }
    assert declared == {**derived, "release": "ReleaseSettings | None"}
    assert list(root_model().model_fields)[-len(declared) :] == list(declared)


TOY_PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from genai_gate import gates
gates.GATE_MODULES.append("toy_gate.gate")  # the one line that adds a gate
from pathlib import Path
from genai_gate import action_spec, cli, commands
from genai_gate.config import load_config
from genai_gate.errors import ConfigError
from genai_gate.report import merge, sections
from genai_gate.results import TypedDetails, TypedSummary, typed_models
from genai_gate.results import GateResult
folder = Path(sys.argv[2])
out = {
    "commands": list(commands.COMMANDS),
    "pipeline": commands.PIPELINE_ORDER,
    "actions": [a.name for a in action_spec.ACTIONS],
    "greeting": load_config(folder / "genai-gate.yaml").model.toy.greeting,
}
try:
    load_config(folder / "typo.yaml")
except ConfigError as exc:
    out["typo"] = str(exc)
out["run"] = cli.main(["run", "--config", str(folder / "genai-gate.yaml")])
result = GateResult.read(folder / ".genai-gate" / "results" / "toy-gate.json")
out["markdown"] = sections.extra_section(result)
shards = []
for index in range(2):
    shard = result.model_copy(deep=True)
    shard.details["shard"] = {"index": index, "count": 2}
    shards.append((folder / f"shard{index}.json", shard))
out["merged"] = merge.merge(shards).summary
print(json.dumps(out))
"""


def test_a_toy_gate_is_one_package_and_one_line(tmp_path: Path) -> None:
    (tmp_path / "genai-gate.yaml").write_text("version: 1\ntoy:\n  greeting: hola\n")
    (tmp_path / "typo.yaml").write_text("version: 1\ntoy:\n  greting: hola\n")
    done = subprocess.run(
        [sys.executable, "-c", TOY_PROBE, str(TOY), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert "toy-gate" in out["commands"]
    assert out["pipeline"] == [
        "prompt-lint",
        "injection-test",
        "toy-gate",
        "eval-gate",
        "cost-estimate",
    ]
    assert "toy-gate" in out["actions"]
    assert out["greeting"] == "hola"
    assert "typo.yaml:3: toy.greting" in out["typo"]
    assert out["run"] == 0  # only the toy's section is present: `run` runs the toy alone
    assert "toy-gate" in done.stdout and "said 'hola'" in done.stdout
    assert out["markdown"] == "**The toy said:** hola"
    assert out["merged"] == {"greetings": 2}


def test_without_the_line_the_toy_gate_is_unknown(tmp_path: Path) -> None:
    (tmp_path / "genai-gate.yaml").write_text("version: 1\ntoy:\n  greeting: hola\n")
    probe = textwrap.dedent(
        """
        import sys
        sys.path.insert(0, sys.argv[1])
        from genai_gate.config import load_config
        load_config(sys.argv[2])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(TOY), str(tmp_path / "genai-gate.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "genai-gate.yaml:2: toy" in done.stderr
