"""Where the log lives: `open_store` from the settings; the interface is in `interface`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from genai_gate.gates.audit.stores.interface import (
    AuditStore,
    History,
    IntegrityFailure,
    Reading,
)

if TYPE_CHECKING:  # the settings are pydantic models: a store opened by the library needs none
    from genai_gate.gates.audit.settings import StoreSettings

__all__ = ["AuditStore", "History", "IntegrityFailure", "Reading", "open_store"]


def open_store(settings: StoreSettings, root: Path) -> AuditStore:
    """The store described by `settings`, with relative paths resolved against `root`."""
    if settings.kind == "git":
        from genai_gate.gates.audit.stores.git import GitStore

        return GitStore(settings, root)
    from genai_gate.gates.audit.stores.local import LocalStore

    return LocalStore(root / settings.path)
