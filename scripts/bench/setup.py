"""Benchmark of actions/setup/setup.sh: cold venv build from the hash-locked file, then warm reuse.

    python scripts/bench/setup.py

The cold build downloads every wheel of actions/setup/requirements.lock from the package index
(pip --require-hashes, a fresh pip cache), as on a fresh GitHub runner without a cache hit; the
warm run is what a restored cache costs. Goal on a GitHub runner: under 20 s cold, a few
seconds warm.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SETUP = Path(__file__).resolve().parents[2] / "actions" / "setup" / "setup.sh"


def step(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(SETUP), *args], env=env, check=True, capture_output=True, text=True)
    return time.perf_counter() - started


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GENAI_GATE")},
            "GITHUB_OUTPUT": str(out),
            "RUNNER_TOOL_CACHE": tmp,
            "PIP_CACHE_DIR": str(Path(tmp) / "pip-cache"),
        }
        key_s = step(["key"], env)
        values = dict(line.split("=", 1) for line in out.read_text().splitlines())
        env.update(GENAI_GATE_KEY=values["key"], GENAI_GATE_VENV_PATH=values["path"])
        cold = step(["install"], env)
        warm = step(["install"], env)
    print(f"setup.sh key:           {key_s:6.2f} s")
    print(
        f"setup.sh install cold:  {cold:6.2f} s  (venv + {_count()} locked wheels, fresh pip cache)"
    )
    print(f"setup.sh install warm:  {warm:6.2f} s  (venv restored by the cache)")
    return 0


def _count() -> int:
    lock = SETUP.parent / "requirements.lock"
    return sum(1 for line in lock.read_text().splitlines() if "==" in line and line[0] != " ")


if __name__ == "__main__":
    sys.exit(main())
