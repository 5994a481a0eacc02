#!/usr/bin/env python3
"""Install size and time of genai-gate without extras, as the composite actions install it.

    python scripts/bench/install.py [--no-cold]

Warm: a fresh venv, then `pip install --require-hashes --only-binary :all: -r
actions/setup/requirements.lock` from this user's pip cache (wheels already downloaded), as
on a runner whose pip cache is warm. Prints the time, the size of what pip installed (the venv's
site-packages without pip itself) and the package count. Cold: `actions/setup/setup.sh install`
with an empty pip cache (every wheel downloaded), as on a fresh GitHub runner.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "actions" / "setup" / "requirements.lock"
SETUP = ROOT / "actions" / "setup" / "setup.sh"
BASELINE = {"pip", "setuptools", "wheel", "_distutils_hack", "distutils-precedence.pth"}


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def site_packages(venv: Path) -> Path:
    return next((venv / "lib").glob("python3*/site-packages"))


def installed(site: Path) -> tuple[int, int]:
    """(bytes, distributions) pip put into `site`, not counting pip and setuptools."""
    size, count = 0, 0
    for entry in site.iterdir():
        name = entry.name.split("-")[0].lower()
        if name in BASELINE or entry.name in BASELINE or name.startswith(("pip", "setuptools")):
            continue
        if entry.name.endswith(".dist-info"):
            count += 1
        size += folder_size(entry) if entry.is_dir() else entry.stat().st_size
    return size, count


def warm_install() -> tuple[float, float, int]:
    """(seconds, MB, packages) of the lock installed into a fresh venv from the warm cache."""
    with tempfile.TemporaryDirectory(prefix="bench-install-") as tmp:
        venv = Path(tmp) / "venv"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "--python",
                str(venv / "bin" / "python"),
                "install",
                "-q",
                "--require-hashes",
                "--only-binary",
                ":all:",
                "-r",
                str(LOCK),
            ],
            check=True,
            env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        )
        seconds = time.perf_counter() - started
        size, count = installed(site_packages(venv))
    return seconds, size / 1e6, count


def cold_setup() -> float:
    """Seconds of `setup.sh install` with an empty pip cache (what a fresh runner pays)."""
    with tempfile.TemporaryDirectory(prefix="bench-setup-") as tmp:
        out = Path(tmp) / "out"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GENAI_GATE")},
            "GITHUB_OUTPUT": str(out),
            "RUNNER_TOOL_CACHE": tmp,
            "PIP_CACHE_DIR": str(Path(tmp) / "pip-cache"),
        }
        subprocess.run([str(SETUP), "key"], env=env, check=True, capture_output=True)
        values = dict(line.split("=", 1) for line in out.read_text().splitlines())
        env.update(GENAI_GATE_KEY=values["key"], GENAI_GATE_VENV_PATH=values["path"])
        started = time.perf_counter()
        subprocess.run([str(SETUP), "install"], env=env, check=True, capture_output=True)
        return time.perf_counter() - started


def measure(cold: bool = True) -> list[tuple[str, float, str, str]]:
    """(label, value, unit, goal) rows for the benchmark table."""
    seconds, megabytes, count = warm_install()
    rows = [
        (f"install without extras, {count} packages: size", megabytes, "MB", "< 60 MB"),
        ("install without extras, warm pip cache: time", seconds, "s", "< 15 s"),
    ]
    if cold:
        rows.append(
            (
                "composite action cold setup (setup.sh, empty pip cache)",
                cold_setup(),
                "s",
                "printed",
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-cold", action="store_true", help="skip the empty-cache setup.sh run")
    args = parser.parse_args()
    for label, value, unit, goal in measure(cold=not args.no_cold):
        print(f"{label}: {value:.1f} {unit} (goal: {goal})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
