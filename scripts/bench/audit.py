"""Benchmark of the audit log: append and verify 100,000 records, proof size.

Prints, for a log of N realistic records (manifest of 4 prompts and 3 models, 4 gate results,
derived changes, approvals; about 2 KB each):
  - bulk append: sealing (canonical JSON, sha256, chain), Merkle frontier, one signed checkpoint
    and one journaled write, per record;
  - single append (what one `audit-log record` costs) at several log sizes: the cached tip checked
    against the last signed checkpoint and the last record, journaled append of both files;
  - verify: chain, schema, canonical form, Merkle roots of every checkpoint, signatures;
  - an inclusion proof: hashes, bytes, time to build and to check alone;
  - one git-store append (compare-and-swap against a local bare repository) at 1,000 records.

and then, growing one log in bulk through the local store's append (batches of 20,000 records,
one signed checkpoint per batch: what many `record` calls write, without a million process
starts; the records, the same as above, are sealed from a template, which `chain.seal` checks
every 997th line of, at about 150 us of CPU per record instead of 260: 1,000,000 in a few
minutes) to --scale-records, at each size of --at:
  - append: one record through the library on the existing log (median of 5; the cached tip
    makes it O(1) in the size of the log);
  - append process: the same library append in a process of its own (imports included): wall
    time, peak RSS (VmHWM), and whether it imported pydantic;
  - record in-process: `genai-gate audit-log record` run by `main()` in the benchmark's process
    (median of 5 after a warm-up): parsing, the append, the results file and the report, without
    the interpreter start and the imports;
  - record CLI: `genai-gate audit-log record` as a process (median of 5): wall time and peak
    RSS, and whether it imported pydantic; the interpreter start (the imports of `--version`) is
    printed separately as `startup`;
  - verify CLI: `genai-gate audit-log verify` as a process: wall time, CPU, us/record, peak RSS
    (streaming: memory stays flat while the log grows);
  - git store: the same log grown on an audit branch (local bare remote), and one library
    append (fetch, stored tip checked against the last checkpoint and record, last segments,
    commit, push) at each size of --git-at (default --at; '' skips it): it must not grow with
    the log.

--records 0 skips the first part: `--records 0 --at 1000000 --git-at ''` prints the 1,000,000
row alone.

With --git-segments 0,1000,10000 it measures only one git-store append (library, median of 5)
on an audit branch whose record folder already holds that many segments, in the sub-folder
layout and in the flat layout of earlier branches: a real log of 3 records whose last segment
is renamed to come after the padding, which `git fast-import` adds in one commit (one dummy
blob under each name; an append reads only the state file and the last segments, so their
content does not matter). In the sub-folder layout the time must not grow with the count.

CLI processes run with bytecode caching on (as an installed package does), after a warm-up.
Each figure line ends with the load average when it was taken.

Usage: python scripts/bench/audit.py [--records 100000] [--scale-records 1000000]
       [--at 10000,100000,1000000] [--git-at SIZES] [--git-segments 0,1000,10000]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from genai_gate.gates.audit import chain, store_ops
from genai_gate.gates.audit.keys import Keyring, SigningKey, public_pem
from genai_gate.gates.audit.proof import check_proof
from genai_gate.gates.audit.stores import AuditStore
from genai_gate.gates.audit.stores.local import LocalStore

GATES = ("prompt-lint", "injection-test", "eval-gate", "cost-estimate")


def varying(i: int) -> dict[str, str]:
    """The values that differ from one record `i` to the next, by name (all strings)."""
    sha = hashlib.sha1(str(i).encode()).hexdigest()
    values = {
        "timestamp": f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:00:00.000Z",
        "event": ("deploy", "canary-step", "canary-step", "rollback")[i % 4],
        "deployment_id": str(9_000_000 + i // 4),
        "version": f"{i // 1000}.{i % 1000}.0",
        "sha": sha,
        "ticket": f"CHG-{i}",
        "image": "sha256:" + hashlib.sha256(sha.encode()).hexdigest(),
        "run_id": str(123456 + i),
    }
    for p in range(4):
        values[f"prompt{p}"] = "sha256:" + hashlib.sha256(f"{i}{p}".encode()).hexdigest()
    for g in GATES:
        values[g] = "sha256:" + hashlib.sha256(f"{g}{i}".encode()).hexdigest()
    return values


def draft(i: int, values: dict[str, str] | None = None) -> dict:
    """Record `i` of the benchmark's logs (`values`: those of `varying`, or stand-ins)."""
    v = varying(i) if values is None else values
    sha = v["sha"]
    return {
        "timestamp": v["timestamp"],
        "event": v["event"],
        "deployment_id": v["deployment_id"],
        "environment": "production",
        "version": v["version"],
        "git_sha": sha,
        "commit_time": "2026-11-01T09:00:00+00:00",
        "deployer": "release-bot",
        "approvers": [
            {"user": "compliance-officer", "environments": ["production"], "comment": "ok"}
        ],
        "approval_ticket": v["ticket"],
        "changes": {
            "base_ref": "v1.0.0",
            "prompts": [
                {"prompt_id": "bank-support-system", "old_version": "1.2.0", "new_version": "1.3.0"}
            ],
            "models": [
                {"name": "gpt-4o-mini", "old_version": "2024-07-18", "new_version": "2025-01-31"}
            ],
            "tools_added": ["transfer_funds"],
            "dependencies": [
                {"file": "requirements.txt", "name": "openai", "old": "==1.40", "new": "==1.55"}
            ],
        },
        "manifest": {
            "code_sha": sha,
            "image_digest": v["image"],
            "prompts": [
                {
                    "prompt_id": f"prompt-{p}",
                    "version": "1.3.0",
                    "model": "gpt-4o-mini",
                    "content_hash": v[f"prompt{p}"],
                }
                for p in range(4)
            ],
            "models": [
                {"name": f"model-{m}", "version": f"model-{m}-2025-01-31"} for m in range(3)
            ],
            "kb_snapshot_id": "kb-0123456789abcdef",
            "config_digest": "sha256:" + "c" * 64,
        },
        "gates": [{"gate": g, "status": "pass", "git_sha": sha, "digest": v[g]} for g in GATES],
        "rollback_plan": {"previous_version": "1.2.0", "previous_sha": "b" * 40},
        "traffic_percent": 100,
        "success": True,
        "run": {"repository": "acme/agent", "run_id": v["run_id"], "run_attempt": 1},
    }


