"""The runtime guard: PII output filter (genai_gate.pii detectors) and its Prometheus metrics.

The exposition is read back with prometheus_client's own text parser (the format's reference
implementation); the real Prometheus scrape is in test_guard_prometheus.py.
"""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from genai_gate.runtime_guard import BLOCKED_MESSAGE, GuardMetrics, PiiFilter, names

IBAN = "ES91 2100 0418 4502 0005 1332"
CARD = "4111 1111 1111 1111"


def samples(metrics: GuardMetrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    body, content_type = metrics.exposition()
    assert content_type.startswith("text/plain; version=0.0.4")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body.decode())
        for s in family.samples
    }


def test_mask_hides_every_confirmed_item_and_keeps_the_rest() -> None:
    text = f"Your IBAN is {IBAN}, card {CARD}. Call us at the branch."
    filtered = PiiFilter("mask").apply(text)
    assert filtered.action == "mask" and not filtered.blocked
    assert IBAN not in filtered.text and CARD not in filtered.text
    assert filtered.text.startswith("Your IBAN is **** ") and "1332, card" in filtered.text
    assert filtered.text.endswith(". Call us at the branch.")
    assert [m.type for m in filtered.matches] == ["iban", "card"]


def test_block_replaces_the_answer_and_invalid_numbers_pass() -> None:
    blocked = PiiFilter("block").apply(f"Transfer to {IBAN}")
    assert blocked.blocked and blocked.text == BLOCKED_MESSAGE
    # a card-shaped number failing Luhn and an IBAN with a wrong check digit are not PII
    clean = "Reference 4111 1111 1111 1112, account ES00 2100 0418 4502 0005 1332."
    untouched = PiiFilter("block").apply(clean)
    assert (untouched.text, untouched.action, untouched.matches) == (clean, None, ())


def test_allowed_values_are_compared_without_separators() -> None:
    filtered = PiiFilter("mask").apply(f"Your IBAN: {IBAN}", allowed=[IBAN.replace(" ", "")])
    assert filtered.action is None and IBAN in filtered.text


def test_filter_rejects_unknown_settings() -> None:
    with pytest.raises(ValueError, match="mask or block"):
        PiiFilter("redact")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown PII types: passport"):
        PiiFilter(types=["iban", "passport"])


def test_metrics_count_requests_errors_cost_quality_and_incidents() -> None:
    metrics = GuardMetrics()
    with metrics.track("m1") as call:
        call.cost_usd = 0.25
    with pytest.raises(RuntimeError), metrics.track("m1"):
        raise RuntimeError("LLM down")
    metrics.observe("m2", "blocked", 0.3, 0.5)
    metrics.score("m1", 0.8)
    metrics.score("m1", 0.6)
    metrics.incident(PiiFilter("block").apply(f"{IBAN} and {CARD} and ES7921000813610123456789"))
    got = samples(metrics)
    assert got[(names.REQUESTS, (("model", "m1"), ("status", "ok")))] == 1
    assert got[(names.REQUESTS, (("model", "m1"), ("status", "error")))] == 1
    assert got[(names.REQUESTS, (("model", "m2"), ("status", "blocked")))] == 1
    assert got[(names.ERRORS, (("model", "m1"),))] == 1
    assert (names.ERRORS, (("model", "m2"),)) not in got
    assert got[(names.COST, (("model", "m1"),))] == 0.25
    assert got[(names.LATENCY + "_count", (("model", "m1"),))] == 2
    assert got[(names.LATENCY + "_bucket", (("le", "0.5"), ("model", "m2")))] == 1
    assert got[(names.LATENCY + "_bucket", (("le", "0.25"), ("model", "m2")))] == 0
    assert got[(names.QUALITY + "_sum", (("model", "m1"),))] == pytest.approx(1.4)
    assert got[(names.QUALITY + "_count", (("model", "m1"),))] == 2
    # one incident per PII type in the response: two IBANs count once
    assert got[(names.PII_BLOCKS, (("action", "block"), ("pii_type", "iban")))] == 1
    assert got[(names.PII_BLOCKS, (("action", "block"), ("pii_type", "card")))] == 1


def test_metrics_reject_values_that_would_corrupt_the_series() -> None:
    metrics = GuardMetrics()
    with pytest.raises(ValueError, match="status must be one of ok, error, blocked"):
        metrics.observe("m", "timeout", 0.1)
    with pytest.raises(ValueError, match="cannot be negative"):
        metrics.observe("m", "ok", 0.1, -1.0)
    with pytest.raises(ValueError, match=r"within \[0, 1\]"):
        metrics.score("m", 1.5)
    assert not [k for k in samples(metrics) if k[0] == names.REQUESTS]


def test_example_server_serves_metrics_and_validates_feedback() -> None:
    import json
    import sys
    import threading
    import urllib.error
    import urllib.request
    from pathlib import Path

    sys.path.insert(
        0, str(Path(__file__).resolve().parent.parent / "examples" / "bank-support-agent")
    )
    from bank_agent.server import Guard, make_server

    guard = Guard()
    server = make_server("127.0.0.1", 0, {"model": "bank-hardened"}, guard=guard)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}"

    def post(body: bytes) -> tuple[int, str]:
        request = urllib.request.Request(root + "/v1/feedback", data=body, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())["error"]

    try:
        assert post(b'{"score": 0.7}') == (204, "")
        assert post(b'{"score": 1.7}') == (400, "quality score must be within [0, 1], got 1.7")
        assert post(b'{"score": true}') == (400, "body must be an object with a numeric `score`")
        assert post(b"nope")[0] == 400
        with urllib.request.urlopen(root + "/metrics", timeout=5) as response:
            assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
            text = response.read().decode()
        assert 'llm_quality_score_count{model="bank-hardened"} 1.0' in text
        assert 'llm_quality_score_sum{model="bank-hardened"} 0.7' in text
    finally:
        server.shutdown()
        server.server_close()
    assert guard.cost_usd({"prompt_tokens": 1_000_000, "completion_tokens": 500_000}) == 0.45


def test_canary_gate_defaults_read_exactly_the_series_the_guard_exports() -> None:
    import re

    from genai_gate.gates.canary.collect import counter_names
    from genai_gate.gates.canary.settings import CanarySettings

    metrics = GuardMetrics()
    metrics.observe("m", "error", 0.3, cost_usd=0.01)
    metrics.score("m", 0.9)
    metrics.incident(PiiFilter("mask").apply(f"Your IBAN is {IBAN}"))
    exported = {name for name, _ in samples(metrics)}
    settings = CanarySettings()
    read = set(counter_names(settings))
    for metric in settings.metrics:
        read |= set(re.findall(r"([A-Za-z_:][\w:]*)\{\{\{selector\}\}\}", metric.query or ""))
    assert read == {
        "llm_requests_total",
        "llm_request_errors_total",
        "llm_quality_score_sum",
        "llm_quality_score_count",
        "llm_cost_usd_total",
        "llm_pii_blocks_total",
        "llm_latency_seconds_bucket",
    }
    assert read <= exported
