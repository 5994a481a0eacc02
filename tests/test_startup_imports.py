"""`genai-gate <command> --help` must stay fast: it imports only what builds the parser.

Checked in a fresh interpreter through `sys.modules` (no timing: the machine may be busy).
The console script also skips pydantic's plugin lookup (every installed distribution's metadata).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from genai_gate.cli import command_paths

HEAVY = ("numpy", "jinja2", "tiktoken", "pydantic", "pydantic_core", "yaml", "rich", "requests")
"""Libraries costing 15-100 ms each to import that no parser needs."""

PROBE = """
import json, sys
sys.argv = ["genai-gate", *sys.argv[1:], "--help"]
from genai_gate import cli
try:
    cli.main()
except SystemExit:
    pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def imported_by_help(*command: str) -> set[str]:
    """Top-level packages in sys.modules after `genai-gate COMMAND --help`."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *command], capture_output=True, text=True, check=True
    )
    assert "usage: genai-gate" in done.stdout
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_eval_gate_help_imports_no_numpy_pydantic_jinja2_tiktoken_or_yaml() -> None:
    loaded = imported_by_help("eval-gate")
    assert not loaded & set(HEAVY), f"eval-gate --help imported {sorted(loaded & set(HEAVY))}"
    assert "asyncio" not in loaded


@pytest.mark.parametrize("command", command_paths(), ids=" ".join)
def test_help_of_every_command_imports_no_heavy_library(command: tuple[str, ...]) -> None:
    loaded = imported_by_help(*command)
    heavy = loaded & set(HEAVY)
    assert not heavy, f"genai-gate {' '.join(command)} --help imported {sorted(heavy)}"


PLUGIN_MODULE = """
MARKER.write_text("loaded", encoding="utf-8")


class Plugin:
    def new_schema_validator(self, *args, **kwargs):
        return None, None, None


plugin = Plugin()
"""

CONSOLE_SCRIPT = "import sys; from genai_gate.cli import main; sys.exit(main())"
"""What the `genai-gate` console script runs (`main()` with the process's own argv)."""


def installed_pydantic_plugin(folder: Path) -> Path:
    """A distribution declaring a `pydantic` entry point whose module writes a marker when
    imported (pydantic loads every plugin so declared); returns the marker's path."""
    marker = folder / "plugin-loaded"
    (folder / "marker_plugin.py").write_text(
        f"import pathlib\nMARKER = pathlib.Path({str(marker)!r})\n" + PLUGIN_MODULE,
        encoding="utf-8",
    )
    info = folder / "marker_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: marker-plugin\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[pydantic]\nmarker = marker_plugin:plugin\n", encoding="utf-8"
    )
    return marker


