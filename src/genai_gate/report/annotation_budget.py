"""How many annotations a step may still print: 10 per level per step, 50 per job.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step, and 50 per job
summed over its steps (actions/toolkit, docs/problem-matchers.md, "Limitations"); the rest are
dropped silently. Several genai-gate commands can run in one job, so what each step printed is
kept in a small state file in `$RUNNER_TEMP` (emptied by the runner for every job), keyed by run,
attempt and job; the step is `$GITHUB_ACTION`. Outside Actions nothing is kept.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

from genai_gate.integrations.files import write_atomic

PER_LEVEL_PER_STEP = 10
"""Annotations of one level GitHub shows per step."""
PER_JOB = 50
"""Annotations GitHub shows per job, all steps and levels together."""
LEVELS = ("error", "warning", "notice")


def state_file(environ: Mapping[str, str]) -> Path | None:
    """Where this job's counts are kept, or None outside GitHub Actions."""
    if environ.get("GITHUB_ACTIONS") != "true" or not environ.get("RUNNER_TEMP"):
        return None
    key = "-".join(
        environ.get(name, "") for name in ("GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT", "GITHUB_JOB")
    )
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", key)
    return Path(environ["RUNNER_TEMP"]) / f"genai-gate-annotations-{safe}.json"


class AnnotationBudget:
    """The annotations left for the current step and job."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.path = state_file(env)
        self.step = env.get("GITHUB_ACTION", "") or "__step"
        self._state: dict[str, object] = {"job": 0, "steps": {}}
        if self.path is not None and self.path.is_file():
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
                if isinstance(loaded, dict) and isinstance(loaded.get("steps"), dict):
                    self._state = loaded
            except (OSError, ValueError):
                pass  # a damaged state file only costs accuracy, never the report

    def _step_counts(self) -> dict[str, int]:
        steps = self._state["steps"]
        assert isinstance(steps, dict)
        counts = steps.setdefault(self.step, {})
        assert isinstance(counts, dict)
        return counts

    @property
    def job_used(self) -> int:
        """Annotations already printed in this job."""
        used = self._state.get("job", 0)
        return used if isinstance(used, int) else 0

    def grant(self, wanted: Mapping[str, int]) -> dict[str, int]:
        """How many of `wanted` (by level) may be printed now; records them as printed."""
        counts = self._step_counts()
        job_left = max(PER_JOB - self.job_used, 0)
        granted: dict[str, int] = {}
        for level in LEVELS:
            step_left = max(PER_LEVEL_PER_STEP - int(counts.get(level, 0)), 0)
            granted[level] = min(wanted.get(level, 0), step_left, job_left)
            job_left -= granted[level]
            counts[level] = int(counts.get(level, 0)) + granted[level]
        self._state["job"] = self.job_used + sum(granted.values())
        if self.path is not None:
            write_atomic(self.path, json.dumps(self._state, sort_keys=True))
        return granted
