#!/usr/bin/env python3
"""Install size and time of genai-gate without extras: plain `pip install` of the built wheel, and
the composite actions' own setup.

    python scripts/bench/install.py [--no-cold] [--packages N] [--repeat N]

Plain pip: `pip wheel --no-deps .`, then `pip install <wheel>` into a fresh venv (pip's defaults:
newest matching versions, every module byte-compiled), once to fill the pip cache and `--repeat`
times from it (median, min-max). The setup: runs `actions/setup/setup.sh key` + `install`
(venv, `pip --require-hashes` of actions/setup/requirements.lock, the checkout linked in) three
times, as a runner meets it:
cold (an empty pip cache: every wheel downloaded from the index), warm (a fresh venv from the
pip cache the cold run filled: what the 15 s goal is about) and restored (the venv already there,
as after an actions/cache hit). Prints each time, the size of what pip installed (the venv's
site-packages without pip and setuptools), the bytecode Python writes on first use of the modules
a gate imports (setup.sh installs with `--no-compile`; the first prompt-lint after the install
writes it, timed against the second), and the largest packages of each. `--no-cold` fills the
pip cache without timing it.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETUP = ROOT / "actions" / "setup" / "setup.sh"
BASELINE = ("pip", "setuptools", "pkg_resources", "_distutils_hack", "distutils-precedence.pth")
"""What `python -m venv` puts there itself (when setup.sh falls back to a venv with pip)."""


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def packages(site: Path) -> dict[str, int]:
    """Bytes per top-level entry pip put into `site` (dist-info folded into its package name)."""
    sizes: dict[str, int] = {}
    for entry in site.iterdir():
        if entry.name.split("-")[0].lower() in BASELINE or entry.name in BASELINE:
            continue
        name = entry.name.split("-")[0] if entry.name.endswith(".dist-info") else entry.name
        size = folder_size(entry) if entry.is_dir() else entry.stat().st_size
        sizes[name.lower()] = sizes.get(name.lower(), 0) + size
    return sizes


class Setup:
    """setup.sh as an action step runs it, in a private tool cache and pip cache."""

    def __init__(self, tmp: Path) -> None:
        out = tmp / "github-output"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GENAI_GATE")},
            "GITHUB_OUTPUT": str(out),
            "RUNNER_TOOL_CACHE": str(tmp / "tool-cache"),
            "PIP_CACHE_DIR": str(tmp / "pip-cache"),
        }
        subprocess.run([str(SETUP), "key"], env=self.env, check=True, capture_output=True)
        values = dict(line.split("=", 1) for line in out.read_text().splitlines())
        self.venv = Path(values["path"])
        self.env.update(GENAI_GATE_KEY=values["key"], GENAI_GATE_VENV_PATH=values["path"])

    def install(self) -> float:
        """Seconds of `setup.sh install`."""
        started = time.perf_counter()
        subprocess.run([str(SETUP), "install"], env=self.env, check=True, capture_output=True)
        return time.perf_counter() - started

    def lint_example(self) -> float:
        """Seconds of `genai-gate prompt-lint` on the bank example with this venv."""
        config = ROOT / "examples" / "bank-support-agent" / "genai-gate.yaml"
        results = self.venv.parent / "lint-results"
        command = [str(self.venv / "bin" / "genai-gate"), "--config", str(config), "prompt-lint"]
        started = time.perf_counter()
        subprocess.run(
            [*command, "--format", "json", "--results-dir", str(results)],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - started


def site_packages(venv: Path) -> Path:
    return next((venv / "lib").glob("python3*/site-packages"))


def distributions(site: Path) -> int:
    return sum(1 for p in site.glob("*.dist-info") if not p.name.startswith(BASELINE))


def largest(title: str, sizes: dict[str, int], top: int) -> None:
    print(f"{title} (MB):")
    for name, size in sorted(sizes.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {name:28} {size / 1e6:6.1f}")


def plain_pip(
    tmp: Path, env: dict[str, str], repeat: int
) -> tuple[dict[str, int], int, list[float]]:
    """Sizes, package count and warm-cache seconds of `pip install <wheel>` into fresh venvs."""
    wheels = tmp / "wheel"
    pip = [sys.executable, "-m", "pip"]
    subprocess.run(
        [*pip, "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)], env=env, check=True
    )
    (wheel,) = wheels.glob("genai_gate-*.whl")
    times = []
    for run in range(repeat + 1):  # run 0 fills the pip cache
        venv = tmp / f"plain-{run}"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        started = time.perf_counter()
        command = [*pip, "--python", str(venv / "bin" / "python"), "install", "-q", str(wheel)]
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    site = site_packages(venv)
    return packages(site), distributions(site), times[1:]


def spread(values: list[float]) -> str:
    return f"{min(values):.1f}-{max(values):.1f}"


def measure(cold: bool = True, top: int = 12, repeat: int = 3) -> list[tuple[str, float, str, str]]:
    """(label, value, unit, goal) rows for the benchmark table; prints the largest packages."""
    with tempfile.TemporaryDirectory(prefix="bench-install-") as tmp:
        setup = Setup(Path(tmp))
        first = setup.install()  # cold: the pip cache is empty
        subprocess.run(["rm", "-rf", str(setup.venv)], check=True)
        warm = setup.install()
        restored = setup.install()
        first_lint, second_lint = setup.lint_example(), setup.lint_example()
        site = site_packages(setup.venv)
        sizes = packages(site)
        count = distributions(site)
        compileall.compile_dir(site, quiet=2, workers=1)
        compiled = sum(packages(site).values())
        plain, plain_count, plain_times = plain_pip(Path(tmp), setup.env, repeat)
    total = sum(sizes.values())
    largest(f"largest of {plain_count} packages, plain pip install (byte-compiled)", plain, top)
    largest(f"largest of {count} packages, setup.sh (sources as it installs them)", sizes, top)
    median = statistics.median(plain_times)
    rows = [
        (
            f"plain `pip install <wheel>`, {plain_count} packages: size",
            sum(plain.values()) / 1e6,
            "MB",
            "< 60 MB",
        ),
        (
            f"plain `pip install <wheel>`, warm pip cache: time, median of {repeat} "
            f"({spread(plain_times)} s)",
            median,
            "s",
            "< 15 s",
        ),
        (f"install through setup.sh, {count} packages: size", total / 1e6, "MB", "< 60 MB"),
        (
            "install through setup.sh: size with every module byte-compiled",
            compiled / 1e6,
            "MB",
            "printed",
        ),
        ("install through setup.sh, warm pip cache: time", warm, "s", "< 15 s"),
        ("composite action setup, venv restored by the cache: time", restored, "s", "printed"),
        ("first prompt-lint after install (writes the bytecode it imports)", first_lint, "s", ""),
        ("second prompt-lint after install", second_lint, "s", ""),
    ]
    if cold:
        rows.append(
            ("composite action cold setup (setup.sh, empty pip cache)", first, "s", "printed")
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-cold", action="store_true", help="do not print the cold run")
    parser.add_argument("--packages", type=int, default=12, help="largest packages to list")
    parser.add_argument("--repeat", type=int, default=3, help="timed plain pip installs")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    rows = measure(cold=not args.no_cold, top=args.packages, repeat=args.repeat)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    for label, value, unit, goal in rows:
        print(f"{label}: {value:.1f} {unit} (goal: {goal})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
