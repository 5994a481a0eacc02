"""`merge_results`: shard results of one eval run merged into the result of an unsharded run."""

from __future__ import annotations

from genai_gate.errors import UsageError
from genai_gate.gates.eval.assemble import assemble
from genai_gate.gates.eval.compare import case_key
from genai_gate.results import GateResult, Status, Usage

_RUN_DETAILS = ("changed_only", "targets")
"""Run-level details copied from the first shard (identical across shards)."""


def merge_results(results: list[GateResult]) -> GateResult:
    """Merge the `--shard I/N` results of one run (every shard exactly once) into one result."""
    if not results:
        raise UsageError("no results to merge")
    other = sorted({r.gate for r in results if r.gate != "eval-gate"})
    if other:
        raise UsageError(f"cannot merge {', '.join(other)} results with eval-gate shards")
    shards = [r.details.get("shard") for r in results]
    if len(results) == 1 and shards[0] is None:
        return results[0]
    if any(s is None for s in shards):
        raise UsageError("an unsharded eval-gate result cannot be merged with shards")
    counts = {s["count"] for s in shards}  # type: ignore[index]
    if len(counts) != 1:
        raise UsageError(f"shards of different runs (counts {sorted(counts)})")
    count = counts.pop()
    indexes = sorted(s["index"] for s in shards)  # type: ignore[index]
    if indexes != list(range(1, count + 1)):
        missing = sorted(set(range(1, count + 1)) - set(indexes))
        dupes = sorted({i for i in indexes if indexes.count(i) > 1})
        what = f"missing shard(s) {missing}" if missing else f"duplicate shard(s) {dupes}"
        raise UsageError(f"cannot merge {count} shards: {what}")
    policies = {repr(r.details.get("policy")) for r in results}
    digests = {r.config_digest for r in results}
    if len(policies) != 1 or len(digests) != 1:
        raise UsageError("shards were run with different configurations; re-run them together")
    cases = [c for r in results for c in r.cases]
    keys = [case_key(c) for c in cases]
    if len(set(keys)) != len(keys):
        raise UsageError("the same case appears in more than one shard")
    usage = Usage()
    for r in results:
        if r.usage is not None:
            usage.prompt_tokens += r.usage.prompt_tokens
            usage.completion_tokens += r.usage.completion_tokens
            usage.requests += r.usage.requests
            usage.cached_requests += r.usage.cached_requests
            if r.usage.cost_usd is not None:
                usage.cost_usd = (usage.cost_usd or 0.0) + r.usage.cost_usd
    errors = [f"shard {r.details['shard']['index']}: {r.error}" for r in results if r.error]
    broken = [r for r in results if r.status is Status.ERROR or r.incomplete]
    if broken and not errors:
        errors = ["a shard is incomplete"]
    first = results[0]
    extra = {k: first.details[k] for k in _RUN_DETAILS if k in first.details}
    merged = assemble(
        cases,
        first.details["policy"],
        [r for res in results for r in res.details.get("removed", [])],
        usage,
        error="; ".join(errors) if errors else None,
        extra=extra,
    )
    merged.config_digest = first.config_digest
    return merged
