"""The one result model every gate returns, and its schema-versioned results file.

Gates never print: they return a `GateResult`; `genai_gate.report` decides how it is shown and the
CLI writes it to `<results-dir>/<gate>.json` so later jobs (PR comment, audit log, shard merge)
read results rather than logs.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from genai_gate import __version__
from genai_gate.errors import ConfigError, ExitCode, located
from genai_gate.integrations.files import write_atomic

SCHEMA_VERSION = 2
"""Version of the results files written. 2: the summary and details of a gate that declares
typed ones (its descriptor's `summary` / `details`) follow those models, checked on reading."""
READABLE_VERSIONS = (1, 2)
"""Versions `GateResult.read` accepts (version 1 files are read without the typed checks)."""

PartT = TypeVar("PartT", bound="TypedPart")


class Status(str, Enum):
    """Outcome of a gate, or of one case within it."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    SKIPPED = "skipped"
    FLAKY = "flaky"


class Severity(str, Enum):
    """Severity of a finding; the names match SARIF levels."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class ErrorKind(str, Enum):
    """Why a gate ended in status `error`; decides exit code 2 or 3."""

    USAGE = "usage"
    INFRA = "infra"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Location(_Model):
    """Where a finding points: a repository-relative file and 1-based line."""

    path: str
    """File path, relative to the repository root when possible."""
    line: int | None = None
    """1-based line number, when known."""
    column: int | None = None
    """1-based column, when known."""
    end_line: int | None = None
    """Last line of the region, when it spans several lines."""


class Finding(_Model):
    """One problem a gate found (a lint violation, a successful attack, a missing evidence item)."""

    rule_id: str
    """Stable identifier of the rule or check (e.g. `PL001`, `injection/system-prompt-leak`)."""
    severity: Severity
    """How bad it is; errors fail the gate unless the policy says otherwise."""
    message: str
    """What is wrong and how to fix it, in one or two sentences."""
    location: Location | None = None
    """Where it is, when it points at a file."""
    rule_name: str | None = None
    """Short human name of the rule."""
    help_uri: str | None = None
    """Link to documentation for the rule."""
    properties: dict[str, Any] = Field(default_factory=dict)
    """Extra machine-readable facts (category, OWASP id, masked evidence, ...)."""


class Usage(_Model):
    """Tokens and cost consumed by requests."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0
    cached_requests: int = 0
    cost_usd: float | None = None


class CaseResult(_Model):
    """The outcome of one test case (an eval case, an attack, a smoke check)."""

    id: str
    """Case identifier, stable across runs (used for base-vs-head comparison)."""
    status: Status
    """pass / fail / error / skipped / flaky."""
    score: float | None = None
    """Score in [0, 1] when the gate scores cases."""
    reason: str = ""
    """Why the case got its status, short."""
    latency_ms: float | None = None
    """Mean latency of the target for this case."""
    tags: list[str] = Field(default_factory=list)
    """Tags from the dataset or suite (category, language, ...)."""
    details: dict[str, Any] = Field(default_factory=dict)
    """Gate-specific data: per-scorer scores, samples, transcript excerpt (masked)."""


class Timings(_Model):
    """When the run started and how long it took."""

    started_at: str
    """ISO-8601 UTC start time."""
    duration_s: float
    """Wall time of the gate in seconds."""


class TypedPart(BaseModel):
    """Base of a gate's typed summary or details: the same JSON as the dict on `GateResult`,
    read back with `of(result)` by whoever needs its fields (another gate, a renderer)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    part: ClassVar[Literal["summary", "details"]]
    omit_absent: ClassVar[bool] = False
    """Leave absent (None) fields out of the JSON instead of writing null."""

    @classmethod
    def of(cls: type[PartT], result: GateResult) -> PartT:
        """The typed view of `result`'s part; a ConfigError names the field that does not fit."""
        try:
            return cls.model_validate(getattr(result, cls.part))
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            field = ".".join(str(p) for p in (cls.part, *first["loc"]))
            raise ConfigError(
                located(Path(f"{result.gate}.json"), None, field, first["msg"])
            ) from None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form, as stored in `GateResult.summary` / `details`."""
        return self.model_dump(mode="json", exclude_none=self.omit_absent)


def key_when_set() -> Any:
    """A typed part's field (default None) whose key is left out of the JSON while it is None,
    where the part's other absent fields are written as null (a key only some runs have)."""
    return Field(default=None, exclude_if=_is_none)


def _is_none(value: object) -> bool:
    return value is None


class TypedSummary(TypedPart):
    """Base of a gate's typed summary: every figure declared (unknown ones are an error)."""

    part = "summary"


class TypedDetails(TypedPart):
    """Base of a gate's typed details: the declared keys are checked, others pass untyped."""

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)
    part = "details"


