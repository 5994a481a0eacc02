"""The results file as one discriminated union: its published JSON Schema.

Each gate with typed parts (`results.typed_models`) is one member, `gate` its tag; plain
`GateResult` is the member of the other gates and of results that ended in an error. The
schema ships as `genai_gate/schemas/results.json` with `docs/results.md`.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import BaseModel, Discriminator, RootModel, Tag

from genai_gate.results import OTHER, GateResult, tag_of, typed_models


def results_file_model() -> type[BaseModel]:
    """The results file as one model: the typed members and `GateResult`, by `gate`."""
    members = [Annotated[model, Tag(name)] for name, model in typed_models().items()]
    union: Any = Annotated[
        Union[tuple([*members, Annotated[GateResult, Tag(OTHER)]])],  # noqa: UP007
        Discriminator(tag_of),
    ]

    class ResultsFile(RootModel[union]):
        """`<results-dir>/<gate>.json`: what one gate run produced. A gate with typed results
        (see its descriptor) has its own summary and details; every other result, and any
        result with status `error`, has the generic form."""

    return ResultsFile
