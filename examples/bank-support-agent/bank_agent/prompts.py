"""The agent's prompts, loaded at run time with genai-gate's runtime API (`genai_gate.prompts`),
so the prompt that prompt-lint checked and eval-gate scored is the one that answers customers."""

from __future__ import annotations

import os
from pathlib import Path

from genai_gate import prompts
from genai_gate.prompts import Prompt

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
"""Registry shipped with the agent; `$BANK_AGENT_PROMPTS_DIR` or the `prompts_dir` option
point the agent at another copy (e.g. the base branch's prompts)."""


def prompts_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """Registry folder: the `prompts_dir` option, else `$BANK_AGENT_PROMPTS_DIR`, else built in."""
    chosen = option or os.environ.get("BANK_AGENT_PROMPTS_DIR")
    return Path(chosen).resolve() if chosen else PROMPTS_DIR


def load_prompt(prompt_id: str, directory: Path | None = None) -> Prompt:
    """One prompt of the registry (cached by genai-gate until the file changes)."""
    return prompts.load(prompt_id, directory or PROMPTS_DIR)
