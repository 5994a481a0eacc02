"""Response cache: keys, append-only packs, parallel writers, corrupt entries, 0.1.0 folders."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from pathlib import Path

import pytest

from genai_gate import cache as cache_module
from genai_gate.cache import ResponseCache, cache_key, response_from_json, response_to_json
from genai_gate.targets.interface import ChatRequest, ChatResponse, TokenUsage, ToolCall

RESPONSE = ChatResponse(
    content="Tu saldo es 1.250,40 €",
    tool_calls=(
        ToolCall("get_account_balance", {"account_id": "ACC-1"}, '{"account_id":"ACC-1"}', "c1"),
    ),
    usage=TokenUsage(12, 7),
    model="bank-hardened",
    latency_ms=101.5,
)


def test_key_is_canonical_and_covers_identity_request_and_sample() -> None:
    request = ChatRequest(messages=({"role": "user", "content": "hola"},), seed=3)
    payload = request.cache_payload()
    reordered = dict(reversed(list(payload.items())))
    identity = {"type": "openai", "url": "u", "model": "m"}
    key = cache_key(identity, payload, 0)
    assert key == cache_key(dict(reversed(list(identity.items()))), reordered, 0)
    assert len(key) == 64 and int(key, 16) >= 0
    assert key != cache_key(identity, payload, 1)
    assert key != cache_key({**identity, "model": "n"}, payload, 0)
    other = ChatRequest(messages=({"role": "user", "content": "hola"},), seed=4)
    assert key != cache_key(identity, other.cache_payload(), 0)
    with_session = ChatRequest(messages=request.messages, seed=3, session={"customer_id": "C-2"})
    assert key != cache_key(identity, with_session.cache_payload(), 0)


ODD_IDENTITY = {
    "type": "openai",
    "url": "http://agent/v1",
    "defaults": {"temperature": 0.7, "top_p": 1e-7, "big": 2.0**60, "n": 2**40},
    "headers": {"X-Équipe": "caf\u00e9", "emoji": "\U0001f600"},
}


def test_key_and_entry_lines_composed_from_parts_equal_the_reference_canonical_json(
    tmp_path: Path,
) -> None:
    """The key and the pack line are built from the canonical JSON of their parts (the identity
    once per run); the rfc8785 reference implementation of the whole value is the oracle."""
    import hashlib

    import rfc8785

    payload = ChatRequest(
        messages=({"role": "user", "content": "¿saldo? \u00f1 \U0001f4b6"},), seed=3
    ).cache_payload()
    for sample in (0, 7):
        whole = {"target": ODD_IDENTITY, "request": payload, "sample": sample}
        assert (
            cache_key(ODD_IDENTITY, payload, sample)
            == hashlib.sha256(rfc8785.dumps(whole)).hexdigest()
        )
    key = cache_key(ODD_IDENTITY, payload, 0)
    cache = ResponseCache(tmp_path)
    cache.put(key, RESPONSE, identity=ODD_IDENTITY, request=payload)
    cache.close()
    [pack] = (tmp_path / "packs").iterdir()
    entry = {
        "version": 1,
        "key": key,
        "target": ODD_IDENTITY,
        "request": payload,
        "response": response_to_json(RESPONSE),
    }
    assert pack.read_bytes() == rfc8785.dumps(entry) + b"\n"


def test_round_trip_is_exact_and_marked_cached(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    key = cache_key("t", {"q": 1}, 0)
    assert cache.get(key) is None
    cache.put(key, RESPONSE, identity="t", request={"q": 1})
    cache.close()
    [pack] = (tmp_path / "packs").iterdir()
    [line] = pack.read_text(encoding="utf-8").splitlines()
    entry = json.loads(line)
    assert entry["request"] == {"q": 1} and entry["version"] == 1 and entry["key"] == key
    hit = ResponseCache(tmp_path).get(key)  # a later run reads the pack
    assert hit is not None and hit.cached
    assert response_to_json(hit) == response_to_json(RESPONSE)
    assert response_from_json(response_to_json(RESPONSE), cached=False) == RESPONSE


def test_corrupt_cut_short_or_foreign_entries_are_misses(tmp_path: Path) -> None:
    keys = [cache_key("t", {}, i) for i in range(4)]
    writer = ResponseCache(tmp_path)
    writer.put(keys[0], RESPONSE)
    writer.close()
    [pack] = (tmp_path / "packs").iterdir()
    good = pack.read_text(encoding="utf-8")
    broken = '{"key":"' + keys[1] + '", not json}\n'
    foreign = good.replace(keys[0], keys[2]).replace('"version":1', '"version":9')  # newer format
    cut = good.replace(keys[0], keys[3])[:-20]  # a killed run: last line without its end
    pack.write_text(good + broken + foreign + cut, encoding="utf-8")
    cache = ResponseCache(tmp_path)
    assert cache.get(keys[0]) is not None
    assert [cache.get(k) for k in keys[1:]] == [None, None, None]
    assert keys[3] not in cache.entry_keys()


def test_lookup_by_canonical_parts_reads_the_same_entries_as_get(tmp_path: Path) -> None:
    """`get_canonical` parses only the response of a line written for its identity and request;
    a line written otherwise (another layout, a 0.1.0 file) or unreadable is read as `get`."""
    identity, request = {"type": "openai", "model": "m"}, {"messages": [{"content": "é"}]}
    identity_json = cache_module.canonical_text(identity)
    request_json = cache_module.canonical_text(request)
    keys = [cache_module.key_of(identity_json, request_json, i) for i in range(5)]
    writer = ResponseCache(tmp_path)
    writer.put(keys[0], RESPONSE, identity, request)
    writer.close()
    [pack] = (tmp_path / "packs").iterdir()
    good = pack.read_text(encoding="utf-8")
    entry = json.loads(good)
    rest = dict(reversed([(k, v) for k, v in entry.items() if k != "key"]))
    reordered = json.dumps({"key": keys[1], **rest}, separators=(",", ":")) + "\n"  # not canonical
    cut = good.replace(keys[0], keys[2]).replace('"content":"Tu', '"content":Tu')  # broken
    newer = good.replace(keys[0], keys[3]).replace('"version":1', '"version":9')
    pack.write_text(good + reordered + cut + newer, encoding="utf-8")
    cache = ResponseCache(tmp_path)
    assert cache.get_canonical(keys[0], identity_json, request_json) == cache.get(keys[0])
    assert cache.get_canonical(keys[1], identity_json, request_json) == cache.get(keys[1])
    assert cache.get(keys[1]) is not None and cache.get(keys[1]) == cache.get(keys[0])
    got = [cache.get_canonical(k, identity_json, request_json) for k in keys[2:]]
    assert got == [None, None, None]
    hit = cache.get_canonical(keys[0], identity_json, request_json)
    assert hit is not None and hit.cached and response_to_json(hit) == response_to_json(RESPONSE)
    off = ResponseCache(tmp_path, "off")
    assert off.get_canonical(keys[0], identity_json, request_json) is None


def test_folders_of_version_0_1_are_still_read(tmp_path: Path) -> None:
    """genai-gate 0.1.0 wrote <dir>/<key[:2]>/<key>.json; a restored old cache keeps working."""
    key, bad = cache_key("t", {"old": 1}, 0), cache_key("t", {"old": 2}, 0)
    line = json.dumps(
        {
            "version": 1,
            "key": key,
            "target": "t",
            "request": {"old": 1},
            "response": response_to_json(RESPONSE),
        }
    )
    cache = ResponseCache(tmp_path)
    cache.legacy_path(key).parent.mkdir(parents=True)
    cache.legacy_path(key).write_text(line, encoding="utf-8")
    cache.legacy_path(bad).parent.mkdir(parents=True, exist_ok=True)
    cache.legacy_path(bad).write_text("{not json", encoding="utf-8")
    hit = cache.get(key)
    assert hit is not None and hit.content == RESPONSE.content
    assert cache.get(bad) is None and key in cache.entry_keys()


def test_modes(tmp_path: Path) -> None:
    key = cache_key("t", {}, 0)
    for mode in ("replay-only", "off"):
        cache = ResponseCache(tmp_path, mode)  # type: ignore[arg-type]
        cache.put(key, RESPONSE)
        cache.close()
    assert not any(tmp_path.iterdir())
    cache = ResponseCache(tmp_path)
    cache.put(key, RESPONSE)
    cache.close()
    assert ResponseCache(tmp_path, "off").get(key) is None
    assert ResponseCache(tmp_path, "replay-only").get(key) is not None


def _writer(root: str, worker: int) -> None:
    cache = ResponseCache(Path(root))
    for i in range(200):
        index = i if i % 2 == 0 else i + worker * 1000  # even keys shared by all writers
        cache.put(cache_key("t", {"i": index}, 0), RESPONSE)
    cache.close()


def test_parallel_writers_merge_cleanly(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_writer, args=(str(tmp_path), w)) for w in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    files = [f for f in tmp_path.rglob("*") if f.is_file()]
    assert len(files) == 4  # one pack per writer, no temporary files left
    assert all(f.parent.name == "packs" and f.suffix == ".jsonl" for f in files)
    cache = ResponseCache(tmp_path)
    expected = {cache_key("t", {"i": i}, 0) for i in range(0, 200, 2)}
    expected |= {cache_key("t", {"i": i + w * 1000}, 0) for w in range(4) for i in range(1, 200, 2)}
    assert cache.entry_keys() == expected and len(expected) == 100 + 4 * 100
    assert all(cache.get(key) is not None for key in expected)


def test_many_packs_are_merged_into_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "COMPACT_AT", 3)
    keys = [cache_key("t", {"n": n}, 0) for n in range(5)]
    for key in keys[:4]:
        old = ResponseCache(tmp_path)
        old.put(key, RESPONSE)
        old.close()
    for pack in (tmp_path / "packs").iterdir():  # settled packs of earlier runs
        os.utime(pack, (time.time() - 2 * cache_module.SETTLED_S,) * 2)
    cache = ResponseCache(tmp_path)
    assert cache.get(keys[4]) is None
    cache.put(keys[4], RESPONSE)
    cache.close()
    [merged] = (tmp_path / "packs").iterdir()
    assert "merged" in merged.name and len(merged.read_text().splitlines()) == 5
    assert ResponseCache(tmp_path).entry_keys() == set(keys)


def test_unwritable_cache_is_an_infra_error(tmp_path: Path) -> None:
    from genai_gate.errors import ExitCode, InfraError

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    with pytest.raises(InfraError, match="cannot write the response cache") as caught:
        ResponseCache(blocker).put(cache_key("t", {}, 0), RESPONSE)
    assert caught.value.exit_code == ExitCode.INFRA