class Template:
    """Seals the benchmark's records fast: `chain.seal` once, on a draft whose varying values
    are placeholders, then per record the placeholders replaced and the line hashed again.
    The lines are those `chain.seal` writes (`check` compares them; `verify` reads them)."""

    SEQ, PREV = 7_777_777_777_777, "d" * 64

    def __init__(self) -> None:
        self.tokens = {name: f"@{name}@" for name in varying(0)}
        self.tokens["event"] = "canary-step"  # a value the schema accepts, found only there
        record, line = chain.seal(draft(0, self.tokens), self.SEQ, self.PREV)
        member = b',"hash":"' + record["hash"].encode() + b'"'
        self.halves = [half.decode() for half in line.split(member)]

    def seal(self, ref: dict, seq: int, prev: str) -> tuple[dict, bytes]:
        """The record `ref["i"]` at (seq, prev) and its line, as `chain.seal` gives them (every
        CHECK_EVERY-th compared with it)."""
        i = ref["i"]
        line = self.line(i, seq, prev)
        if i % CHECK_EVERY == 0:
            assert line == chain.seal(draft(i), seq, prev)[1], f"template line of record {i}"
        return json.loads(line), line

    def line(self, i: int, seq: int, prev: str) -> bytes:
        before, after = self.halves
        for name, value in varying(i).items():
            token, value = f'"{self.tokens[name]}"', f'"{value}"'
            before, after = before.replace(token, value), after.replace(token, value)
        after = after.replace(str(self.SEQ), str(seq)).replace(self.PREV, prev)
        head, tail = before.encode(), after.encode()
        digest = hashlib.sha256(head + tail).hexdigest().encode()
        return head + b',"hash":"' + digest + b'"' + tail


