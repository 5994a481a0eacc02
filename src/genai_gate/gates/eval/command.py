"""Run the eval suites of genai-gate.yaml against a target and gate on scores and regressions.

Each case is sent to the target (--repeat N samples, each with its own seed and cache entry),
scored by the suite's scorers, and the suite is judged by its thresholds: min_score, min_pass_rate,
and with a baseline no significant regression (paired test, alpha from config). The baseline is
a results file (--baseline) or, with --base-ref alone, a run of the same suites against the base
ref's tree (its agent code and prompts; the response cache is shared). Cases that passed on the
baseline and fail now are listed first as regressions. A case that passes some
samples but not all is reported as flaky with its pass rate. An errored case counts as failed
unless eval.max_errors / --max-errors allows it. An unreachable target ends the run with exit 3
and the partial results written (marked incomplete). `eval-gate import-promptfoo CONFIG` writes a
promptfoo config as a native dataset and config for review (docs/promptfoo-import.md).
`--replay FILE --suite NAME` scores recorded production answers (docs/eval-transcript.md) with
the suite's scorers and thresholds and calls no target.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from genai_gate.errors import UsageError
from genai_gate.options import GateOptions

if TYPE_CHECKING:  # the run's modules are imported by `run`: `--help` stays fast
    from genai_gate.config import LoadedConfig
    from genai_gate.context import Context
    from genai_gate.gates.eval.details import RemovedCase, RunFacts
    from genai_gate.gates.eval.plan import Shard
    from genai_gate.results import GateResult


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `genai-gate eval-gate`, and its `import-promptfoo` action."""
    actions = parser.add_subparsers(dest="action", metavar="[import-promptfoo]")
    description = "write a promptfoo config as a genai-gate dataset and config, for review"
    _import_arguments(
        actions.add_parser("import-promptfoo", help=description, description=description)
    )
    parser.add_argument(
        "--suite",
        dest="suites",
        action="append",
        metavar="NAME",
        help="run this suite; repeatable (default: eval.default_suites, else every suite)",
    )
    parser.add_argument("--target", metavar="NAME", help="evaluate this target (default: config)")
    parser.add_argument(
        "--repeat",
        type=_positive,
        metavar="N",
        help="samples per case, each with its own seed and cache entry (default: eval.repeat)",
    )
    parser.add_argument(
        "--baseline",
        metavar="FILE",
        help="eval-gate results of the base branch: report fixed / regressed / new / removed",
    )
    parser.add_argument(
        "--base-ref",
        metavar="REF",
        help="git ref of the base branch: without --baseline, the same suites are run against "
        "its tree to get the baseline; with --changed-only, prompts changed since it "
        "(default there: origin/$GITHUB_BASE_REF)",
    )
    parser.add_argument(
        "--changed-only",
        action="store_true",
        help="evaluate only cases whose prompt changed since --base-ref; reuse the baseline",
    )
    parser.add_argument(
        "--shard",
        metavar="I/N",
        type=_shard,
        help="evaluate slice I of N, numbered 1..N like jest and playwright (deterministic by "
        "case id); merge the shard results with `genai-gate report merge`",
    )
    parser.add_argument(
        "--max-errors",
        type=_non_negative,
        metavar="N",
        help="errored cases tolerated before the gate fails (default: eval.max_errors)",
    )
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="response cache folder (default: runner.cache.dir); --base-ref shares it with the "
        "base run",
    )
    parser.add_argument(
        "--replay",
        type=Path,
        metavar="FILE",
        help="score recorded transcripts (JSONL, YAML or CSV: docs/eval-transcript.md) with the "
        "suite's scorers and thresholds instead of calling a target",
    )


