"""genai-gate.yaml: the pydantic model of the whole file and its loading with file:line errors."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from pydantic import Field, create_model, model_validator

from genai_gate.errors import ConfigError, located
from genai_gate.gates import gates
from genai_gate.gates.spec import resolve
from genai_gate.knowledge_base import ReleaseSettings
from genai_gate.schema import StrictModel
from genai_gate.secret_patterns import looks_like_credential
from genai_gate.targets.config import TargetConfig
from genai_gate.yamlio import LineMap, Loc, dotted, load_mapping, validate

DEFAULT_CONFIG = "genai-gate.yaml"


class CacheSettings(StrictModel):
    """Content-addressed response cache."""

    dir: str = ".genai-gate/cache"
    """Folder of cache entries (one file each), relative to the config file."""
    mode: Literal["off", "read-write", "replay-only"] = "read-write"
    """off: never read or write; read-write: reuse and store; replay-only: a miss is an error."""


class RunnerSettings(StrictModel):
    """How requests are sent to a target."""

    concurrency: int = Field(default=32, ge=1, le=1024)
    """Requests in flight at once."""
    requests_per_minute: float | None = Field(default=None, gt=0)
    """Optional rate limit."""
    timeout_s: float = Field(default=60.0, gt=0)
    """Timeout of one request."""
    connect_timeout_s: float = Field(default=3.0, gt=0)
    """Timeout to open a connection (kept short: a dead endpoint must fail fast)."""
    max_retries: int = Field(default=4, ge=0, le=20)
    """Retries on 429, 5xx and connection errors, with exponential backoff and jitter."""
    backoff_base_s: float = Field(default=0.5, ge=0)
    """First backoff cap; doubles per retry (full jitter: a random wait up to the cap)."""
    backoff_max_s: float = Field(default=30.0, ge=0)
    """Largest backoff cap. A server's Retry-After is honoured instead, up to timeout_s."""
    circuit_breaker_failures: int = Field(default=5, ge=1)
    """Consecutive connection failures that open the circuit and end the run (exit 3)."""
    cache: CacheSettings = CacheSettings()
    """Response cache (one file per entry; safe to share between parallel jobs)."""


class RegistrySettings(StrictModel):
    """Where the prompt registry, model registry and datasets live (relative to the config)."""

    prompts: str = "prompts"
    """Folder of prompt YAML files."""
    models: str = "model_registry.yaml"
    """Model registry file."""


class CoreConfig(StrictModel):
    """The parts of genai-gate.yaml that are not a gate's section."""

    version: Literal[1] = 1
    """Version of this file's format."""
    project: str | None = None
    """Name of the agent / product, shown in reports and audit records."""
    targets: dict[str, TargetConfig] = Field(default_factory=dict)
    """The agents or endpoints under test, by name."""
    default_target: str | None = None
    """Target used when a gate does not name one; defaults to the only target."""
    runner: RunnerSettings = RunnerSettings()
    """Concurrency, retries, timeouts and response cache of every request to a target."""
    registry: RegistrySettings = RegistrySettings()
    """Where the prompt registry and the model registry are."""

    @model_validator(mode="after")
    def _default_target_exists(self) -> CoreConfig:
        if self.default_target is not None and self.default_target not in self.targets:
            raise ValueError(f"default_target {self.default_target!r} is not in targets")
        return self


_RELEASE_DOC = "What a release manifest records beyond code and prompts (the knowledge base)."

if TYPE_CHECKING:
    # What the model built by `root_model()` looks like to the type checker; the gates' section
    # types are imported for type checking only. `tests/test_gate_specs.py` checks that these
    # fields are the gates' descriptors.
    from genai_gate.gates.audit.settings import AuditSettings
    from genai_gate.gates.canary.settings import CanarySettings
    from genai_gate.gates.cost.settings import CostSettings
    from genai_gate.gates.eval.settings import EvalSettings
    from genai_gate.gates.injection.settings import InjectionSettings
    from genai_gate.gates.monitor.settings import MonitorSettings
    from genai_gate.gates.prompt_lint.settings import PromptLintSettings
    from genai_gate.gates.smoke.settings import SmokeSettings

    class GenaiGateConfig(CoreConfig):
        """The whole genai-gate.yaml."""

        prompt_lint: PromptLintSettings | None
        injection: InjectionSettings | None
        eval: EvalSettings | None
        cost: CostSettings | None
        audit: AuditSettings | None
        canary: CanarySettings | None
        smoke: SmokeSettings | None
        monitor: MonitorSettings | None
        release: ReleaseSettings | None