BATCH = 20_000
CHECK_EVERY = 997
"""Every this many records, the template's line is compared with `chain.seal`'s."""


def reporting(body: str) -> str:
    """A script running `body`, then writing its peak RSS and whether it imported pydantic to
    standard error (read by `run_cli`)."""
    report = """
    with open("/proc/self/status") as status:
        peak = next(line for line in status if line.startswith("VmHWM")).split()[1]
    sys.stderr.write(f"VMHWM {peak}\\n")
    sys.stderr.write(f"PYDANTIC {'pydantic' in sys.modules}\\n")
"""
    code = textwrap.indent(textwrap.dedent(body).strip(), "    ")
    return f"import sys\ntry:\n{code}\nfinally:{report}"


PEAK = reporting(
    """
    import runpy
    sys.argv = ["genai-gate", *sys.argv[1:]]
    runpy.run_module("genai_gate.cli", run_name="__main__")
    """
)
LIBRARY = reporting(
    """
    import json
    from pathlib import Path
    from genai_gate.gates.audit import chain, store_ops
    from genai_gate.gates.audit.keys import SigningKey
    from genai_gate.gates.audit.stores.local import LocalStore
    key = SigningKey.from_env("GENAI_GATE_AUDIT_KEY")
    store_ops.append(LocalStore(Path(sys.argv[1])), [json.loads(sys.argv[2])], key)
    """
)
"""One append through the library in a process of its own: imports, the cached tip checked,
the journaled write; no command line, no results file."""


def imported() -> str:
    """Whether the last `run_cli` process imported pydantic, in words."""
    return "imported" if last_run["pydantic"] else "not imported"


def load() -> str:
    """The 1-minute load average, for the end of each figure line."""
    return f"[load {os.getloadavg()[0]:.1f}]"


