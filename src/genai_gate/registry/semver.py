"""Semantic versions of prompts and the kind of bump a change needs."""

from __future__ import annotations

import re
from enum import IntEnum
from typing import NamedTuple

# The official semver 2.0.0 grammar (semver.org), without build metadata in comparisons.
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


class Bump(IntEnum):
    """Kind of version change, ordered by size."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        """Lower-case name (`major`, `minor`, `patch`, `none`)."""
        return self.name.lower()


class Version(NamedTuple):
    """A parsed semantic version (build metadata ignored)."""

    major: int
    minor: int
    patch: int
    prerelease: str = ""

    def key(self) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
        """Sort key with semver precedence (a prerelease sorts before its release)."""
        parts = tuple(
            (0, int(p)) if p.isdigit() else (1, p) for p in self.prerelease.split(".") if p
        )
        return (self.major, self.minor, self.patch, 0 if self.prerelease else 1, parts)


def parse(text: str) -> Version | None:
    """Parse `MAJOR.MINOR.PATCH[-PRE][+BUILD]`; None when `text` is not semver."""
    match = _SEMVER.match(text)
    if not match:
        return None
    return Version(int(match[1]), int(match[2]), int(match[3]), match[4] or "")


def bump_between(old: Version, new: Version) -> Bump:
    """The kind of bump from `old` to `new`; NONE when `new` is not greater than `old`."""
    if new.key() <= old.key():
        return Bump.NONE
    if new.major != old.major:
        return Bump.MAJOR
    if new.minor != old.minor:
        return Bump.MINOR
    return Bump.PATCH


def bumped(old: Version, kind: Bump) -> str:
    """The smallest version after `old` with a bump of `kind` (for fix-it messages)."""
    if kind is Bump.MAJOR:
        return f"{old.major + 1}.0.0"
    if kind is Bump.MINOR:
        return f"{old.major}.{old.minor + 1}.0"
    return f"{old.major}.{old.minor}.{old.patch + 1}"
