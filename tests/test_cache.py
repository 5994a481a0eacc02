"""Response cache: keys, sharded atomic entries, parallel writers, corrupt entries."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

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


def test_round_trip_is_exact_and_marked_cached(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    key = cache_key("t", {"q": 1}, 0)
    assert cache.get(key) is None
    cache.put(key, RESPONSE, identity="t", request={"q": 1})
    path = tmp_path / key[:2] / f"{key}.json"
    assert path.is_file()
    entry = json.loads(path.read_text(encoding="utf-8"))
    assert entry["request"] == {"q": 1} and entry["version"] == 1
    hit = cache.get(key)
    assert hit is not None and hit.cached
    assert response_to_json(hit) == response_to_json(RESPONSE)
    assert response_from_json(response_to_json(RESPONSE), cached=False) == RESPONSE


def test_corrupt_or_foreign_entries_are_misses(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    key = cache_key("t", {}, 0)
    cache.path_of(key).parent.mkdir(parents=True)
    cache.path_of(key).write_text("{not json")
    assert cache.get(key) is None
    other = cache_key("t", {}, 1)
    cache.put(other, RESPONSE)
    cache.path_of(key).write_text(cache.path_of(other).read_text())  # key mismatch
    assert cache.get(key) is None


def test_modes(tmp_path: Path) -> None:
    key = cache_key("t", {}, 0)
    ResponseCache(tmp_path, "replay-only").put(key, RESPONSE)
    ResponseCache(tmp_path, "off").put(key, RESPONSE)
    assert not any(tmp_path.iterdir())
    ResponseCache(tmp_path).put(key, RESPONSE)
    assert ResponseCache(tmp_path, "off").get(key) is None
    assert ResponseCache(tmp_path, "replay-only").get(key) is not None


def _writer(root: str, worker: int) -> None:
    cache = ResponseCache(Path(root))
    for i in range(200):
        index = i if i % 2 == 0 else i + worker * 1000  # even keys shared by all writers
        cache.put(cache_key("t", {"i": index}, 0), RESPONSE)


def test_parallel_writers_merge_cleanly(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_writer, args=(str(tmp_path), w)) for w in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    files = list(tmp_path.rglob("*"))
    entries = [f for f in files if f.is_file()]
    assert all(f.suffix == ".json" and not f.name.startswith(".") for f in entries)
    assert len(entries) == 100 + 4 * 100
    cache = ResponseCache(tmp_path)
    assert all(cache.get(f.stem) is not None for f in entries)


def test_unwritable_cache_is_an_infra_error(tmp_path: Path) -> None:
    import pytest

    from genai_gate.errors import ExitCode, InfraError

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    with pytest.raises(InfraError, match="cannot write the response cache") as caught:
        ResponseCache(blocker).put(cache_key("t", {}, 0), RESPONSE)
    assert caught.value.exit_code == ExitCode.INFRA
