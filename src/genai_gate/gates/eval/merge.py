"""`merge_results`: shard results of one eval run merged into the result of an unsharded run.

Registered as the eval-gate hook of `genai-gate report merge` (which passes the shards and its
generic merge); callable on its own with just the shards.
"""

from __future__ import annotations

from genai_gate.errors import UsageError
from genai_gate.gates.eval.compare import case_key
from genai_gate.gates.eval.details import EvalDetails, RunFacts, ShardSlice
from genai_gate.gates.eval.gate_result import assemble
from genai_gate.results import GateResult, Status, Usage


def merge_results(results: list[GateResult], merged: GateResult | None = None) -> GateResult:
    """One result equal to the unsharded run's: cases in dataset order, verdict recomputed.

    With `merged` (the generic merge of `genai-gate report merge`) its completeness checks
    (missing or duplicated shards) are kept: a hole makes the result incomplete, never a pass.
    Without it every shard 0..N-1 must be given exactly once (else UsageError).
    """
    checked = _check(results, strict=merged is None)
    details = [d for d, _ in checked]
    cases = [c for r in results for c in r.cases]
    keys = [case_key(c) for c in cases]
    if len(set(keys)) != len(keys):
        raise UsageError("the same case appears in more than one shard")
    errors = [
        f"shard {shard.index}: {r.error}"
        for r, (_, shard) in zip(results, checked, strict=True)
        if r.error
    ]
    incomplete = any(r.incomplete or r.status is Status.ERROR for r in results)
    merge_info = merged.details.get("merge") if merged is not None else None
    if merged is not None and merged.incomplete:
        incomplete = True
        errors = errors or [f"incomplete merge: {merge_info}"]
    if incomplete and not errors:
        errors = ["a shard is incomplete"]
    first, policy = results[0], details[0].policy
    if policy is None:
        raise UsageError(
            "a shard without `details.policy` (refused before it started) cannot be merged"
        )
    extra: RunFacts = {}  # run-level details of the first shard (identical across shards)
    if details[0].changed_only is not None:
        extra["changed_only"] = details[0].changed_only
    if details[0].targets is not None:
        extra["targets"] = details[0].targets
    if isinstance(merge_info, dict):
        extra["merge"] = merge_info
    result = assemble(
        cases,
        policy,
        [r for d in details for r in d.removed or []],
        _usage(results),
        error="; ".join(errors) if errors else None,
        extra=extra,
    )
    result.config_digest = first.config_digest
    if merged is not None:
        result.timings = merged.timings
    return result


def _check(results: list[GateResult], strict: bool) -> list[tuple[EvalDetails, ShardSlice]]:
    """The typed details and slice of every shard, once they are known to be of one run."""
    if not results:
        raise UsageError("no results to merge")
    other = sorted({r.gate for r in results if r.gate != "eval-gate"})
    if other:
        raise UsageError(f"cannot merge {', '.join(other)} results with eval-gate shards")
    details = [EvalDetails.of(r) for r in results]
    checked = [(d, d.shard) for d in details if d.shard is not None]
    if len(checked) != len(details):
        raise UsageError("an unsharded eval-gate result cannot be merged with shards")
    shards = [s for _, s in checked]
    counts = {s.count for s in shards}
    if len(counts) != 1:
        raise UsageError(f"shards of different runs (counts {sorted(counts)})")
    if any(d.policy != details[0].policy for d in details):
        raise UsageError("shards were run with different suites or thresholds")
    if len({r.config_digest for r in results}) != 1:
        raise UsageError("shards were run with different configurations")
    if not strict:
        return checked
    count = counts.pop()
    indexes = sorted(s.index for s in shards)
    if indexes != list(range(count)):
        missing = sorted(set(range(count)) - set(indexes))
        dupes = sorted({i for i in indexes if indexes.count(i) > 1})
        what = f"missing shard(s) {missing}" if missing else f"duplicate shard(s) {dupes}"
        raise UsageError(f"cannot merge {count} shards: {what}")
    return checked


def _usage(results: list[GateResult]) -> Usage:
    usage = Usage()
    for r in results:
        if r.usage is None:
            continue
        usage.prompt_tokens += r.usage.prompt_tokens
        usage.completion_tokens += r.usage.completion_tokens
        usage.requests += r.usage.requests
        usage.cached_requests += r.usage.cached_requests
        if r.usage.cost_usd is not None:
            usage.cost_usd = (usage.cost_usd or 0.0) + r.usage.cost_usd
    return usage
