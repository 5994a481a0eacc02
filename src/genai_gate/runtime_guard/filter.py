"""Output filter: find personal data in a response with `genai_gate.pii` and block or mask it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from genai_gate.pii import PII_TYPES, PiiMatch, compact, find_pii

Action = Literal["mask", "block"]

BLOCKED_MESSAGE = (
    "I can't share that answer because it contains personal data. "
    "Please contact us through a verified channel."
)
"""What a blocked response is replaced by."""


@dataclass(frozen=True)
class Filtered:
    """A response after the filter."""

    text: str
    """The text to send: unchanged, masked, or the blocked message."""
    matches: tuple[PiiMatch, ...]
    """Personal data found in the original text (raw values: never log them, use `masked`)."""
    action: Action | None
    """What was done: None when nothing was found."""

    @property
    def blocked(self) -> bool:
        """Whether the response was withheld."""
        return self.action == "block"


class PiiFilter:
    """Blocks or masks the confirmed personal data of a response.

    `allowed` are values the caller may legitimately see (its own IBAN, its own e-mail),
    compared without separators; every other match counts as an incident.
    """

    def __init__(
        self,
        action: Action = "mask",
        *,
        types: Iterable[str] | None = None,
        regions: tuple[str, ...] = ("ES", "US"),
        message: str = BLOCKED_MESSAGE,
    ) -> None:
        if action not in ("mask", "block"):
            raise ValueError(f"PII action must be mask or block, got {action!r}")
        self.action: Action = action
        self.types = tuple(PII_TYPES if types is None else types)
        unknown = set(self.types) - set(PII_TYPES)
        if unknown:
            raise ValueError(f"unknown PII types: {', '.join(sorted(unknown))}")
        self.regions = regions
        self.message = message

    def apply(self, text: str, allowed: Iterable[str] = ()) -> Filtered:
        """Filter one response."""
        permitted = {compact(value) for value in allowed}
        matches = tuple(
            m
            for m in find_pii(text, regions=self.regions, types=self.types)
            if m.compact not in permitted
        )
        if not matches:
            return Filtered(text, (), None)
        if self.action == "block":
            return Filtered(self.message, matches, "block")
        return Filtered(_masked(text, matches), matches, "mask")


def _masked(text: str, matches: tuple[PiiMatch, ...]) -> str:
    out, position = [], 0
    for match in matches:
        out += [text[position : match.start], match.masked]
        position = match.end
    out.append(text[position:])
    return "".join(out)
