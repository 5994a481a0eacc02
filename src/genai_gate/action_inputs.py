"""Run a genai-gate command from a composite action's inputs: validate, map to the CLI, publish.

A gate action's last step runs

    "$python" -m genai_gate.action_inputs <action-name>

with `GENAI_GATE_ACTION_INPUTS` set to `${{ toJSON(inputs) }}`. The inputs are checked here
(required, integers, booleans, choices: the runner does not enforce composite inputs), turned
into `genai-gate <command> ... --format github` (outputs, annotations and step summary come
from the `github` reporter) and run. Secret inputs become environment variables, never
arguments. Whatever happens, the step sets the `status` and `exit-code` outputs.

`python -m genai_gate.action_inputs --workflow <workflow>` checks the inputs of a reusable
workflow (`toJSON(inputs)` in the same variable) against `WORKFLOW_REQUIREMENTS` and exits 2
naming every empty one, before the workflow deploys or records anything.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from genai_gate.action_spec import (
    UMBRELLA,
    WORKFLOW_REQUIREMENTS,
    ActionSpec,
    Input,
    action,
    inputs_of,
)
from genai_gate.commands import COMMANDS
from genai_gate.errors import ExitCode
from genai_gate.report.workflow import add_mask, append_file, command, format_outputs

INPUTS_ENV = "GENAI_GATE_ACTION_INPUTS"
UMBRELLA_EXCLUDED = frozenset({"mock-llm"})
"""Commands the umbrella action refuses (a server never ends)."""
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0", "")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class InputError(ValueError):
    """Invalid action inputs; the message lists every problem."""


@dataclass
class Invocation:
    """What to run: CLI arguments, extra environment, working directory."""

    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    masked: list[str] = field(default_factory=list)
    """Values to mask in the log before anything runs."""
    mock_script: str = ""
    """Mock LLM script to serve while the command runs (empty: no mock)."""
    mock_url_env: str = "OPENAI_BASE_URL"
    """Variable that receives the mock's base URL."""


class MockLLMError(RuntimeError):
    """The mock LLM did not start."""


MOCK_URL = re.compile(r"(http://127\.0\.0\.1:\d+/v1)")
MOCK_START_S = 20.0
"""How long the mock LLM may take to announce its URL."""


def parse_env(item: Input, value: str) -> dict[str, str]:
    """NAME=VALUE lines (blank lines and empty values skipped)."""
    found: dict[str, str] = {}
    for number, line in enumerate(value.splitlines(), 1):
        if not line.strip():
            continue
        name, sep, text = line.strip().partition("=")
        if not sep or not _ENV_NAME.match(name):
            raise InputError(f"input '{item.name}' line {number}: expected NAME=VALUE")
        if text:
            found[name] = text
    return found


def split_list(value: str) -> list[str]:
    """Items of a list input: one per line, or comma-separated on one line."""
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    if len(lines) == 1 and "," in lines[0]:
        return [item.strip() for item in lines[0].split(",") if item.strip()]
    return lines


