"""`merge_results`: shard results of one eval run merged into the result of an unsharded run.

Registered as the eval-gate hook of `genai-gate report merge` (which passes the shards and its
generic merge); callable on its own with just the shards.
"""

from __future__ import annotations

from genai_gate.errors import UsageError
from genai_gate.gates.eval.compare import case_key
from genai_gate.gates.eval.gate_result import assemble
from genai_gate.results import GateResult, Status, Usage

_RUN_DETAILS = ("changed_only", "targets")
"""Run-level details copied from the first shard (identical across shards)."""


def merge_results(results: list[GateResult], merged: GateResult | None = None) -> GateResult:
    """One result equal to the unsharded run's: cases in dataset order, verdict recomputed.

    With `merged` (the generic merge of `genai-gate report merge`) its completeness checks
    (missing or duplicated shards) are kept: a hole makes the result incomplete, never a pass.
    Without it every shard 0..N-1 must be given exactly once (else UsageError).
    """
    _check(results, strict=merged is None)
    cases = [c for r in results for c in r.cases]
    keys = [case_key(c) for c in cases]
    if len(set(keys)) != len(keys):
        raise UsageError("the same case appears in more than one shard")
    errors = [f"shard {r.details['shard']['index']}: {r.error}" for r in results if r.error]
    incomplete = any(r.incomplete or r.status is Status.ERROR for r in results)
    if merged is not None and merged.incomplete:
        incomplete = True
        errors = errors or [f"incomplete merge: {merged.details.get('merge')}"]
    if incomplete and not errors:
        errors = ["a shard is incomplete"]
    first = results[0]
    extra = {k: first.details[k] for k in _RUN_DETAILS if k in first.details}
    if merged is not None and "merge" in merged.details:
        extra["merge"] = merged.details["merge"]
    result = assemble(
        cases,
        first.details["policy"],
        [r for res in results for r in res.details.get("removed", [])],
        _usage(results),
        error="; ".join(errors) if errors else None,
        extra=extra,
    )
    result.config_digest = first.config_digest
    if merged is not None:
        result.timings = merged.timings
    return result


def _check(results: list[GateResult], strict: bool) -> None:
    if not results:
        raise UsageError("no results to merge")
    other = sorted({r.gate for r in results if r.gate != "eval-gate"})
    if other:
        raise UsageError(f"cannot merge {', '.join(other)} results with eval-gate shards")
    shards = [r.details.get("shard") for r in results]
    if any(not isinstance(s, dict) for s in shards):
        raise UsageError("an unsharded eval-gate result cannot be merged with shards")
    counts = {s["count"] for s in shards}  # type: ignore[index]
    if len(counts) != 1:
        raise UsageError(f"shards of different runs (counts {sorted(counts)})")
    if len({repr(r.details.get("policy")) for r in results}) != 1:
        raise UsageError("shards were run with different suites or thresholds")
    if len({r.config_digest for r in results}) != 1:
        raise UsageError("shards were run with different configurations")
    if not strict:
        return
    count = counts.pop()
    indexes = sorted(s["index"] for s in shards)  # type: ignore[index]
    if indexes != list(range(count)):
        missing = sorted(set(range(count)) - set(indexes))
        dupes = sorted({i for i in indexes if indexes.count(i) > 1})
        what = f"missing shard(s) {missing}" if missing else f"duplicate shard(s) {dupes}"
        raise UsageError(f"cannot merge {count} shards: {what}")


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