class GateResult(_Model):
    """Everything a gate run produced; serialised as `<results-dir>/<gate>.json`."""

    schema_version: int = SCHEMA_VERSION
    """Version of this file format."""
    gate: str
    """Command that produced it (`eval-gate`, `prompt-lint`, ...)."""
    status: Status
    """pass, fail or error."""
    title: str = ""
    """One-line headline for reports (`42/42 cases passed, mean 0.93`)."""
    summary: dict[str, Any] = Field(default_factory=dict)
    """Key figures; each becomes an action output (`findings`, `score`, `monthly_cost_usd`)."""
    cases: list[CaseResult] = Field(default_factory=list)
    """Per-case outcomes."""
    findings: list[Finding] = Field(default_factory=list)
    """Problems found, with severity and location."""
    incomplete: bool = False
    """True when the run did not cover everything it should have (partial results)."""
    error: str | None = None
    """Error message when status is `error`."""
    error_kind: ErrorKind | None = None
    """usage (exit 2) or infra (exit 3) when status is `error`."""
    usage: Usage | None = None
    """Tokens, requests and cost consumed by the run."""
    timings: Timings | None = None
    """Start time and duration."""
    tool_version: str = __version__
    """genai-gate version that produced the result."""
    git_sha: str | None = None
    """Commit checked out when the gate ran, so the audit log can tie results to a sha."""
    config_digest: str | None = None
    """sha256 of the canonical config used, so the audit log can tie results to config."""
    genai_gate_commit: str | None = Field(
        default_factory=lambda: os.environ.get("GENAI_GATE_COMMIT") or None
    )
    """Commit of genai-gate that judged the run ($GENAI_GATE_COMMIT, set by the actions from
    `job.workflow_sha` / the action's ref); written as null when unknown."""
    details: dict[str, Any] = Field(default_factory=dict)
    """Gate-specific payload for renderers (comparison tables, per-metric evidence, ...)."""

    @property
    def exit_code(self) -> ExitCode:
        """Exit code for this result; fails closed (an error or incomplete pass never yields 0)."""
        if self.status is Status.ERROR:
            return ExitCode.USAGE if self.error_kind is ErrorKind.USAGE else ExitCode.INFRA
        if self.status is Status.FAIL:
            return ExitCode.FAILED
        if self.incomplete:
            return ExitCode.INFRA
        return ExitCode.PASSED

    def write(self, path: Path) -> Path:
        """Write atomically as indented JSON (temp file + rename: never half-written)."""
        rest = json.loads(self.model_dump_json(exclude_none=True, exclude=set(_ONE_PER_LINE)))
        data = {
            name: getattr(self, name) if name in _ONE_PER_LINE else rest[name]
            for name in type(self).model_fields
            if name in _ONE_PER_LINE or name in rest
        }
        data["genai_gate_commit"] = self.genai_gate_commit  # always present, null when unknown
        write_atomic(path, results_json(data))
        return path

    @classmethod
    def read(cls, path: Path) -> GateResult:
        """Load a results file, with a clear error for a missing, corrupt or newer file."""
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(located(path, None, "", "results file not found")) from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(located(path, None, "", f"not a JSON results file: {exc}")) from None
        version = raw.get("schema_version") if isinstance(raw, dict) else None
        if version not in READABLE_VERSIONS:
            raise ConfigError(
                located(path, None, "schema_version", f"unsupported value {version!r}")
            )
        try:
            if version != 1:
                validate_typed(raw)
            return cls.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            field = ".".join(str(p) for p in first["loc"])
            raise ConfigError(located(path, None, field, first["msg"])) from None


def build_models() -> None:
    """Build the schemas of the result models now (each is built on its first use otherwise, tens
    of ms in all): called in the background while a gate waits on its target."""
    for model in (Location, Finding, Usage, CaseResult, Timings, GateResult):
        model.model_rebuild()


OTHER = "other"
"""Tag of the results of gates without typed parts, and of error results (`tag_of`)."""


