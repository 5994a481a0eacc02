"""Base classes for every pydantic model read from user files."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """A frozen model that rejects unknown keys, so a typo never silently disables a check.

    Field docstrings become the descriptions of the published JSON Schemas (`docs/`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)
