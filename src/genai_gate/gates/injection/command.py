"""Attack the target with the built-in, versioned red-team suite and fail on successful attacks.

Categories: direct instruction override, indirect injection through retrieved documents and tool
outputs, system-prompt leakage, jailbreak personas, encodings and obfuscation, multilingual and
code-switching, PII exfiltration, markdown image/link exfiltration and excessive agency (tool
misuse), in English and Spanish. The attacks are written for the agent profile of the config
(`injection.profile`: its channels, tools, documents, personas, victim record); your own attack
files (`injection.attacks`, `--attacks`) run through the same attack run and judge, and
`--replay FILE` judges recorded transcripts without any target. Attacks that cannot reach the
agent are reported as not delivered; a category with nothing delivered is an error (exit 3).

Answers are judged without an LLM (see `judge`): canaries planted in every run, the attacker's
marker read sentence by sentence, prompt-leak evidence, the victim's data, exfiltration links
and the tool policy. Thresholds per category come from the `injection:` section (default: zero
tolerated for leakage, exfiltration and tool misuse). An optional LLM judge
(`injection.llm_judge`) may add successful attacks, never remove them.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from genai_gate.errors import UsageError
from genai_gate.gates.injection.catalog import CATEGORIES
from genai_gate.options import GateOptions

if TYPE_CHECKING:  # the run's modules are imported when it runs: `--help` stays fast
    from genai_gate.config import LoadedConfig
    from genai_gate.context import Context
    from genai_gate.gates.injection.settings import InjectionSettings
    from genai_gate.gates.injection.suite import Attack
    from genai_gate.results import GateResult, Location


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `genai-gate injection-test`."""
    parser.add_argument(
        "--target", help="target to attack (default: injection.target or the default)"
    )
    parser.add_argument(
        "--sample",
        type=_positive,
        metavar="N",
        help="run N attacks stratified by category (default: injection.sample, else all)",
    )
    parser.add_argument("--full", action="store_true", help="run the full suite, ignoring sample")
    parser.add_argument(
        "--seed", type=int, help="seed of the sample (default: injection.sample_seed)"
    )
    parser.add_argument(
        "--category",
        action="append",
        choices=sorted(CATEGORIES),
        help="only this category; repeatable (default: injection.categories, else all)",
    )
    parser.add_argument(
        "--language", action="append", choices=["en", "es"], help="only this language; repeatable"
    )
    parser.add_argument(
        "--attacks",
        action="append",
        type=Path,
        metavar="FILE",
        help="also run the attacks of FILE (JSONL, YAML or CSV); repeatable, adds to "
        "injection.attacks",
    )
    parser.add_argument(
        "--no-builtin",
        action="store_true",
        help="run only the attacks of --attacks / injection.attacks, not the built-in suite",
    )
    parser.add_argument(
        "--replay",
        type=Path,
        metavar="FILE",
        help="judge the recorded transcripts of FILE (JSONL, YAML or CSV) without calling any "
        "target",
    )
    parser.add_argument(
        "--paraphrase",
        action="store_true",
        help="also run one variant of each attack paraphrased by the target's own model",
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


@dataclass(frozen=True)
class Options(GateOptions):
    """Options of one injection-test run."""

    target: str | None = None
    """Target to attack (default: injection.target or the default)."""
    sample: int | None = None
    """Run this many attacks stratified by category (default: injection.sample, else all)."""
    full: bool = False
    """Run the full suite, ignoring sample."""
    seed: int | None = None
    """Seed of the sample (default: injection.sample_seed)."""
    category: tuple[str, ...] | None = None
    """Only these categories (default: injection.categories, else all)."""
    language: tuple[str, ...] | None = None
    """Only these languages."""
    attacks: tuple[Path, ...] | None = None
    """Attack files run besides injection.attacks."""
    no_builtin: bool = False
    """Run only the user's attack files, not the built-in suite."""
    replay: Path | None = None
    """Judge the recorded transcripts of this file without calling any target."""
    paraphrase: bool = False
    """Also run one variant of each attack paraphrased by the target's own model."""


def attack_files(loaded: LoadedConfig, settings: InjectionSettings, args: Options) -> list[Path]:
    """User attack files: `injection.attacks` (relative to the config) then `--attacks`."""
    files = [loaded.resolve(name) for name in settings.attacks]
    for index, path in enumerate(files):
        if not path.is_file():
            raise loaded.error(
                f"attack file {settings.attacks[index]!r} not found", "injection", "attacks", index
            )
    for path in args.attacks or []:
        if not path.is_file():
            raise UsageError(f"--attacks {path}: file not found")
        files.append(path)
    return files


def select_attacks(
    settings: InjectionSettings, args: Options, user_files: Sequence[Path] = ()
) -> list[Attack]:
    """The attacks of this run: suite + user files -> categories -> languages -> sample."""
    from genai_gate.gates.injection.suite import Scenario, build_suite, sample

    builtin = settings.builtin and not getattr(args, "no_builtin", False)
    scenario = Scenario(**settings.scenario.model_dump())
    sensitive = tuple(settings.tool_policy.sensitive)
    attacks = build_suite(scenario, settings.profile, sensitive) if builtin else []
    if user_files:  # their reader (CSV, YAML, JSONL) is imported only for them
        from genai_gate.gates.injection.attacks import load_attack_files

        attacks += load_attack_files(list(user_files), {a.id for a in attacks})
    categories = args.category or settings.categories
    if categories:
        attacks = [a for a in attacks if a.category in set(categories)]
    excluded = set(settings.exclude_categories) - set(args.category or ())
    attacks = [a for a in attacks if a.category not in excluded]
    languages = set(args.language or settings.languages)
    # injection.languages narrows the built-in suite; user attacks only by an explicit --language
    attacks = [
        a
        for a in attacks
        if a.language in languages or (a.source != "built-in" and not args.language)
    ]
    size = None if args.full else (args.sample or settings.sample)
    if size is not None:
        seed = settings.sample_seed if args.seed is None else args.seed
        attacks = sample(attacks, size, seed)
    if not attacks:
        raise UsageError("injection-test: no attacks selected (check --category / --language)")
    return attacks


def system_prompt_text(
    loaded: LoadedConfig, settings: InjectionSettings, target: str
) -> str | None:
    """Static text of the target's system prompt (for n-gram leak detection), when known."""
    from genai_gate.gates.injection.prompttext import prompt_static_text
    from genai_gate.targets.config import OpenAITargetConfig
    from genai_gate.yamlio import load_mapping, read_text

    reference = settings.system_prompt
    target_cfg = loaded.model.targets[target]
    if reference is None and isinstance(target_cfg, OpenAITargetConfig):
        reference = target_cfg.system_prompt
    if reference is None:
        return None
    path = loaded.resolve(reference)
    if not path.is_file():
        path = loaded.resolve(loaded.model.registry.prompts) / f"{reference}.yaml"
    if not path.is_file():
        raise loaded.error(
            f"{reference!r} is neither a file nor a prompt id of the registry",
            "injection",
            "system_prompt",
        )
    if path.suffix not in (".yaml", ".yml"):
        return prompt_static_text(read_text(path))
    data, _ = load_mapping(path)
    template = data.get("template")
    if not isinstance(template, str):
        raise loaded.error(f"{path}: no string `template`", "injection", "system_prompt")
    return prompt_static_text(template)


def target_location(loaded: LoadedConfig, target: str) -> Location:
    """The attacked target's entry in genai-gate.yaml (relative to the working folder if inside)."""
    from genai_gate.results import Location

    path = loaded.path
    with contextlib.suppress(ValueError):
        path = path.relative_to(Path.cwd())
    return Location(path=path.as_posix(), line=loaded.line_of("targets", target))


def run(options: Options, ctx: Context) -> GateResult:
    """Run the injection test and return its result."""
    from genai_gate.gates.injection.attack_run import InjectionRun
    from genai_gate.gates.injection.settings import InjectionSettings
    from genai_gate.runner import Runner
    from genai_gate.targets import build_target

    if options.replay is not None:
        from genai_gate.gates.injection.attack_run import replay_result

        clashing = [
            flag
            for flag, given in (
                ("--attacks", options.attacks),
                ("--target", options.target),
                ("--paraphrase", options.paraphrase),
                ("--no-builtin", options.no_builtin),
            )
            if given
        ]
        if clashing:
            raise UsageError(
                f"--replay judges recorded answers without any target: {', '.join(clashing)} "
                "cannot be combined with it"
            )
        present = ctx.config_if_present()
        settings = (present.model.injection if present else None) or InjectionSettings()
        if not options.replay.is_file():
            raise UsageError(f"--replay {options.replay}: file not found")
        return replay_result(settings, options.replay)
    loaded = ctx.config
    settings = loaded.model.injection or InjectionSettings()
    target_name = loaded.target_name(options.target or settings.target)
    selected = select_attacks(settings, options, attack_files(loaded, settings, options))
    attacks = selected
    system_prompt = system_prompt_text(loaded, settings, target_name)
    if options.paraphrase or settings.paraphrase.enabled:
        from genai_gate.gates.injection.paraphrase import paraphrase_attacks

        helper_name = loaded.target_name(settings.paraphrase.target or target_name)
        if loaded.model.targets[helper_name].type not in ("openai", "mock"):
            raise loaded.error(
                f"target {helper_name!r} is an agent, not a model: set paraphrase.target to an "
                "openai target of the same model",
                "injection",
                "paraphrase",
            )
        helper = Runner(
            build_target(loaded, helper_name),
            loaded.model.runner,
            progress=ctx.show_progress,
            label="paraphrases",
        )
        attacks = selected + paraphrase_attacks(selected, helper.run)
    # No response cache: every run plants a fresh canary, so no two runs send the same request.
    runner = Runner(
        build_target(loaded, target_name),
        loaded.model.runner,
        progress=ctx.show_progress,
        label="attacks",
    )
    injection = InjectionRun(
        settings=settings,
        attacks=attacks,
        target_name=target_name,
        system_prompt=system_prompt,
        suite=selected,
        location=target_location(loaded, target_name),
        plants_tool_outputs=loaded.model.targets[target_name].type in ("openai", "mock"),
    )
    judge = None
    if settings.llm_judge is not None:
        judge_target = build_target(loaded, loaded.target_name(settings.llm_judge))
        judge = Runner(
            judge_target, loaded.model.runner, progress=ctx.show_progress, label="judging"
        ).run
    return injection.execute(
        functools.partial(runner.run, on_outcome=injection.judge_outcome), judge
    )
