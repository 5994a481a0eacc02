"""`genai-gate eval-gate import-promptfoo CONFIG [--out DIR]`: write the native dataset and config.

The migration is meant to be reviewed: `DIR/dataset.jsonl` holds one case per prompt x test
(rendered input, scorers, description), `DIR/genai-gate.yaml`
one suite per provider, with every approximated assertion listed at its top. Nothing is written
when any construct cannot be imported; existing files are not overwritten without `--force`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from genai_gate.errors import UsageError
from genai_gate.gates.eval.promptfoo import Conversion, convert
from genai_gate.gates.eval.promptfoo.files import Node
from genai_gate.yamlio import LineMap, load_yaml

DATASET = "dataset.jsonl"
CONFIG = "genai-gate.yaml"


def run(args: argparse.Namespace) -> int:
    """Convert, check, write; print what was written and what to review. Errors end with exit 2
    here, without the eval-gate results file a gate run would write."""
    try:
        return _run(args)
    except UsageError as exc:
        print(f"genai-gate: error: {exc}", file=sys.stderr)
        return int(exc.exit_code)


def _run(args: argparse.Namespace) -> int:
    source = Path(args.promptfoo_config)
    data, lines = load_yaml(source)
    conversion = convert(Node(data, source, lines))
    out = Path(args.out)
    targets = [out / DATASET, out / CONFIG]
    existing = [str(p) for p in targets if p.exists()]
    if existing and not args.force:
        raise UsageError(f"{', '.join(existing)} exists (pass --force to overwrite)")
    rows = [case.data for case in conversion.cases]
    _check(rows, out / DATASET)
    out.mkdir(parents=True, exist_ok=True)
    dataset = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    _write({out / DATASET: dataset, out / CONFIG: config_text(conversion, source)})
    kinds = f"{len(conversion.approximations)} approximated assertion(s) to review"
    print(f"wrote {len(rows)} cases to {out / DATASET} and the suites to {out / CONFIG}; {kinds}")
    for note in conversion.approximations:
        print(f"approximation to review: {note}", file=sys.stderr)
    return 0


def _check(rows: list[dict[str, Any]], path: Path) -> None:
    from genai_gate.gates.eval.case_validation import validate_cases

    validate_cases(rows, LineMap({(i,): i + 1 for i in range(len(rows))}), path, ())


def config_text(conversion: Conversion, source: Path) -> str:
    """genai-gate.yaml for the imported suites (one per provider), commented for review."""
    providers = conversion.providers
    config: dict[str, Any] = {"version": 1, "targets": {p.name: p.target for p in providers}}
    if providers:
        config["default_target"] = providers[0].name
    suites = {
        f"promptfoo-{p.name}" if len(providers) > 1 else "promptfoo": {
            "dataset": DATASET,
            "target": p.name,
            "thresholds": {"min_pass_rate": 1.0},
        }
        for p in providers
    } or {"promptfoo": {"dataset": DATASET, "thresholds": {"min_pass_rate": 1.0}}}
    config["eval"] = {"suites": suites}
    grader = conversion.grader
    if grader is not None:
        name = grader.name if grader.name not in config["targets"] else f"{grader.name}-grader"
        config["targets"][name] = grader.target
        config["eval"]["judge"] = {"target": name}
    elif conversion.judged and providers:
        config["eval"]["judge"] = {"target": providers[0].name}
    header = [
        f"# Imported from {source} by `genai-gate eval-gate import-promptfoo`.",
        "# min_pass_rate 1.0: every case must pass, as promptfoo's exit code requires.",
    ]
    if not providers:
        header.append("# The promptfoo config names no provider: add the agent under `targets:`.")
    if conversion.judged and grader is None:
        header.append(
            "# Model-graded assertions: promptfoo grades with its default grader; here the judge"
            " is the first provider (review it)."
        )
    if conversion.approximations:
        header.append("# Approximated assertions (promptfoo's rule differs), review each:")
        header += [f"#   {note}" for note in conversion.approximations]
    body = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    return "\n".join(header) + "\n" + body


def _write(files: dict[Path, str]) -> None:
    """Write every file to a temporary name first, then rename them all: a failure leaves no
    half-written or mismatched pair."""
    partials = {path: path.with_name(path.name + ".partial") for path in files}
    try:
        for path, text in files.items():
            partials[path].write_text(text, encoding="utf-8")
    except OSError as exc:
        for partial in partials.values():
            partial.unlink(missing_ok=True)
        raise UsageError(f"cannot write {exc.filename}: {exc.strerror}") from None
    for path, partial in partials.items():
        partial.replace(path)