def run_cli(args: list[str], env: dict[str, str], script: str = PEAK) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of `genai-gate ARGS` (or of `script` with ARGS) in a fresh
    process; `last_run` says whether it imported pydantic and the CPU seconds it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    peak = [line for line in done.stderr.splitlines() if line.startswith("VMHWM ")]
    if done.returncode != 0 or not peak:
        raise SystemExit(f"genai-gate {' '.join(args[:2])} failed:\n{done.stderr}{done.stdout}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    last_run["pydantic"] = "PYDANTIC True" in done.stderr
    last_run["cpu"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, int(peak[-1].split()[1]) / 1024


last_run: dict[str, float] = {"pydantic": False, "cpu": 0.0}
"""Whether the last `run_cli` process imported pydantic, and its CPU seconds (user + system:
less sensitive than wall time to a busy machine)."""


def in_process_ms(runs: list[list[str]], env: dict[str, str]) -> float:
    """Median milliseconds of `genai-gate ARGS` run by `main()` in this process, for each ARGS
    of `runs` after the first (a warm-up: it imports what the command uses)."""
    from genai_gate import cli

    saved = dict(os.environ)
    os.environ.update(env)
    times = []
    try:
        for args in runs:
            with contextlib.redirect_stdout(io.StringIO()):
                began = time.perf_counter()
                code = cli.main(args)
                times.append((time.perf_counter() - began) * 1000)
            if code != 0:
                raise SystemExit(f"genai-gate {' '.join(args[:2])} exited {code}")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return statistics.median(times[1:])


def grow(store: AuditStore, key: SigningKey, start: int, stop: int) -> float:
    """Append records start..stop-1 in batches through the library; seconds taken."""
    began = time.perf_counter()
    for first in range(start, stop, BATCH):
        store_ops.append(store, [draft(i) for i in range(first, min(first + BATCH, stop))], key)
    return time.perf_counter() - began


def fill(store: AuditStore, key: SigningKey, start: int, stop: int) -> float:
    """What `grow` appends, sealed by the template (3-4 times faster; every CHECK_EVERY-th line
    compared with `chain.seal`'s), through the same store append; seconds taken."""
    template = Template()
    keys = Keyring.of(key)
    began = time.perf_counter()
    for first in range(start, stop, BATCH):
        refs = [{"i": i} for i in range(first, min(first + BATCH, stop))]
        store.append(
            keys, lambda tip, refs=refs: chain.extend(tip, refs, key, sealer=template.seal)
        )
    return time.perf_counter() - began


def scale(key_hex: str, total: int, sizes: list[int], git_sizes: list[int]) -> None:
    """`record` and `verify` as processes on one log grown to each of `sizes`, then one git-store
    append on a branch grown to each of `git_sizes`."""
    key = SigningKey.parse(key_hex, "benchmark")
    env = {**os.environ, "GENAI_GATE_AUDIT_PUBLIC_KEYS": public_pem(key.public).decode()}
    env.pop("GENAI_GATE_CONFIG", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    run_cli(["--version"], env)  # warm-up: bytecode cached
    startup, startup_rss = run_cli(["--version"], env)
    print(
        f"scale: startup (imports) {startup:.2f} s, cpu {last_run['cpu'] * 1000:.0f} ms, "
        f"{startup_rss:.0f} MB {load()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "audit"
        store = LocalStore(folder)
        size = 0
        common = ["--log-dir", str(folder), "--format", "json", "--no-progress"]
        common += ["--results-dir", str(Path(tmp) / "results")]
        for target in sizes:
            cpu = time.process_time()
            seconds = fill(store, key, size, target)
            cpu = time.process_time() - cpu
            print(
                f"grow to {target:>9,}   {seconds:7.1f} s  cpu {cpu:6.1f} s  "
                f"{cpu / (target - size) * 1e6:4.0f} us/record of CPU in bulk, log "
                f"{store.log_path.stat().st_size / 1e9:.2f} GB {load()}"
            )
            size = target
            times = []
            for j in range(5):
                began = time.perf_counter()
                store_ops.append(store, [draft(size + j)], key)
                times.append((time.perf_counter() - began) * 1000)
            size += 5
            print(f"  append (library)  {statistics.median(times):7.1f} ms  median of 5 {load()}")
            walls, cpus, rss = [], [], 0.0
            for _ in range(5):
                wall, peak = run_cli([str(folder), json.dumps(draft(size))], env, LIBRARY)
                walls.append(wall)
                cpus.append(last_run["cpu"])
                rss = max(rss, peak)
                size += 1
            print(
                f"  append (process)  {statistics.median(walls) * 1000:7.0f} ms  cpu "
                f"{statistics.median(cpus) * 1000:4.0f} ms  peak RSS {rss:5.0f} MB  median of 5 "
                f"(the library alone; pydantic {imported()}) {load()}"
            )

            def record(n: int) -> list[str]:
                args = ["audit-log", "record", "--event", "deploy", "--environment", "prod"]
                args += ["--version", f"r{n}", "--sha", "a" * 40, "--approvals", "none"]
                return [*args, *common]

            ms = in_process_ms([record(size + j) for j in range(6)], env)
            size += 6
            print(
                f"  record (in-process) {ms:5.1f} ms  median of 5 warm `main()` calls (parsing, "
                f"results file and report; no interpreter start or imports) {load()}"
            )
            walls, cpus, rss = [], [], 0.0
            for _ in range(5):
                wall, peak = run_cli(record(size), env)
                walls.append(wall)
                cpus.append(last_run["cpu"])
                rss = max(rss, peak)
                size += 1
            wall, cpu = statistics.median(walls), statistics.median(cpus)
            print(
                f"  record (CLI)      {wall * 1000:7.0f} ms  cpu {cpu * 1000:4.0f} ms  peak RSS "
                f"{rss:5.0f} MB  median of 5 ({(wall - startup) * 1000:.0f} ms after startup; "
                f"pydantic {imported()}) {load()}"
            )
            wall, rss = run_cli(["audit-log", "verify", *common], env)
            print(
                f"  verify (CLI)      {wall:7.1f} s   cpu {last_run['cpu']:5.1f} s  peak RSS "
                f"{rss:5.0f} MB  {(wall - startup) / size * 1e6:.1f} us/record {load()}"
            )
        print(f"full scans by the benchmark's appends: {store.full_scans} (cached tip otherwise)")
        if git_sizes:
            scale_git(key, Path(tmp), sorted(git_sizes))


def scale_git(key: SigningKey, tmp: Path, sizes: list[int]) -> None:
    """One git-store append (library) on an audit branch grown to each of `sizes`."""
    from genai_gate.gates.audit.settings import StoreSettings
    from genai_gate.gates.audit.stores.git import GitStore

    remote, repo = tmp / "scale-remote.git", tmp / "scale-clone"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    store = GitStore(StoreSettings(kind="git", remote=str(remote), repo=str(repo)), Path("/"))
    size = 0
    for target in sizes:
        seconds = fill(store, key, size, target)
        size = target
        print(f"git grow to {target:>9,}  {seconds:7.1f} s in batches of {BATCH:,} {load()}")
        ms = single_append_ms(store, key, size, repeat=5)
        size += 5
        print(f"  git append (library) {ms:7.1f} ms  median of 5 {load()}")
    print(f"full scans by the git appends: {store.full_scans} (stored tip otherwise)")


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def single_append_ms(store: AuditStore, key: SigningKey, start: int, repeat: int = 3) -> float:
    times = []
    for j in range(repeat):
        _, seconds = timed(lambda j=j: store_ops.append(store, [draft(start + j)], key))
        times.append(seconds * 1000)
    return statistics.median(times)


def library(n: int, key: SigningKey) -> None:
    """Bulk append, verify, proof and single appends of a log of `n` records, in process."""
    drafts = [draft(i) for i in range(1000)]
    print(f"audit-log benchmark: {n:,} records, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        store = LocalStore(Path(tmp) / "audit")
        seconds = grow(store, key, 0, n)
        size = store.log_path.stat().st_size
        print(
            f"bulk append     {seconds:7.2f} s  {seconds / n * 1e6:7.1f} us/record  "
            f"(log {size / 1e6:.1f} MB, {size / n:.0f} B/record)"
        )
        verified, seconds = timed(lambda: store_ops.verify(store, Keyring.of(key)))
        assert not verified.scan.problems, verified.scan.problems[:3]
        print(
            f"verify          {seconds:7.2f} s  {seconds / n * 1e6:7.1f} us/record  "
            f"(chain, schema, canonical form, checkpoint roots, signatures)"
        )
        _, seconds = timed(lambda: store_ops.verify(store, None))
        print(
            f"verify chain    {seconds:7.2f} s  {seconds / n * 1e6:7.1f} us/record  (--chain-only)"
        )
        proof, seconds = timed(lambda: store_ops.inclusion_proof(store, Keyring.of(key), n // 2))
        text = json.dumps(proof, indent=2, sort_keys=True)
        path_bytes = len(json.dumps(proof["audit_path"]))
        print(
            f"proof           {seconds * 1000:7.1f} ms to build; {len(proof['audit_path'])} "
            f"hashes ({path_bytes} B), file {len(text):,} B incl. the record and checkpoint"
        )
        checks, seconds = timed(lambda: check_proof(json.loads(text), Keyring.of(key)))
        assert all(c.ok for c in checks)
        print(f"verify-proof    {seconds * 1000:7.2f} ms")
        for target in sorted({1_000, 10_000, n}):
            if target > n:
                continue
            small = LocalStore(Path(tmp) / f"single-{target}")
            fill(small, key, 0, target)
            ms = single_append_ms(small, key, target)
            print(
                f"single append   {ms:7.1f} ms  at {target:>7,} records "
                "(cached tip checked against the last checkpoint + journaled append)"
            )
        print(
            f"git store       {git_append_ms(Path(tmp), key, drafts[:1000]):7.1f} ms  at "
            "  1,000 records (fetch, stored tip checked, last segments, commit, push)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000, help="0: skip")
    parser.add_argument("--scale-records", type=int, default=1_000_000, help="0: skip")
    parser.add_argument("--at", default="10000,100000,1000000", help="sizes to measure at")
    parser.add_argument(
        "--git-at", default=None, help="git-store sizes to measure at (default: --at; '': none)"
    )
    parser.add_argument(
        "--git-segments", default="", help="only: git appends at these segment counts"
    )
    options = parser.parse_args()
    os.environ.setdefault(
        "GENAI_GATE_AUDIT_KEY", "1b32c28cb38c05480eccc1bd60ff97029b57a05c96718b96dad7e9d84894f549"
    )
    key = SigningKey.from_env("GENAI_GATE_AUDIT_KEY")
    if options.git_segments:
        counts = [int(c) for c in options.git_segments.split(",")]
        for count in counts:
            for flat in (False, True):
                ms = padded_git_append_ms(key, count, flat=flat)
                layout = "flat folder (earlier layout)" if flat else "sub-folders"
                print(f"git append  {count:>7,} segments  {layout:<28} {ms:7.1f} ms  {load()}")
        return 0
    if options.records:
        library(options.records, key)
    if options.scale_records:
        total = options.scale_records
        sizes = sorted({int(s) for s in options.at.split(",") if int(s) <= total} | {total})
        git_at = options.at if options.git_at is None else options.git_at
        git_sizes = [int(s) for s in git_at.split(",") if s and int(s) <= total]
        scale(os.environ["GENAI_GATE_AUDIT_KEY"], total, sizes, git_sizes)
    return 0


def git_append_ms(tmp: Path, key: SigningKey, drafts: list[dict]) -> float:
    """Median time of one compare-and-swap append through the git store."""
    import subprocess

    from genai_gate.gates.audit.settings import StoreSettings
    from genai_gate.gates.audit.stores.git import GitStore

    remote, repo = tmp / "remote.git", tmp / "clone"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    store = GitStore(StoreSettings(kind="git", remote=str(remote), repo=str(repo)), Path("/"))
    store_ops.append(store, drafts, key)
    return single_append_ms(store, key, len(drafts))


def padded_git_append_ms(key: SigningKey, count: int, *, flat: bool) -> float:
    """Median of 5 git-store appends on a branch whose record folder holds `count` segments
    before the real last one (`flat`: directly in `log/`, as branches of the earlier layout)."""
    from genai_gate.gates.audit.settings import StoreSettings
    from genai_gate.gates.audit.stores import segments
    from genai_gate.gates.audit.stores.git import GitStore

    def name(first: int) -> str:
        return f"log/{first:012d}.jsonl" if flat else segments.segment_name("log", first)

    with tempfile.TemporaryDirectory() as tmp:
        remote, repo = Path(tmp) / "remote.git", Path(tmp) / "clone"
        subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        settings = StoreSettings(kind="git", remote=str(remote), repo=str(repo))
        store = GitStore(settings, Path("/"))
        store_ops.append(store, [draft(i) for i in range(3)], key)
        branch = f"refs/heads/{store.branch}"
        listing = subprocess.run(
            ["git", "-C", str(remote), "ls-tree", "-r", "--name-only", branch],
            check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        show = ["git", "-C", str(remote), "show"]
        real = {
            p: subprocess.run([*show, f"{branch}:{p}"], check=True, capture_output=True).stdout
            for p in listing
        }
        moved = {
            (name(count * 1000) if path.startswith("log/") else path): data
            for path, data in real.items()
        }
        stream = [b"blob\nmark :1\ndata 3\n{}\n\n"]
        for mark, data in enumerate(moved.values(), 2):
            stream.append(b"blob\nmark :%d\ndata %d\n%s\n" % (mark, len(data), data))
        stream.append(
            f"commit {branch}\ncommitter b <b@b> 0 +0000\ndata 7\npadding\n"
            f"from {branch}^0\ndeleteall\n".encode()
        )
        stream += [f"M 100644 :1 {name(i * 1000)}\n".encode() for i in range(count)]
        stream += [f"M 100644 :{m} {p}\n".encode() for m, p in enumerate(moved, 2)]
        subprocess.run(
            ["git", "-C", str(remote), "fast-import", "--quiet"], input=b"".join(stream),
            check=True,
        )  # fmt: skip
        store_ops.append(store, [draft(3)], key)  # warm-up: the first fetch of the padding
        ms = single_append_ms(store, key, 4, repeat=5)
        assert store.full_scans == 0, "the stored tip held on the padded branch"
        return ms


if __name__ == "__main__":
    sys.exit(main())
