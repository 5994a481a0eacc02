"""The built wheel installs into a fresh virtualenv and works from there (what another repository
gets with `pip install genai_gate-<version>-py3-none-any.whl` or a git URL pinned by commit)."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

import genai_gate
from genai_gate.schemas import FORMATS

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_offline_and_runs(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        timeout=240,
    )
    (wheel,) = wheels.glob("genai_gate-*.whl")
    assert wheel.name == f"genai_gate-{genai_gate.__version__}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    assert "genai_gate/schemas/genai-gate.json" in names  # schemas ship for editors
    assert "genai_gate/prompts.py" in names  # the runtime prompt API
    assert not [n for n in names if n.startswith(("tests/", "examples/", "scripts/"))]

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # dependencies come from this environment's site-packages (offline); the package itself
    # only from the wheel: a path line in a .pth does not run this environment's editable hook
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(purelib) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)],
        check=True,
        timeout=240,
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    probe = (
        "import genai_gate, genai_gate.schemas as s\n"
        "print(genai_gate.__file__, len(list(s.SCHEMA_DIR.glob('*.json'))))"
    )
    where = subprocess.run(
        [str(python), "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path,
        env=env,
    ).stdout.split()  # fmt: skip
    assert where[0].startswith(str(env_dir)), where  # the wheel's copy, not the source tree
    assert int(where[1]) == len(FORMATS)
    version = subprocess.run(
        [str(env_dir / "bin" / "genai-gate"), "--version"],
        capture_output=True, text=True, check=True, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert genai_gate.__version__ in version.stdout
