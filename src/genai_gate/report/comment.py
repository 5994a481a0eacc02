"""The body of the sticky PR comment: every gate's result in one comment, eval first.

Layout: hidden marker, overall headline, one row per gate, the eval gate in full (its registered
section leads with regressions), the other gates (failing ones open, passing ones folded),
a cost-and-latency table and a link to the run; cut below 65,536 characters with a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from genai_gate import __version__
from genai_gate.commands import PIPELINE_ORDER
from genai_gate.errors import ConfigError, UsageError
from genai_gate.report.document import Block, fit
from genai_gate.report.jobs import add_missing, unreadable_result
from genai_gate.report.sections import ICONS, gate_blocks, headline
from genai_gate.report.text import md_inline
from genai_gate.results import GateResult, Status

MARKER = "<!-- genai-gate:sticky -->"
"""Hidden marker identifying our comment (together with its author)."""
COMMENT_LIMIT = 65_536
"""GitHub's limit on a comment body, in characters."""
LIMIT = COMMENT_LIMIT - 512
"""What we allow ourselves (a margin below the hard limit)."""
MAX_ROWS = 25
"""Findings / failing cases listed per gate; the rest is counted."""
FIRST = "eval-gate"


def gate_order(result: GateResult) -> tuple[int, str]:
    """Eval gate first, then the pipeline order, then the rest by name."""
    order = [FIRST, *(g for g in PIPELINE_ORDER if g != FIRST)]
    return (order.index(result.gate) if result.gate in order else len(order), result.gate)


def load_results(results_dir: Path, expected: Sequence[str] = ()) -> list[GateResult]:
    """Every `*.json` results file in `results_dir`, plus the `expected` ones missing, in order.

    Shard results of a gate are left out when the folder also holds that gate's whole (merged
    or unsharded) result, so a folder of downloaded artifacts does not show a gate twice. An
    expected job or gate without a results file is an error ("did not run / left no results");
    with expectations, a missing or empty folder means every one of them is missing. A file that
    cannot be read is an error naming the file (`details["unreadable"]`), so the comment still
    replaces an older, possibly green, one.
    """
    folder_ok = results_dir.is_dir()
    if not folder_ok and not expected:
        raise UsageError(f"results folder {results_dir} does not exist")
    files = sorted(results_dir.glob("*.json")) if folder_ok else []
    if not files and not expected:
        raise UsageError(f"no results files (*.json) in {results_dir}")
    results = [_read(f) for f in files]
    merged = {r.gate for r in results if "shard" not in r.details}
    kept = [r for r in results if "shard" not in r.details or r.gate not in merged]
    return sorted(add_missing(kept, expected, results_dir), key=gate_order)


def _read(path: Path) -> GateResult:
    try:
        return GateResult.read(path)
    except ConfigError as exc:
        return unreadable_result(path, str(exc))


def unreadable(results: Sequence[GateResult]) -> list[str]:
    """The results files that could not be read."""
    return [str(r.details["unreadable"]) for r in results if "unreadable" in r.details]


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    rank = q * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _latency(result: GateResult, key: str, latencies: Sequence[float], q: float) -> str:
    """The gate's own `latency_<key>_ms` figure when it reports one, else computed from cases."""
    value = result.summary.get(f"latency_{key}_ms")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        value = _percentile(latencies, q) if latencies else None
    return f"{value:,.0f} ms" if value is not None else "-"


def cost_latency_table(results: Sequence[GateResult]) -> str:
    """Requests, tokens, cost and case latency per gate ("" when no gate used a target)."""
    rows = []
    for r in results:
        latencies = [c.latency_ms for c in r.cases if c.latency_ms is not None]
        if r.usage is None and not latencies and "latency_p50_ms" not in r.summary:
            continue
        u = r.usage
        cost = f"${u.cost_usd:.4f}" if u and u.cost_usd is not None else "-"
        tokens = f"{u.prompt_tokens:,} / {u.completion_tokens:,}" if u else "-"
        requests = f"{u.requests:,} ({u.cached_requests:,} cached)" if u else "-"
        p50, p95 = (_latency(r, key, latencies, q) for key, q in (("p50", 0.5), ("p95", 0.95)))
        rows.append(f"| {r.gate} | {requests} | {tokens} | {cost} | {p50} | {p95} |")
    if not rows:
        return ""
    head = "| gate | requests | tokens in / out | cost | latency p50 | latency p95 |"
    return "\n".join(["### Cost and latency", "", head, "|---|---|---|---|---|---|", *rows])


def not_passed(result: GateResult) -> bool:
    """True unless the result is a complete pass."""
    return result.status is not Status.PASS or result.incomplete


def overview(results: Sequence[GateResult]) -> str:
    """Headline (the worst of all results: any error, else any failure, else all passed) and one
    row per gate or job."""
    failed = [r for r in results if not_passed(r)]
    names = md_inline(", ".join(r.gate for r in failed), 500)
    if any(r.status is Status.ERROR for r in results):
        head = f"⚠️ {len(failed)} of {len(results)} gates did not pass (some could not run): {names}"
    elif failed:
        head = f"❌ {len(failed)} of {len(results)} gates did not pass: {names}"
    else:
        head = f"✅ all {len(results)} gates passed"
    rows = [
        f"| {md_inline(r.gate, 100)} | {ICONS.get(r.status, '')} {r.status.value}"
        f"{' (incomplete)' if r.incomplete else ''} | {md_inline(r.title or r.error or '', 200)} |"
        for r in results
    ]
    return "\n".join(
        [f"## genai-gate: {head}", "", "| gate | status | result |", "|---|---|---|", *rows]
    )


def _folded(result: GateResult) -> list[Block]:
    blocks = gate_blocks(result, level=3, max_rows=MAX_ROWS)
    rest = "\n\n".join(b.text for b in blocks[1:] if b.text)
    if not rest:
        return blocks[:1]
    opened = " open" if not_passed(result) else ""
    body = f"<details{opened}><summary>details</summary>\n\n{rest}\n\n</details>"
    return [
        Block(f"{result.gate}: headline", headline(result, 3)),
        Block(f"{result.gate}: details", body),
    ]


def render_body(
    results: Sequence[GateResult],
    run_url: str | None = None,
    limit: int = LIMIT,
    now: datetime | None = None,
) -> str:
    """The full comment body, at most `limit` characters, starting with the marker."""
    blocks = [Block("marker", MARKER), Block("overview", overview(results))]
    for result in results:
        if result.gate == FIRST:
            blocks += gate_blocks(result, level=3, max_rows=MAX_ROWS)
        else:
            blocks += _folded(result)
    blocks.append(Block("cost and latency", cost_latency_table(results)))
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    link = f"[View the workflow run]({run_url}) · " if run_url else ""
    foot = f"<sub>{link}genai-gate {__version__} · updated {stamp}</sub>"
    return fit(
        blocks,
        limit,
        limit_desc=f"{COMMENT_LIMIT:,} characters (GitHub comment limit)",
        hint="Full details are in the step summary and the results artifact.",
        footer=foot,
    )
