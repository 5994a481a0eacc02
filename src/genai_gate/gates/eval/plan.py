"""What one eval run does: the suites, their cases (filtered, sharded) and each case's scorers."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from genai_gate.errors import ConfigError, UsageError, located
from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.dataset import load_dataset_lines
from genai_gate.gates.eval.scorers import AUTO, scorer_class
from genai_gate.gates.eval.scorers.base import Scorer, ScorerConfigError
from genai_gate.gates.eval.settings import EvalSettings, ScorerSpec, SuiteSettings

if TYPE_CHECKING:
    from genai_gate.config import LoadedConfig


@dataclass(frozen=True)
class BoundScorer:
    """A scorer with its weight, pass threshold and label in reports."""

    label: str
    scorer: Scorer
    weight: float
    threshold: float


@dataclass
class SuitePlan:
    """One suite to run."""

    name: str
    settings: SuiteSettings
    target: str
    """Target name the cases are sent to."""
    cases: list[Case]
    """Cases to evaluate, in dataset order."""
    index: dict[str, int] = field(default_factory=dict)
    """Position of every case id in the full dataset (canonical order for shard merges)."""
    scorers: dict[str, list[BoundScorer]] = field(default_factory=dict)
    """Scorers of each case id that apply to it."""
    all_ids: set[str] = field(default_factory=set)
    """Every case id of the dataset after the tag filter (for `removed` against a baseline)."""
    unchanged: set[str] = field(default_factory=set)
    """`--changed-only` without a baseline: cases whose prompt did not change (still run)."""
    sources: dict[str, str] = field(default_factory=dict)
    """`DATASET:LINE` where each case is written (dataset path as in genai-gate.yaml)."""


@dataclass(frozen=True)
class Shard:
    """`--shard I/N` (1 <= I <= N, numbered like jest, playwright and vitest): this run evaluates
    the cases whose stable hash falls in slice I of N; shard results merge back into the unsharded
    result (`genai-gate report merge`)."""

    index: int
    """0-based slice (`--shard 1/3` is index 0), as stored in `details.shard.index`."""
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`I/N` with 1 <= I <= N."""
        try:
            number, count = (int(part) for part in text.split("/"))
        except ValueError:
            raise UsageError(f"--shard expects I/N (e.g. 1/4 ... 4/4), got {text!r}") from None
        if count < 1 or not 1 <= number <= count:
            raise UsageError(
                f"--shard {text}: shards are numbered 1..N (e.g. --shard 1/{max(count, 1)} ... "
                f"{max(count, 1)}/{max(count, 1)})"
            )
        return cls(number - 1, count)

    @property
    def number(self) -> int:
        """1-based shard number, as written on the command line."""
        return self.index + 1

    def owns(self, suite: str, case_id: str) -> bool:
        """Whether the case belongs to this shard (sha256 of suite and id, modulo N)."""
        digest = hashlib.sha256(f"{suite}\0{case_id}".encode()).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index


