"""What describes one user-written format: its name, title, where it is used, its schema."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Format:
    """One user-written format."""

    name: str
    """File stem of its schema and docs page."""
    title: str
    where: str
    """Which file(s) use it."""
    build: Callable[[], dict[str, Any]]
    """Returns the JSON Schema."""