@functools.cache
def typed_models() -> dict[str, type[GateResult]]:
    """The typed result model of every gate that declares typed parts, by gate name."""
    from pydantic import create_model

    from genai_gate.gates import gates
    from genai_gate.gates.spec import resolve

    models: dict[str, type[GateResult]] = {}
    for gate in gates():
        parts: dict[str, Any] = {}
        if gate.summary is not None:
            parts["summary"] = (resolve(gate.summary), ...)
        if gate.details is not None:
            parts["details"] = (resolve(gate.details), ...)
        if not parts:
            continue
        name = "".join(word.title() for word in gate.name.split("-")) + "Result"
        tag: Any = Literal[gate.name]  # a type built at run time
        models[gate.name] = create_model(
            name,
            __base__=GateResult,
            __doc__=f"A result of `{gate.name}` that did not end in an error.",
            __module__=__name__,
            gate=(tag, Field(description="Command that produced it.")),
            **parts,
        )
    return models


def tag_of(raw: Any) -> str:
    """Which member of the union a raw results file is (the discriminator)."""
    if isinstance(raw, BaseModel):
        raw = raw.model_dump()
    if not isinstance(raw, dict):
        return OTHER
    gate, status = raw.get("gate"), raw.get("status")
    if gate in typed_models() and status != Status.ERROR.value:
        return str(gate)
    return OTHER


def validate_typed(raw: dict[str, Any]) -> None:
    """Check a raw results file against its gate's typed model (pydantic ValidationError)."""
    tag = tag_of(raw)
    if tag != OTHER:
        typed_models()[tag].model_validate(raw)


def incomplete_error(
    gate: str,
    reason: str,
    kind: ErrorKind = ErrorKind.INFRA,
    progress: list[dict[str, Any]] | None = None,
    traceback: str | None = None,
) -> GateResult:
    """The result of a gate that did not finish: `error`, incomplete, why, and how far it got.

    `progress` holds one entry per batch of work (label, done, total, finished job keys);
    `traceback` is kept for internal errors so that a bug report can be made from the file.
    """
    return GateResult(**_incomplete_fields(gate, reason, kind, progress, traceback))


def write_incomplete(
    path: Path,
    gate: str,
    reason: str,
    progress: list[dict[str, Any]] | None = None,
) -> None:
    """Write what `incomplete_error(gate, reason, progress=progress).write(path)` writes, without
    building the result model: its schema (tens of ms) is not built before a gate's first
    request, nor in a process stopped by a signal. Every field of that result is plain data."""
    fields = _incomplete_fields(gate, reason, ErrorKind.INFRA, progress, None)
    data: dict[str, Any] = {}
    for name, info in GateResult.model_fields.items():
        value = fields[name] if name in fields else info.get_default(call_default_factory=True)
        value = value.value if isinstance(value, Enum) else value
        if value is not None or name == "genai_gate_commit":  # as `write`: null when unknown
            data[name] = value
    write_atomic(path, results_json(data))


def _incomplete_fields(
    gate: str,
    reason: str,
    kind: ErrorKind,
    progress: list[dict[str, Any]] | None,
    traceback: str | None,
) -> dict[str, Any]:
    """The fields of `incomplete_error`'s result that differ from the defaults."""
    details: dict[str, Any] = {}
    summary: dict[str, Any] = {}
    if progress:
        details["progress"] = progress
        summary["finished"] = sum(int(batch["done"]) for batch in progress)
        summary["planned"] = sum(int(batch["total"]) for batch in progress)
    if traceback:
        details["traceback"] = traceback
    return {
        "gate": gate,
        "status": Status.ERROR,
        "title": f"{gate} did not finish",
        "error": reason,
        "error_kind": kind,
        "incomplete": True,
        "summary": summary,
        "details": details,
    }


def current_git_sha(folder: Path) -> str | None:
    """HEAD of the git repository holding `folder`, else $GITHUB_SHA, else None."""
    from genai_gate.integrations import git

    return git.output(folder, "rev-parse", "--verify", "--quiet", "HEAD") or (
        os.environ.get("GITHUB_SHA") or None
    )


_ONE_PER_LINE = ("cases", "findings")
"""GateResult fields written one element per line, each serialised on its own (a large run
never holds its whole results file in memory)."""


def results_json(data: dict[str, Any]) -> Iterator[str]:
    """The text of a results file, in pieces: indented JSON, with every model in a top-level list
    (cases, findings) on one line of its own, so that large runs are written at C speed."""
    yield "{"
    for number, (key, value) in enumerate(data.items()):
        yield f"{',' if number else ''}\n  {json.dumps(key)}: "
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            for index, item in enumerate(value):
                yield ("[\n    " if index == 0 else ",\n    ") + item.model_dump_json(
                    exclude_none=True
                )
            yield "\n  ]"
        else:
            yield json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
    yield "\n}\n"