def case_digest(case: Case) -> str:
    """sha256 of the case definition (a changed case is re-run by `--changed-only`): of the JSON
    of its JSON form (`model_dump(mode="json")`) with sorted keys.

    The Python form of a case is dumped (3x faster) and gives the same JSON whenever it holds
    only finite numbers, strings, lists and mappings; any other is dumped in its JSON form."""
    try:
        blob = _sorted_json(case.model_dump())
    except (TypeError, ValueError):
        blob = json.dumps(case.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(blob.encode()).hexdigest()[:32]


_sorted_json = json.JSONEncoder(sort_keys=True, separators=(",", ":"), allow_nan=False).encode


def select_suites(
    settings: EvalSettings, suite_names: list[str] | None, replay: bool = False
) -> list[str]:
    """The suites a run evaluates: `suite_names`, else `default_suites`, else every suite (every
    suite with a dataset unless the run replays transcripts)."""
    every = [n for n, suite in settings.suites.items() if replay or suite.dataset is not None]
    names = suite_names or settings.default_suites or every
    unknown = [n for n in names if n not in settings.suites]
    if unknown:
        known = ", ".join(settings.suites)
        raise UsageError(f"unknown suite {unknown[0]!r} (configured: {known})")
    if not names:
        raise UsageError("no eval suite has a dataset: give one a `dataset:` or use --replay FILE")
    return names


def build_plans(
    loaded: LoadedConfig,
    settings: EvalSettings,
    suite_names: list[str] | None,
    target_override: str | None,
    shard: Shard | None,
) -> list[SuitePlan]:
    """Load each selected suite's dataset and bind scorers; every problem is a ConfigError."""
    plans = []
    for name in select_suites(settings, suite_names):
        suite = settings.suites[name]
        if suite.dataset is None:
            raise loaded.error(
                f"suite {name!r} has no dataset: it only scores recorded transcripts "
                f"(eval-gate --replay FILE --suite {name})",
                "eval",
                "suites",
                name,
            )
        target = loaded.target_name(target_override or suite.target)
        path = loaded.resolve(suite.dataset)
        if not path.is_file():
            raise loaded.error(f"dataset not found: {path}", "eval", "suites", name, "dataset")
        located_cases = load_dataset_lines(path, suite.format, suite.input_var)
        if suite.tags:
            located_cases = [(c, n) for c, n in located_cases if set(c.tags) & set(suite.tags)]
        source = Source(path, suite.dataset)
        plans.append(plan_suite(loaded, name, suite, target, located_cases, source, shard))
    return plans


@dataclass(frozen=True)
class Source:
    """The file cases were read from."""

    path: Path
    """Where it is (problems are located there)."""
    shown: str
    """How reports name it (a dataset as written in genai-gate.yaml)."""


def plan_suite(
    loaded: LoadedConfig,
    name: str,
    suite: SuiteSettings,
    target: str,
    located_cases: list[tuple[Case, int | None]],
    source: Source,
    shard: Shard | None = None,
) -> SuitePlan:
    """The plan of suite `name` for these cases (a dataset's or recorded), scorers bound."""
    cases = [c for c, _ in located_cases]
    lines = {c.id: n for c, n in located_cases}
    plan = SuitePlan(name, suite, target, [], all_ids={c.id for c in cases})
    plan.index = {c.id: i for i, c in enumerate(cases)}
    plan.sources = {c: f"{source.shown}:{n}" if n else source.shown for c, n in lines.items()}
    suite_scorers = _suite_scorers(loaded, name, suite)
    problems: list[str] = []
    for case in cases:
        if shard is not None and not shard.owns(name, case.id):
            continue
        try:
            bound = _case_scorers(case, suite_scorers)
        except ScorerConfigError as exc:
            problems.append(located(source.path, lines[case.id], "scorers", str(exc)))
            continue
        plan.cases.append(case)
        plan.scorers[case.id] = bound
    if problems:
        raise ConfigError(problems)
    return plan


def _suite_scorers(
    loaded: LoadedConfig, name: str, suite: SuiteSettings
) -> list[BoundScorer] | None:
    """The suite's scorers (None for `auto`); errors point at the scorer in genai-gate.yaml."""
    if suite.scorers == "auto":
        return None
    try:
        return bind(suite.scorers)
    except _BindError as exc:
        raise loaded.error(str(exc.error), "eval", "suites", name, "scorers", exc.index) from None


class _BindError(Exception):
    def __init__(self, index: int, error: ScorerConfigError) -> None:
        self.index, self.error = index, error


def bind(specs: list[ScorerSpec]) -> list[BoundScorer]:
    """Instantiate scorer specs, labelling repeats of a type `type#2`, `type#3`."""
    bound: list[BoundScorer] = []
    seen: dict[str, int] = {}
    for index, spec in enumerate(specs):
        try:
            scorer = scorer_class(spec.type)(spec.params())
        except ScorerConfigError as exc:
            raise _BindError(index, exc) from None
        seen[spec.type] = seen.get(spec.type, 0) + 1
        label = spec.type if seen[spec.type] == 1 else f"{spec.type}#{seen[spec.type]}"
        threshold = spec.threshold if spec.threshold is not None else scorer.default_threshold
        bound.append(BoundScorer(label, scorer, spec.weight, threshold))
    return bound


_AUTO_SPECS = [ScorerSpec(type=name) for name in AUTO]


def _case_scorers(case: Case, suite_scorers: list[BoundScorer] | None) -> list[BoundScorer]:
    if case.scorers is not None:
        try:
            candidates = bind(case.scorers)
        except _BindError as exc:
            raise ScorerConfigError(f"{exc.index}: {exc.error}") from None
    elif suite_scorers is not None:
        candidates = suite_scorers
    else:
        candidates = _auto()
    return [b for b in candidates if b.scorer.applies(case)]


_auto_cache: list[BoundScorer] = []


def _auto() -> list[BoundScorer]:
    if not _auto_cache:
        _auto_cache.extend(bind(_AUTO_SPECS))
    return _auto_cache
