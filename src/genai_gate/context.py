"""What a command gets besides its own arguments: config, results folder, output options."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from genai_gate.config import LoadedConfig


@dataclass
class Context:
    """Shared state of one CLI invocation."""

    config_path: Path
    """Path of genai-gate.yaml (may not exist for commands that do not need it)."""
    results_dir: Path
    """Where `<command>.json` results files are written."""
    formats: list[str] = field(default_factory=lambda: ["console"])
    """Formats rendered to standard output."""
    outputs: dict[str, Path] = field(default_factory=dict)
    """Extra renderings written to files, by format."""
    progress: bool = True
    """Show progress: a bar on a terminal, a plain line at a steady interval otherwise."""
    verbose: bool = False
    """Log requests and retries on standard error (`--verbose`)."""
    _config: LoadedConfig | None = None

    @property
    def config(self) -> LoadedConfig:
        """The validated config, loaded on first use (ConfigError when missing or invalid)."""
        if self._config is None:
            from genai_gate.config import load_config

            self._config = load_config(self.config_path)
        return self._config

    @property
    def loaded_config(self) -> LoadedConfig | None:
        """The config if a command already loaded it (never loads: reporting must not fail)."""
        return self._config

    def config_if_present(self) -> LoadedConfig | None:
        """The config when its file exists, else None (for commands usable without one)."""
        if self._config is None and not self.config_path.exists():
            return None
        return self.config

    @property
    def show_progress(self) -> bool:
        """Whether long runs show progress (see `genai_gate.progress`)."""
        return self.progress
