"""Microsoft's SARIF Multitool (npm `@microsoft/sarif-multitool-linux`), installed by
scripts/bootstrap, and the official SARIF 2.1.0 JSON schema that ships inside it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

PACKAGE = (
    Path(__file__).resolve().parents[2]
    / ".venv/tools/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux"
)


def package_dir() -> Path:
    """Folder of the installed package; skips locally when absent, fails in CI (never silent)."""
    folder = Path(os.environ.get("SARIF_MULTITOOL_DIR", PACKAGE))
    if not (folder / "Sarif.Multitool").exists():
        message = f"SARIF Multitool not installed at {folder} (run scripts/bootstrap)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return folder


def official_schema() -> dict[str, Any]:
    """The SARIF 2.1.0 JSON schema published with Microsoft's SARIF SDK."""
    return json.loads((package_dir() / "sarif-2.1.0.json").read_text(encoding="utf-8"))


def multitool_validate(log_file: Path, tmp_path: Path) -> list[str]:
    """Run `Sarif.Multitool validate` on a log; returns its error lines (warnings are advice)."""
    out = tmp_path / "validation.sarif"
    done = subprocess.run(
        [str(package_dir() / "Sarif.Multitool"), "validate", str(log_file), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1"},
    )
    errors = [line for line in done.stdout.splitlines() if ": error " in line]
    if done.returncode != 0 and not errors:
        errors.append(f"multitool exited {done.returncode}: {done.stdout}{done.stderr}")
    return errors
