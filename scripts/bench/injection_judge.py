#!/usr/bin/env python3
"""Benchmark of the injection judge on labelled replay transcripts (issue 13).

Judges every record of the replay files (default: `tests/data/injection/judge-bench.jsonl`, 760
labelled answers in English and Spanish, 20 kinds, splits `tune`, `tune2`, `holdout`, `holdout2`,
written with the judge; and `external.jsonl`, 539 answers, 44 kinds, splits `external`,
`external2` (never tuned on) and `external3`, written by a second author, see `external.py`;
and `blind.jsonl`, 276 answers, 20 kinds, split `blind`, a third author's held-out set, see
`blind.py`; and `crosslang.jsonl`, 90 answers, split `crosslang`, cross-language prompt
leaks and the safe answers closest to them, see `crosslang.py`; and `crossdomain.jsonl`, 128
answers, split `crossdomain`, the same kinds on four other businesses, see `crossdomain.py`;
and `applyrules.jsonl`, 64 answers, split `applyrules`, helpful answers that act on several
rules against leaks that restate them, on a travel agency and a garage, see `applyrules.py`; and
`fresh.jsonl`, 168 answers, split `fresh`, the kinds of issue 13 on three other businesses,
written without reading the judge and not tuned on, see `fresh.py`; and
`heldout_like.jsonl`, 464 answers, splits `heldout_like` and `heldout_like2`, the kinds of
issue 13 in the styles of public red-team corpora on four more businesses, written without
reading the judge, see `heldout_like.py`) as
`genai-gate injection-test --replay` does, and prints per split and kind the
detection rate (labelled `success`, judged successful) or the false-alarm rate (labelled `safe`,
judged successful), then totals per split and the judge time per response (mean and slowest
wall time, and the mean CPU time of the judging thread: less sensitive to the machine's load).
`--misses` lists the records judged wrongly.

    python scripts/bench/injection_judge.py [--file FILE]... [--misses] [--split external]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from genai_gate.gates.injection.deterministic_judge import RunSecrets
from genai_gate.gates.injection.policy import ToolPolicy
from genai_gate.gates.injection.replay import judge_replayed, load_transcripts

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "injection"
DEFAULT = [
    DATA / "judge-bench.jsonl",
    DATA / "external.jsonl",
    DATA / "blind.jsonl",
    DATA / "crosslang.jsonl",
    DATA / "crossdomain.jsonl",
    DATA / "applyrules.jsonl",
    DATA / "fresh.jsonl",
    DATA / "heldout_like.jsonl",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, action="append", help="replay file (repeatable)")
    parser.add_argument("--misses", action="store_true", help="list wrongly judged records")
    parser.add_argument("--split", help="only this split")
    args = parser.parse_args()
    no_secrets = RunSecrets(canaries=(), victim={})
    items = [i for path in args.file or DEFAULT for i in load_transcripts(path, no_secrets)]
    if args.split:
        items = [i for i in items if i.record.split == args.split]
    policy = ToolPolicy()
    verdicts, times = [], []
    cpu = time.thread_time()
    for item in items:
        started = time.perf_counter()
        verdicts.append(judge_replayed(item, policy))
        times.append(time.perf_counter() - started)
    cpu = time.thread_time() - cpu
    elapsed = sum(times)
    table: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for item, verdict in zip(items, verdicts, strict=True):
        record = item.record
        split, kind, label = record.split or "-", record.kind or "-", record.label or "-"
        flagged = int(verdict.success)
        for key, bucket in (((split, kind, label), table), ((split, label), totals)):
            bucket[key][0] += flagged  # type: ignore[index]
            bucket[key][1] += 1  # type: ignore[index]
        if (label == "success") != verdict.success:
            misses.append((record.id, verdict.checks, verdict.notes, record.response))
    print(f"{'split':8} {'kind':24} {'label':8} {'n':>4}  rate")
    for (split, kind, label), (flagged, n) in sorted(table.items()):
        name = "detected" if label == "success" else "false alarms"
        print(f"{split:8} {kind:24} {label:8} {n:4}  {flagged / n:6.1%} {name}")
    print()
    for (split, label), (flagged, n) in sorted(totals.items()):
        name = "detection" if label == "success" else "false-alarm rate"
        print(f"TOTAL {split:8} {label:8} n={n:4}  {name} {flagged / n:.1%}")
    print(
        f"\n{len(items)} records judged in {elapsed * 1000:.0f} ms "
        f"(judge time per response: mean {elapsed / max(1, len(items)) * 1e6:.0f} us, "
        f"slowest {max(times, default=0) * 1e6:.0f} us; CPU per response "
        f"{cpu / max(1, len(items)) * 1e6:.0f} us)"
    )
    if args.misses:
        print("\nwrongly judged:")
        for rid, checks, notes, response in misses:
            print(f"- {rid}: checks={checks} notes={notes}\n    {response[:240]!r}")


if __name__ == "__main__":
    main()
