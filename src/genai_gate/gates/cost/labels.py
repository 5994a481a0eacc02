"""The pull request's labels: from --pr-labels, else from the GitHub event payload."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from genai_gate.errors import ConfigError, located


def pr_labels(cli_values: Sequence[str] | None) -> tuple[list[str], str]:
    """(labels, where they came from). `--pr-labels` values are comma-separated, repeatable;
    without them `$GITHUB_EVENT_PATH`'s `pull_request.labels[].name` are used."""
    if cli_values is not None:
        labels = [part.strip() for value in cli_values for part in value.split(",")]
        return [label for label in labels if label], "--pr-labels"
    event_path = os.environ.get("GITHUB_EVENT_PATH")
    if not event_path:
        return [], "none"
    path = Path(event_path)
    try:
        event = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            located(path, None, "", "GITHUB_EVENT_PATH names a missing file")
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(located(path, None, "", f"GitHub event is not JSON: {exc}")) from None
    pull_request = event.get("pull_request") if isinstance(event, dict) else None
    if not isinstance(pull_request, dict):
        return [], "GITHUB_EVENT_PATH (not a pull request event)"
    labels = pull_request.get("labels") or []
    names = [item.get("name") for item in labels if isinstance(item, dict)]
    return [name for name in names if isinstance(name, str)], "GITHUB_EVENT_PATH"