@functools.cache
def root_model(present: frozenset[str] | None = None) -> type[GenaiGateConfig]:
    """The model of the whole genai-gate.yaml: the core, each gate's section (from its
    descriptor, imported here, not when this module is), then `release`.

    `present`: the top-level keys of one file. A section absent from it can only be null, so
    its gate's settings model is neither imported nor built (the same fields, the same errors;
    about 50 ms less start-up for a file with one gate's section)."""
    sections: dict[str, Any] = {
        gate.config.key: (
            (
                cast(type, resolve(gate.config.settings))
                if present is None or gate.config.key in present
                else type(None)
            )
            | None,
            Field(default=None, description=gate.config.doc),
        )
        for gate in gates()
        if gate.config is not None
    }
    model = create_model(
        "GenaiGateConfig",
        __base__=CoreConfig,
        __doc__="The whole genai-gate.yaml. Sections that are absent are not run by "
        "`genai-gate run`.",
        __module__=__name__,
        **sections,
        release=(ReleaseSettings | None, Field(default=None, description=_RELEASE_DOC)),
    )
    return cast("type[GenaiGateConfig]", model)


def __getattr__(name: str) -> object:
    """`GenaiGateConfig` is built on first use (importing every gate's settings then)."""
    if name == "GenaiGateConfig":
        return root_model()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class LoadedConfig:
    """A validated config with where it came from."""

    model: GenaiGateConfig
    path: Path
    lines: LineMap
    digest: str
    """sha256 of the canonical JSON of the raw file contents."""

    @property
    def root(self) -> Path:
        """Folder of the config file: relative paths in the config are resolved against it."""
        return self.path.parent

    def resolve(self, relative: str | Path) -> Path:
        """Resolve a path written in the config relative to the config's folder."""
        return (self.root / relative).resolve()

    def line_of(self, *loc: str | int) -> int | None:
        """Line of a dotted location in the config file (for errors raised after validation)."""
        return self.lines.line_of(loc)

    def error(self, message: str, *loc: str | int) -> ConfigError:
        """A ConfigError located at `loc` in this config file."""
        return ConfigError(located(self.path, self.line_of(*loc), dotted(loc), message))

    def target_name(self, requested: str | None = None) -> str:
        """Name of the target to use: `requested`, the default, or the only one."""
        targets = self.model.targets
        name = requested or self.model.default_target
        if name is None and len(targets) == 1:
            name = next(iter(targets))
        if name is None:
            raise self.error("no target given and no default_target set", "targets")
        if name not in targets:
            known = ", ".join(sorted(targets)) or "none"
            raise self.error(f"unknown target {name!r} (known: {known})", "targets")
        return name


_SECRET_KEY_NAMES = re.compile(r"(?i)^(api[_-]?key|token|secret|password|authorization)$")


def find_literal_secrets(data: Any, loc: Loc = ()) -> list[tuple[Loc, str]]:
    """Locations of string values that look like credentials, and why."""
    found: list[tuple[Loc, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and value and _SECRET_KEY_NAMES.match(str(key)):
                found.append(((*loc, key), f"a literal secret is not allowed: use {key}_env"))
            else:
                found.extend(find_literal_secrets(value, (*loc, key)))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found.extend(find_literal_secrets(item, (*loc, index)))
    elif isinstance(data, str) and looks_like_credential(data):
        found.append(
            (
                loc,
                "looks like a literal API key or token: put it in an environment "
                "variable and reference it with an `*_env` field",
            )
        )
    return found


def config_digest(raw: Any) -> str:
    """sha256 over the RFC 8785 canonical JSON of the raw config data."""
    from genai_gate.canonical import digest

    return digest(raw)


def load_config(path: Path | str = DEFAULT_CONFIG) -> LoadedConfig:
    """Load and validate genai-gate.yaml; problems raise ConfigError as `FILE:LINE: field: msg`."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(
            located(
                path,
                None,
                "",
                "config file not found: run in the folder that holds "
                "genai-gate.yaml or pass --config FILE (see examples/bank-support-agent)",
            )
        )
    raw, lines = load_mapping(path)
    secrets = find_literal_secrets(raw)
    if secrets:
        raise ConfigError(
            [located(path, lines.line_of(loc), dotted(loc), why) for loc, why in secrets]
        )
    model = validate(root_model(frozenset(raw)), raw, path, lines)
    return LoadedConfig(model=model, path=path.resolve(), lines=lines, digest=config_digest(raw))