def _flag(spec: Input, value: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(f"input '{spec.name}': expected true or false, got {value!r}")


def _choices(spec: ActionSpec, item: Input) -> tuple[str, ...]:
    if spec is UMBRELLA and item.name == "command":
        return tuple(name for name in COMMANDS if name not in UMBRELLA_EXCLUDED)
    return item.choices


def _one(spec: ActionSpec, item: Input, value: str, inv: Invocation, tail: list[str]) -> None:
    """Map one non-empty input onto the invocation."""
    if item.kind == "bool":
        if _flag(item, value) and item.option:
            inv.argv.append(item.option)
        return
    if item.kind == "int":
        if not re.fullmatch(r"-?\d+", value.strip()):
            raise InputError(f"input '{item.name}': expected an integer, got {value!r}")
        value = value.strip()
    if item.kind == "choice" and value.strip() not in _choices(spec, item):
        allowed = ", ".join(_choices(spec, item))
        raise InputError(f"input '{item.name}': expected one of {allowed}, got {value!r}")
    if item.kind == "secret":
        inv.env[item.env or ""] = value
        inv.masked.append(value)
    elif item.kind in ("env", "secret-env"):
        values = parse_env(item, value)
        inv.env.update(values)
        if item.kind == "secret-env":
            inv.masked += values.values()
    elif item.kind == "cwd":
        if not Path(value).is_dir():
            raise InputError(f"input '{item.name}': no folder {value!r}")
        inv.cwd = Path(value)
    elif item.kind == "output":
        inv.argv += ["--output", f"{item.option}={value.strip()}"]
    elif item.kind == "setup":
        return
    elif item.kind == "mock":
        if item.name == "mock-llm-script":
            inv.mock_script = value.strip()
        elif not _ENV_NAME.match(value.strip()):
            raise InputError(f"input '{item.name}': not a variable name: {value!r}")
        else:
            inv.mock_url_env = value.strip()
    elif item.kind == "list":
        items = split_list(value)
        if item.positional:
            tail.extend(items)
        else:
            for entry in items:
                inv.argv += [item.option or "", entry]
    elif item.positional:
        tail.append(value.strip())
    else:
        inv.argv += [item.option or "", value.strip() if item.kind != "str" else value]


def _given(item: Input, raw: object) -> bool:
    """Whether an input was set (a bool input only when true)."""
    value = "" if raw is None else str(raw).strip()
    if item.kind == "bool":
        return raw is True or value.lower() in _TRUE
    return bool(value)


def _clashes(declared: Mapping[str, Input], values: Mapping[str, object]) -> list[str]:
    """Inputs given together with one that `excludes` them."""
    return [
        f"input '{item.name}' cannot be combined with input '{other}'"
        for item in declared.values()
        if _given(item, values.get(item.name))
        for other in item.excludes
        if _given(declared[other], values.get(other))
    ]


def build(name: str, values: Mapping[str, object]) -> Invocation:
    """The invocation for action `name` given its inputs; InputError lists every problem."""
    spec = action(name)
    declared = {item.name: item for item in inputs_of(spec)}
    problems = [f"unknown input '{key}'" for key in values if key not in declared]
    inv = Invocation(argv=[])
    head: list[str] = []
    tail: list[str] = []
    for item in inputs_of(spec):
        raw = values.get(item.name)
        value = "" if raw is None else str(raw)
        if item.kind == "bool" and isinstance(raw, bool):
            value = "true" if raw else "false"
        if not value.strip():
            if item.required:
                problems.append(f"input '{item.name}' is required")
            continue
        try:
            _one(spec, item, value, inv, head if item.kind == "choice" else tail)
        except InputError as exc:
            problems.append(str(exc))
    problems += _clashes(declared, values)
    if problems:
        raise InputError("; ".join(problems))
    prefix = [spec.command] if spec.command else []
    inv.argv = [*prefix, *head, *inv.argv, *tail, "--format", "github"]
    return inv


def check_workflow(name: str, values: Mapping[str, object]) -> list[str]:
    """Why the inputs of reusable workflow `name` cannot work (empty when they can)."""
    if name not in WORKFLOW_REQUIREMENTS:
        known = ", ".join(sorted(WORKFLOW_REQUIREMENTS))
        raise InputError(f"no input rules for workflow {name!r} (known: {known})")
    problems = []
    for rule in WORKFLOW_REQUIREMENTS[name]:
        value = str(values.get(rule.input) or "").strip()
        if rule.choices and value not in rule.choices:
            allowed = " or ".join(rule.choices)
            problems.append(f"input '{rule.input}' of {name}.yml is {value!r}, not {allowed}")
        elif not value:
            problems.append(f"input '{rule.input}' of {name}.yml is empty: {rule.why}")
    return problems


def _check_workflow_main(name: str) -> int:
    """Print each problem as an error annotation and in the step summary; 2 if any."""
    try:
        problems = check_workflow(name, _read_inputs(os.environ))
    except InputError as exc:
        problems = [str(exc)]
    title = f"{name}: configuration error"
    for problem in problems:
        print(command("error", problem, title=title))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if problems and summary:
        lines = [f"### ❌ {title}", "", *(f"- {p}" for p in problems), ""]
        append_file(summary, "\n".join(lines) + "\n")
    if problems:
        print(f"{name}: {len(problems)} input problem(s); nothing was deployed or recorded")
        return int(ExitCode.USAGE)
    print(f"{name}: inputs complete")
    return int(ExitCode.PASSED)


def start_mock_llm(script: str) -> tuple[subprocess.Popen[bytes], str]:
    """Serve `script` with `genai-gate mock-llm serve --port 0`; the process and its base URL.
    Its log goes to a temporary file (a pipe nobody reads would block the server)."""
    if not Path(script).is_file():
        raise InputError(f"input 'mock-llm-script': no file {script!r}")
    folder = os.environ.get("RUNNER_TEMP") or tempfile.gettempdir()
    fd, log = tempfile.mkstemp(prefix="genai-gate-mock-llm-", suffix=".log", dir=folder)
    command = [sys.executable, "-m", "genai_gate.cli", "mock-llm", "serve", "--port", "0"]
    with os.fdopen(fd, "wb") as handle:
        process = subprocess.Popen(
            [*command, "--script", script], stdout=handle, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + MOCK_START_S
    text = ""
    while time.monotonic() < deadline:
        text = Path(log).read_text(encoding="utf-8", errors="replace")
        match = MOCK_URL.search(text)
        if match:
            return process, match.group(1)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    stop_mock_llm(process)
    raise MockLLMError(f"the mock LLM did not start within {MOCK_START_S:.0f} s: {text[-500:]}")


def stop_mock_llm(process: subprocess.Popen[bytes]) -> None:
    """Stop the mock LLM (SIGTERM, then SIGKILL after 5 s)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _read_inputs(environ: Mapping[str, str]) -> dict[str, object]:
    text = environ.get(INPUTS_ENV)
    if text is None:
        raise InputError(f"${INPUTS_ENV} is not set (expected toJSON(inputs))")
    try:
        data = json.loads(text or "{}")
    except json.JSONDecodeError as exc:
        raise InputError(f"${INPUTS_ENV} is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"${INPUTS_ENV} must be a JSON object")
    return data


def _finish(code: int, written: str, results_file: Path | None) -> None:
    """Set `exit-code`, and `status`/`results-file` when the reporter did not."""
    path = os.environ.get("GITHUB_OUTPUT")
    if not path:
        return
    outputs = {"exit-code": str(code)}
    if not re.search(r"^status<<", written, re.MULTILINE):
        outputs["status"] = {0: "pass", 1: "fail"}.get(code, "error")
        if results_file is not None and results_file.is_file():
            outputs["results-file"] = str(results_file)
    append_file(path, format_outputs(outputs))


def _results_file(argv: list[str]) -> Path | None:
    """Where the CLI writes the results file of a gate command, if it is one."""
    name = argv[0] if argv else ""
    spec = COMMANDS.get(name)
    if spec is None or not spec.gate:
        return None
    folder = Path(".genai-gate/results")
    if "--results-dir" in argv:
        folder = Path(argv[argv.index("--results-dir") + 1])
    elif "--config" in argv:
        folder = Path(argv[argv.index("--config") + 1]).parent / folder
    return folder / f"{name}.json"


def main(argv: list[str] | None = None) -> int:
    """`python -m genai_gate.action_inputs ACTION`: returns the command's exit code."""
    from genai_gate.cli import main as cli_main

    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] == "--workflow":
        return _check_workflow_main(args[1])
    if len(args) != 1:
        print(
            "usage: python -m genai_gate.action_inputs ACTION | --workflow WORKFLOW",
            file=sys.stderr,
        )
        return int(ExitCode.USAGE)
    try:
        inv = build(args[0], _read_inputs(os.environ))
    except (InputError, KeyError) as exc:
        print(command("error", str(exc), title=f"genai-gate {args[0]}: bad inputs"))
        _finish(int(ExitCode.USAGE), "", None)
        return int(ExitCode.USAGE)
    for line in add_mask(inv.masked):
        print(line, flush=True)
    os.environ.update(inv.env)
    if inv.cwd is not None:
        os.chdir(inv.cwd)
    output = os.environ.get("GITHUB_OUTPUT")
    before = Path(output).stat().st_size if output and Path(output).exists() else 0
    mock = None
    if inv.mock_script and not os.environ.get(inv.mock_url_env):
        try:
            mock, url = start_mock_llm(inv.mock_script)
        except (InputError, MockLLMError) as exc:
            code = int(ExitCode.USAGE if isinstance(exc, InputError) else ExitCode.INFRA)
            print(command("error", str(exc), title=f"genai-gate {args[0]}: mock LLM"))
            _finish(code, "", None)
            return code
        os.environ[inv.mock_url_env] = url
        print(f"genai-gate: mock LLM ({inv.mock_script}) at {url} in ${inv.mock_url_env}")
    try:
        code = cli_main(inv.argv)
    finally:
        if mock is not None:
            stop_mock_llm(mock)
    written = ""
    if output and Path(output).exists():
        with open(output, "rb") as handle:
            handle.seek(before)
            written = handle.read().decode("utf-8", errors="replace")
    _finish(code, written, _results_file(inv.argv))
    return code


if __name__ == "__main__":
    sys.exit(main())