@pytest.mark.parametrize(("setting", "loaded"), [(None, False), ("", True)])
def test_console_script_skips_the_pydantic_plugin_lookup_unless_asked(
    tmp_path: Path, setting: str | None, loaded: bool
) -> None:
    marker = installed_pydantic_plugin(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting  # empty: pydantic loads every plugin
    results = tmp_path / "results"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CONSOLE_SCRIPT,
            "--config",
            str(tmp_path / "absent.yaml"),
            "eval-gate",
            "--results-dir",
            str(results),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "absent.yaml" in done.stderr
    # the usage error is recorded through the pydantic result model, which asks for plugins
    assert json.loads((results / "eval-gate.json").read_text(encoding="utf-8"))["status"] == "error"
    assert marker.exists() is loaded


LOADER_PROBE = """
import json, sys
from genai_gate.cli import skip_pydantic_plugins
skip_pydantic_plugins()
from genai_gate.results import GateResult
GateResult(gate="eval-gate", status="pass").model_dump_json()  # builds a pydantic validator
loader = sys.modules["pydantic.plugin._loader"]
print(json.dumps({"metadata": "importlib.metadata" in sys.modules,
                  "plugins": list(loader.get_plugins())}))
"""


@pytest.mark.parametrize(("setting", "metadata"), [(None, False), ("__all__", False), ("", True)])
def test_plugins_off_builds_models_without_importing_package_metadata(
    setting: str | None, metadata: bool
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    done = subprocess.run(
        [sys.executable, "-c", LOADER_PROBE], capture_output=True, text=True, env=env, check=True
    )
    assert json.loads(done.stdout) == {"metadata": metadata, "plugins": []}


FIRST_REQUEST_PROBE = """
import json, socket, sys
from genai_gate import cli
seen = []
send = socket.socket.send
def first_send(self, *args):
    if not seen:
        from genai_gate.results import GateResult
        seen.append({"modules": sorted(sys.modules), "built": GateResult.__pydantic_complete__})
    return send(self, *args)
socket.socket.send = first_send
sys.argv = ["genai-gate", *sys.argv[1:]]
code = cli.main()
print(json.dumps({**seen[0], "code": code}))
"""

USED_AT_THE_END = (
    "rich",
    "genai_gate.report.console",
    "genai_gate.gates.eval.details",
    "genai_gate.gates.eval.verdict",
    "genai_gate.gates.eval.gate_result",
    "genai_gate.gates.eval.baseref",
)
"""Modules an eval run without a baseline or base ref needs only once its cases are answered."""


def test_an_eval_run_sends_its_first_request_before_building_what_only_its_end_needs(
    tmp_path: Path, mock_url: str
) -> None:
    (tmp_path / "cases.jsonl").write_text(
        '{"id": "q1", "input": "What is 1?", "expected": {"facts": ["1"]}}\n', encoding="utf-8"
    )
    config = tmp_path / "genai-gate.yaml"
    config.write_text(
        f"version: 1\ntargets:\n  agent: {{type: openai, base_url: '{mock_url}', model: m}}\n"
        "default_target: agent\neval:\n  suites:\n    s:\n      dataset: cases.jsonl\n"
        "      scorers: [{type: contains-all}]\n",
        encoding="utf-8",
    )
    arguments = ["--config", str(config), "eval-gate", "--results-dir", str(tmp_path / "out")]
    done = subprocess.run(
        [sys.executable, "-c", FIRST_REQUEST_PROBE, *arguments, "--no-progress"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["code"] in (0, 1), done.stderr
    assert [name for name in USED_AT_THE_END if name in seen["modules"]] == []
    assert seen["built"] is False  # the result model's schema is built while the request waits
    written = json.loads((tmp_path / "out" / "eval-gate.json").read_text(encoding="utf-8"))
    assert written["gate"] == "eval-gate" and written["status"] != "error"


RECORD_PROBE = """
import json, sys
from genai_gate import cli
sys.argv = ["genai-gate", *sys.argv[1:]]
code = cli.main()
from genai_gate.gates.audit import settings
models = (settings.AuditSettings, settings.StoreSettings, settings.PolicySettings,
          settings.DoraTargets)
print(json.dumps({"code": code, "modules": sorted(sys.modules),
                  "built": [m.__name__ for m in models if m.__pydantic_complete__]}))
"""

NOT_FOR_RECORD = (
    "rich",
    "yaml",
    "jinja2",
    "numpy",
    "genai_gate.config",
    "genai_gate.report.console",
    "genai_gate.gates.audit.record",
    "genai_gate.gates.audit.github",
    "genai_gate.gates.audit.compliance",
    "genai_gate.gates.audit.dora",
    "genai_gate.gates.eval.command",
    "genai_gate.gates.injection.command",
)
"""What `audit-log record --format json` without a config has no use for: the console renderer,
the config loader and YAML, the record's pydantic model (the draft is checked by
`record_check`), GitHub approvals, `check` / `dora`, and the other gates beyond their
descriptors."""


def test_audit_log_record_imports_and_builds_only_what_the_append_needs(tmp_path: Path) -> None:
    env = {**os.environ, "GENAI_GATE_AUDIT_KEY": "ab" * 32}
    env.pop("GENAI_GATE_CONFIG", None)
    log = tmp_path / "audit"
    arguments = ["audit-log", "record", "--event", "deploy", "--environment", "prod"]
    arguments += ["--version", "1.0.0", "--sha", "a" * 40, "--approvals", "none"]
    arguments += ["--log-dir", str(log), "--results-dir", str(tmp_path / "results")]
    done = subprocess.run(
        [sys.executable, "-c", RECORD_PROBE, *arguments, "--format", "json", "--no-progress"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0, done.stderr
    assert len((log / "audit.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    loaded = set(seen["modules"]) | {name.split(".")[0] for name in seen["modules"]}
    assert [name for name in NOT_FOR_RECORD if name in loaded] == []
    assert seen["built"] == [], "the default audit settings need no pydantic validator"
