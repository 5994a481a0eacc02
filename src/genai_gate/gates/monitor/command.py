"""Post-deploy monitoring as code.

genai-gate monitor rules [--output-file PATH] [--check] [--test FILE ...]
    Generate Prometheus alerting rules from genai-gate.yaml (`monitor.rules`) for the runtime
    guard's series: error rate, p95 latency, quality score below its threshold, spend per
    15 minutes, PII incidents. Writes PATH (default: standard output). --check validates the
    file with `promtool check rules`, --test runs `promtool test rules` on unit-test files.
    Exit 0 when written (and valid), 1 when promtool rejects the rules or a test fails,
    2 for a config error, 3 when promtool is missing.

genai-gate monitor cost --estimate cost-estimate.json --prometheus-url URL [--window 24h]
    Production cost per request (the guard's llm_cost_usd_total / llm_requests_total over the
    window) against the estimate cost-estimate computed for the agent's prompt (--prompt,
    default cost.eval.prompt). Writes <results-dir>/monitor-cost.json. Exit 0 within
    +max_increase_pct (default cost.max_increase_pct, else 50), 1 above, 2 for a bad estimate
    file, 3 when Prometheus is unreachable or saw no requests.

genai-gate monitor report --repo OWNER/NAME [--results-dir DIR] [--run-url URL]
    Read the results files of a monitoring run (injection-test --replay, eval-gate, ...): when
    any signal is not a pass, open or update ONE issue (hidden marker, label
    genai-gate:degraded) and exit 1; when all pass, touch nothing and exit 0. Token from
    $GITHUB_TOKEN (missing: exit 2); an unreachable API exits 3 within seconds.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from genai_gate.context import Context
from genai_gate.errors import InfraError, UsageError
from genai_gate.options import GateOptions

PROMTOOL_TIMEOUT_S = 60
"""Time limit of one promtool run."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Subcommand `rules`."""
    from genai_gate.cli import EPILOG, add_common_options

    sub = parser.add_subparsers(dest="action", metavar="<action>", required=True)
    rules = sub.add_parser(
        "rules",
        help="generate Prometheus alerting rules from genai-gate.yaml",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rules.add_argument(
        "--output-file",
        type=Path,
        metavar="PATH",
        help="where to write the rules (default: stdout)",
    )
    add_common_options(rules)
    rules.add_argument(
        "--check", action="store_true", help="validate the rules with `promtool check rules`"
    )
    rules.add_argument(
        "--test",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="promtool unit-test file to run against the rules (repeatable; needs --output-file,"
        " the rules file the test names in rule_files)",
    )
    _add_cost(sub)
    _add_report(sub)


def _add_report(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from genai_gate.cli import EPILOG, add_common_options
    from genai_gate.report.command import DEFAULT_API_URL, _repo

    report = sub.add_parser(
        "report",
        help="open or update the one degradation issue from a monitoring run's results",
        description="Read every results file of --results-dir; when a signal is not a pass,\n"
        "open or update ONE issue (found by a hidden marker and its author) and exit 1;\n"
        "when all pass, exit 0 without touching GitHub. Token from $GITHUB_TOKEN.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("--repo", type=_repo, required=True, metavar="OWNER/NAME")
    report.add_argument(
        "--run-url", metavar="URL", help="link to the run (default: from $GITHUB_*)"
    )
    report.add_argument(
        "--api-url",
        metavar="URL",
        help=f"GitHub REST API base (default: $GITHUB_API_URL or {DEFAULT_API_URL})",
    )
    report.add_argument(
        "--author", metavar="LOGIN", help="login owning the issue (default: the token's identity)"
    )
    report.add_argument(
        "--expect",
        type=lambda value: [name.strip() for name in value.split(",") if name.strip()],
        default=[],
        metavar="NAME[,NAME...]",
        help="signals that must have a results file (a missing one counts as degraded)",
    )
    report.add_argument(
        "--dry-run",
        action="store_true",
        help="print the issue instead of posting it (no token needed); same exit code",
    )
    add_common_options(report)


def _add_cost(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from genai_gate.cli import EPILOG, add_common_options

    cost = sub.add_parser(
        "cost",
        help="production cost per request vs the cost-estimate figure",
        description="Compare production cost per request (guard counters in Prometheus) with\n"
        "the per-request estimate of a cost-estimate results file; writes monitor-cost.json.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cost.add_argument(
        "--estimate", type=Path, required=True, metavar="FILE", help="cost-estimate results file"
    )
    cost.add_argument("--prompt", metavar="ID", help="prompt of the agent (cost.eval.prompt)")
    cost.add_argument("--prometheus-url", metavar="URL", help="default canary.prometheus.url")
    cost.add_argument("--window", default="24h", metavar="DURATION", help="period (24h)")
    cost.add_argument("--selector", default="", metavar="MATCHERS", help='e.g. deployment="stable"')
    cost.add_argument(
        "--max-increase-pct", type=float, metavar="PCT", help="default cost.max_increase_pct"
    )
    cost.add_argument("--end", metavar="TIME", help="end of the window (default now)")
    add_common_options(cost)


@dataclass(frozen=True)
class Options(GateOptions):
    """Options of one `monitor` run: the action and the options of every action."""

    action: str = "rules"
    """rules, cost or report."""
    output_file: Path | None = None
    """rules: where the rules are written (default: standard output)."""
    check: bool = False
    """rules: validate them with `promtool check rules`."""
    test: tuple[Path, ...] = ()
    """rules: promtool unit-test files to run against them."""
    estimate: Path | None = None
    """cost: the cost-estimate results file."""
    prompt: str | None = None
    """cost: prompt of the agent (default cost.eval.prompt)."""
    prometheus_url: str | None = None
    """cost: Prometheus URL (default canary.prometheus.url)."""
    window: str = "24h"
    """cost: period measured."""
    selector: str = ""
    """cost: label matchers of the production series."""
    max_increase_pct: float | None = None
    """cost: allowed increase over the estimate (default cost.max_increase_pct, else 50)."""
    end: str | None = None
    """cost: end of the window (default now)."""
    repo: str | None = None
    """report: OWNER/NAME whose issue is opened or updated."""
    run_url: str | None = None
    """report: link to the run."""
    api_url: str | None = None
    """report: GitHub REST API base."""
    author: str | None = None
    """report: login owning the issue."""
    expect: tuple[str, ...] = ()
    """report: signals that must have a results file."""
    dry_run: bool = False
    """report: print the issue instead of posting it."""


def promtool(*arguments: str) -> subprocess.CompletedProcess[str]:
    """Run promtool (InfraError when it is not installed or hangs)."""
    binary = shutil.which("promtool")
    if binary is None:
        raise InfraError(
            "promtool not found on PATH (Debian/Ubuntu: apt-get install prometheus; or a "
            "Prometheus release archive)"
        )
    try:
        return subprocess.run(
            [binary, *arguments], capture_output=True, text=True, timeout=PROMTOOL_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        raise InfraError(
            f"promtool {arguments[0]} did not finish in {PROMTOOL_TIMEOUT_S} s"
        ) from None


def run_rules(options: Options, ctx: Context) -> int:
    """Generate, write, and optionally check and unit-test the rules."""
    from genai_gate.gates.monitor.rules import build_rules, render
    from genai_gate.integrations.files import write_atomic

    text = render(build_rules(ctx.config.model))
    if options.test and options.output_file is None:
        raise UsageError(
            "monitor rules: --test needs --output-file (the test files name it in rule_files)"
        )
    for test in options.test:
        if not test.is_file():
            raise UsageError(f"monitor rules: test file not found: {test}")
    with tempfile.TemporaryDirectory() as tmp:
        target = options.output_file or Path(tmp) / "rules.yml"
        if options.output_file is not None:
            write_atomic(target, text)
        else:
            target.write_text(text, encoding="utf-8")
            sys.stdout.write(text)
        failed = False
        if options.check:
            checked = promtool("check", "rules", str(target))
            print((checked.stdout + checked.stderr).strip(), file=sys.stderr)
            failed |= checked.returncode != 0
        for test in options.test:
            tested = promtool("test", "rules", str(test))
            print((tested.stdout + tested.stderr).strip(), file=sys.stderr)
            failed |= tested.returncode != 0
    if options.output_file is not None:
        print(f"alerting rules written to {options.output_file}", file=sys.stderr)
    return 1 if failed else 0


def run_report(options: Options, ctx: Context) -> int:
    """Open or update the degradation issue when a signal degraded; 1 then, else 0."""
    import os

    from genai_gate.gates.monitor.issue import read_signals, render_issue, upsert_issue
    from genai_gate.integrations.github import GitHub
    from genai_gate.report.command import DEFAULT_API_URL, default_run_url

    repo = options.given(options.repo, "--repo")
    signals = read_signals(ctx.results_dir, list(options.expect))
    degraded = [s for s in signals if s.degraded]
    if not degraded:
        print(f"monitor report: all {len(signals)} signals pass; no issue", file=sys.stderr)
        return 0
    loaded = ctx.config_if_present()
    project = (loaded.model.project if loaded else None) or repo
    title, body = render_issue(signals, project, options.run_url or default_run_url())
    names = ", ".join(s.name for s in degraded)
    if options.dry_run:
        print(f"{title}\n\n{body}")
        print(f"monitor report: degraded ({names}); dry run, no issue posted", file=sys.stderr)
        return 1
    token = os.environ.get("GITHUB_TOKEN", "").strip()
    if not token:
        raise UsageError(
            "monitor report: $GITHUB_TOKEN is not set (in a workflow: env: GITHUB_TOKEN: "
            "${{ github.token }} with permissions issues: write)"
        )
    api_url = options.api_url or os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL
    outcome = upsert_issue(GitHub(token, api_url), repo, title, body, options.author)
    print(
        f"monitor report: degraded ({names}); issue {outcome.action}: {outcome.url}",
        file=sys.stderr,
    )
    return 1


def run_cost(options: Options, ctx: Context) -> int:
    """Judge production cost per request; write monitor-cost.json; its exit code."""
    import time

    from genai_gate.gates.canary.command import parse_time
    from genai_gate.gates.canary.prometheus import (
        PrometheusClient,
        PrometheusError,
        auth_from_env,
    )
    from genai_gate.gates.canary.settings import CanarySettings, parse_duration
    from genai_gate.gates.monitor.cost import GATE, estimate_per_request, judge, production
    from genai_gate.integrations.http import DeadlineHttp
    from genai_gate.results import ErrorKind, GateResult, Status

    loaded = ctx.config_if_present()
    model = loaded.model if loaded else None
    prompt = options.prompt or (model.cost.eval.prompt if model and model.cost else None)
    if not prompt:
        raise UsageError(
            "monitor cost: name the agent's prompt with --prompt (or cost.eval.prompt)"
        )
    try:
        parse_duration(options.window)
    except ValueError as exc:
        raise UsageError(f"--window: {exc}") from None
    estimate = estimate_per_request(options.given(options.estimate, "--estimate"), prompt)
    limit = options.max_increase_pct
    if limit is None:
        limit = model.cost.max_increase_pct if model and model.cost else None
    limit = 50.0 if limit is None else float(limit)
    prometheus = (model.canary if model and model.canary else CanarySettings()).prometheus
    url = options.prometheus_url or prometheus.url
    if not url:
        raise UsageError("monitor cost: --prometheus-url is required (or canary.prometheus.url)")
    end = parse_time(options.end) if options.end else time.time()
    headers, basic = auth_from_env(prometheus.auth)
    with DeadlineHttp.within(prometheus) as http:
        client = PrometheusClient(url, http, headers=headers, basic_auth=basic)
        try:
            result = judge(
                production(client, options.selector, options.window, end),
                estimate,
                limit,
                options.window,
            )
        except PrometheusError as exc:
            result = GateResult(
                gate=GATE,
                status=Status.ERROR,
                title="cost per request unknown: Prometheus could not answer",
                error=str(exc),
                error_kind=ErrorKind.INFRA,
            )
    result.write(ctx.results_dir / f"{GATE}.json")
    print(result.title, file=sys.stderr)
    return int(result.exit_code)


def run(options: Options, ctx: Context) -> int:
    """Dispatch to the subcommand."""
    actions = {"rules": run_rules, "cost": run_cost, "report": run_report}
    return actions[options.action](options, ctx)