REPLAY_CLASHES = ("target", "repeat", "baseline", "base_ref", "changed_only", "shard", "cache_dir")
"""Options that choose what a target is asked, meaningless for recorded answers."""


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `eval-gate import-promptfoo` (here, so `--help` loads no promptfoo module)."""
    parser.add_argument("promptfoo_config", metavar="CONFIG", help="promptfooconfig.yaml")
    parser.add_argument(
        "--out",
        metavar="DIR",
        default="promptfoo-import",
        help="folder for dataset.jsonl and genai-gate.yaml (default: promptfoo-import)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite files in --out")
    parser.set_defaults(func=_import_promptfoo)  # a conversion, not a gate run: no results file


def _import_promptfoo(args: argparse.Namespace, ctx: Context) -> int:
    """`eval-gate import-promptfoo`: convert a promptfoo config (no results file)."""
    from genai_gate.gates.eval.promptfoo import command as promptfoo_import

    return promptfoo_import.run(args)


def _positive(text: str) -> int:
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _non_negative(text: str) -> int:
    value = _int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def _shard(text: str) -> Shard:
    from genai_gate.gates.eval.plan import Shard

    try:
        return Shard.parse(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


DECIDE = "genai_gate.gates.eval.gate_result"
"""Module (with the details models and the verdict) needed only once the cases are answered."""


@dataclass(frozen=True)
class Options(GateOptions):
    """Options of one eval-gate run."""

    suites: tuple[str, ...] | None = None
    """Suites to run (default: eval.default_suites, else every suite)."""
    target: str | None = None
    """Target to evaluate (default: config)."""
    repeat: int | None = None
    """Samples per case (default: eval.repeat)."""
    baseline: str | None = None
    """eval-gate results file of the base branch."""
    base_ref: str | None = None
    """Git ref of the base branch (a baseline run without `baseline`; `changed_only`)."""
    changed_only: bool = False
    """Evaluate only cases whose prompt changed since `base_ref`."""
    shard: Shard | None = None
    """The slice of the cases to evaluate."""
    max_errors: int | None = None
    """Errored cases tolerated (default: eval.max_errors)."""
    cache_dir: str | None = None
    """Response cache folder (default: runner.cache.dir)."""
    replay: Path | None = None
    """Score the recorded transcripts of this file instead of calling a target."""


def run(options: Options, ctx: Context) -> GateResult:
    """Plan, run, score, compare and decide."""
    from genai_gate import idle
    from genai_gate.gates.eval.budget import estimate, not_started, over_budget
    from genai_gate.gates.eval.evaluator import Evaluator
    from genai_gate.gates.eval.plan import build_plans

    loaded = ctx.config
    settings = loaded.model.eval
    if settings is None:
        raise loaded.error("no `eval:` section: add suites to run the eval gate", "eval")
    suites = list(options.suites) if options.suites else None
    shard = options.shard
    repeat = options.repeat or settings.repeat
    max_errors = options.max_errors
    max_errors = settings.max_errors if max_errors is None else max_errors
    if options.replay is not None:
        return _replay(options, ctx, suites, max_errors)
    plans = build_plans(loaded, settings, suites, options.target, shard)
    cache_dir = _cache_dir(loaded, options.cache_dir)
    extra: RunFacts = {"targets": {p.name: p.target for p in plans}}
    baseline = None
    if options.baseline:
        from genai_gate.gates.eval.compare import baseline_cases
        from genai_gate.gates.eval.details import BaselineSource
        from genai_gate.results import GateResult

        baseline = baseline_cases(GateResult.read(Path(options.baseline)))
        extra["baseline"] = BaselineSource(source="file", path=str(options.baseline))
    elif options.base_ref:
        from genai_gate.gates.eval.baseref import run_base
        from genai_gate.gates.eval.compare import baseline_cases

        base_estimate = estimate(loaded, plans, repeat)  # the base run costs as much
        refusal = over_budget(loaded, base_estimate)
        if refusal is not None and base_estimate is not None:
            return not_started(refusal, {**extra, "estimate": base_estimate})
        base = run_base(loaded, options.base_ref, _base_options(options, repeat), cache_dir)
        baseline = baseline_cases(base.result)
        extra["baseline"] = base.describe()
    if shard is not None:
        from genai_gate.gates.eval.details import ShardSlice

        extra["shard"] = ShardSlice(index=shard.index, count=shard.count)
    reused = []
    if options.changed_only:
        from genai_gate.gates.eval.changed import changed_prompts, reuse_unchanged
        from genai_gate.gates.eval.details import ChangedOnly

        base_ref = options.base_ref or _default_base_ref()
        changed, commit = changed_prompts(loaded, base_ref)
        reused = reuse_unchanged(plans, changed, baseline)
        extra["changed_only"] = ChangedOnly(
            base_ref=base_ref, base_commit=commit, changed_prompts=sorted(changed)
        )
    estimated = estimate(loaded, plans, repeat)
    if estimated is not None:
        extra["estimate"] = estimated
    refusal = over_budget(loaded, estimated)
    if refusal is not None:
        return not_started(refusal, extra)
    evaluator = Evaluator(loaded, settings, repeat, cache_dir, progress=ctx.show_progress)
    idle.prefetch([DECIDE])  # the verdict's modules are imported while the cases run
    output = evaluator.run(plans)
    from genai_gate.gates.eval.gate_result import assemble
    from genai_gate.gates.eval.verdict import policy

    cases = output.cases + reused
    removed: list[RemovedCase] = []
    if baseline is not None:
        from genai_gate.gates.eval.compare import annotate

        names = {p.name for p in plans}

        def in_scope(suite: str, case_id: str) -> bool:
            return suite in names and (shard is None or shard.owns(suite, case_id))

        removed = annotate(cases, baseline, in_scope)
    pol = policy(settings, [p.name for p in plans], max_errors, baseline is not None, repeat)
    return assemble(cases, pol, removed, output.usage, error=output.error, extra=extra)


def _replay(
    options: Options, ctx: Context, suites: list[str] | None, max_errors: int
) -> GateResult:
    """`--replay FILE`: score the recorded answers, send nothing to a target."""
    from genai_gate.gates.eval.replay import replay_result, replay_suite

    clashing = [
        f"--{name.replace('_', '-')}" for name in REPLAY_CLASHES if getattr(options, name, None)
    ]
    if clashing:
        raise UsageError(
            f"--replay scores recorded answers without any target: {', '.join(clashing)} "
            "cannot be combined with it"
        )
    replay = options.replay
    assert replay is not None
    if not replay.is_file():
        raise UsageError(f"--replay {replay}: file not found")
    loaded = ctx.config
    assert loaded.model.eval is not None
    settings = loaded.model.eval
    suite = replay_suite(settings, suites)
    return replay_result(loaded, settings, suite, replay, max_errors, ctx.show_progress)


def _cache_dir(loaded: LoadedConfig, override: str | None) -> Path | None:
    """Response cache folder: --cache-dir, else runner.cache.dir (None when the cache is off)."""
    if loaded.model.runner.cache.mode == "off":
        return None
    return Path(override).resolve() if override else loaded.resolve(loaded.model.runner.cache.dir)


def _base_options(options: Options, repeat: int) -> list[str]:
    """Options that make the base run evaluate the same slice as this one."""
    arguments = ["--repeat", str(repeat)]
    for suite in options.suites or ():
        arguments += ["--suite", suite]
    if options.target:
        arguments += ["--target", options.target]
    shard = options.shard
    if shard is not None:
        arguments += ["--shard", f"{shard.number}/{shard.count}"]
    return arguments


def _default_base_ref() -> str:
    base = os.environ.get("GITHUB_BASE_REF")
    if not base:
        raise UsageError("--changed-only needs --base-ref REF (or $GITHUB_BASE_REF in a PR)")
    return f"origin/{base}"
