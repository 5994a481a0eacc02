"""Work on results files: merge shard results; post the sticky PR comment.

genai-gate report merge SHARD_FILES... --output-file PATH
    Merge the results of one gate run as shards (--shard I/N) into one result, written to
    PATH and published in the --format(s) asked for. Exit code: that of the merged gate
    (a missing, duplicated or incomplete shard makes it incomplete: never a pass).

genai-gate report comment --repo OWNER/NAME --pr N [--results-dir DIR] [--run-url URL]
        [--expect NAME[,NAME...]]
    Post or update ONE sticky comment on the pull request gathering every results file in
    the results folder; its headline is the worst of them all, and an expected job or gate
    without a results file shows as an error. Token from $GITHUB_TOKEN (missing: exit 2); API
    from --api-url or $GITHUB_API_URL; an unreachable API exits 3 within seconds. Exit 0 once
    posted.

genai-gate report record-job --name NAME --outcome success|failure|cancelled|skipped
        [--detail TEXT] [--results-dir DIR]
    Record the outcome of a workflow job that is not a gate (lint, unit tests) as
    <results-dir>/job-NAME.json: success is a pass, failure a fail, cancelled or skipped an
    error. Exit 0 once written.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from genai_gate.context import Context
from genai_gate.errors import ExitCode, UsageError

DEFAULT_API_URL = "https://api.github.com"


def _repo(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", value):
        raise argparse.ArgumentTypeError(f"expected OWNER/NAME, got {value!r}")
    return value


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a pull request number, got {value!r}")
    return int(value)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Subcommands `merge` and `comment`."""
    from genai_gate.cli import EPILOG, add_common_options

    sub = parser.add_subparsers(dest="action", metavar="<action>", required=True)
    merge = sub.add_parser(
        "merge",
        help="merge shard results of one gate into one result",
        description="Merge shard results of one gate into one result, write it to --output-file\n"
        "and publish it in the --format(s) asked for. The exit code is the merged gate's:\n"
        "a missing, duplicated or incomplete shard makes the result incomplete, never a pass.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    merge.add_argument(
        "shards",
        nargs="+",
        type=Path,
        metavar="SHARD_FILE",
        help="results files of the shards (details.shard = {index, count})",
    )
    merge.add_argument(
        "--output-file",
        type=Path,
        required=True,
        metavar="PATH",
        help="where to write the merged results file",
    )
    add_common_options(merge)
    comment = sub.add_parser(
        "comment",
        help="post or update the sticky PR comment",
        description="Post or update ONE sticky comment on the pull request gathering every\n"
        "results file of --results-dir: eval gate first, then the other gates, cost and\n"
        "latency, and "
        "a link to the run. Token from $GITHUB_TOKEN (missing: exit 2); an\n"
        "unreachable API exits 3.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    comment.add_argument(
        "--repo",
        type=_repo,
        required=True,
        metavar="OWNER/NAME",
        help="repository of the pull request",
    )
    comment.add_argument(
        "--pr", type=_positive, required=True, metavar="N", help="pull request number"
    )
    comment.add_argument(
        "--run-url",
        metavar="URL",
        help="link to the workflow run (default: from $GITHUB_SERVER_URL, "
        "$GITHUB_REPOSITORY and $GITHUB_RUN_ID)",
    )
    comment.add_argument(
        "--api-url",
        metavar="URL",
        help=f"GitHub REST API base (default: $GITHUB_API_URL or {DEFAULT_API_URL})",
    )
    comment.add_argument(
        "--expect",
        action="append",
        default=[],
        metavar="NAME[,NAME...]",
        help="jobs and gates that must have left a results file; one that did not is shown as "
        "an error (did not run / left no results), never as a pass; repeatable",
    )
    comment.add_argument(
        "--author",
        metavar="LOGIN",
        help="login that owns the sticky comment (default: the token's "
        "identity; github-actions[bot] for the Actions token)",
    )
    add_common_options(comment)
    record = sub.add_parser(
        "record-job",
        help="record the outcome of a non-gate job (lint, unit tests) as a results file",
        description="Record the outcome of a workflow job that is not a gate as\n"
        "<results-dir>/job-NAME.json, so the PR comment judges it with the gates: success is\n"
        "a pass, failure a fail, cancelled or skipped an error (never a pass).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    record.add_argument(
        "--name", required=True, help="job name (letters, digits, _ . -), e.g. unit-tests"
    )
    record.add_argument(
        "--outcome",
        required=True,
        choices=["success", "failure", "cancelled", "skipped"],
        help="how the job ended (in a workflow: needs.<job>.result or steps.<id>.outcome)",
    )
    record.add_argument(
        "--detail",
        default="",
        metavar="TEXT",
        help="one line shown in the comment, e.g. '3 failed'",
    )
    add_common_options(record)


def default_run_url() -> str | None:
    """URL of the current Actions run, when running in Actions."""
    server, repo, run = (
        os.environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    )
    return f"{server}/{repo}/actions/runs/{run}" if server and repo and run else None


def run_merge(args: argparse.Namespace, ctx: Context) -> int:
    """Merge, write, publish; the merged gate's exit code."""
    from genai_gate import report
    from genai_gate.report.merge import merge, read_shards

    merged = merge(read_shards(args.shards))
    output = merged.write(args.output_file)
    report.publish(merged, ctx, output, annotate_findings=False)  # the shard steps annotated them
    return int(merged.exit_code)


def run_comment(args: argparse.Namespace, ctx: Context) -> int:
    """Build the body from the results folder and upsert the sticky comment."""
    from genai_gate.integrations.github import GitHub
    from genai_gate.report.comment import load_results, render_body, unreadable
    from genai_gate.report.sticky import upsert

    token = os.environ.get("GITHUB_TOKEN", "").strip()
    if not token:
        raise UsageError(
            "report comment: $GITHUB_TOKEN is not set (in a workflow: env: GITHUB_TOKEN: "
            "${{ github.token }} with permissions pull-requests: write)"
        )
    from genai_gate.report.jobs import expected_names

    results = load_results(ctx.results_dir, expected_names(args.expect))
    body = render_body(results, args.run_url or default_run_url())
    api_url = args.api_url or os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL
    outcome = upsert(GitHub(token, api_url), args.repo, args.pr, body, args.author)
    print(f"sticky comment {outcome.action}: {outcome.url or outcome.comment_id}", file=sys.stderr)
    bad = unreadable(results)
    if bad:  # posted (the comment shows them as errors), but the job must not pass
        print(f"genai-gate: error: unreadable results files: {', '.join(bad)}", file=sys.stderr)
        return int(ExitCode.USAGE)
    return 0


def run_record_job(args: argparse.Namespace, ctx: Context) -> int:
    """Write job-NAME.json for the job's outcome."""
    from genai_gate.report.jobs import job_result, results_file

    result = job_result(args.name, args.outcome, " ".join(args.detail.split()))
    path = result.write(results_file(ctx.results_dir, result.gate))
    print(
        f"recorded {args.name}: {args.outcome} ({result.status.value}) in {path}", file=sys.stderr
    )
    return 0


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Dispatch to the subcommand."""
    actions = {"merge": run_merge, "comment": run_comment, "record-job": run_record_job}
    return actions[args.action](args, ctx)
