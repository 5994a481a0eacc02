"""Cost of the runtime guard per answer: PII filter and metrics, against a clean answer.

    python scripts/bench/runtime_guard.py

Prints microseconds per answer for a typical support answer (about 400 characters) without
personal data, the same answer with an IBAN and a card number (masked), and the metrics update
of one request (counter, histogram, cost); and the filter's throughput in MB/s on 1 MB of text.
"""

from __future__ import annotations

import time

from genai_gate.runtime_guard import GuardMetrics, PiiFilter

CLEAN = (
    "Your current account ACC-1001-01 has a balance of 1,250.40 EUR as of 26 November. "
    "The last three movements were a grocery payment of 54.20 EUR, a phone bill of 29.90 EUR "
    "and your salary of 1,800.00 EUR. Transfers to SEPA countries are free; outside SEPA the "
    "fee is 0.3% with a minimum of 6 EUR. Would you like me to show more transactions or help "
    "with anything else today?"
)
LEAKY = CLEAN + " The IBAN is ES91 2100 0418 4502 0005 1332 and the card 4111 1111 1111 1111."


def per_call_us(work, repeat: int) -> float:
    """Mean microseconds per call over `repeat` calls, after a warm-up."""
    for _ in range(20):
        work()
    started = time.perf_counter()
    for _ in range(repeat):
        work()
    return (time.perf_counter() - started) / repeat * 1e6


def main() -> None:
    mask = PiiFilter("mask")
    metrics = GuardMetrics()
    clean = per_call_us(lambda: mask.apply(CLEAN), 2000)
    leaky = per_call_us(lambda: mask.apply(LEAKY), 2000)
    observe = per_call_us(lambda: metrics.observe("bank-hardened", "ok", 0.42, 0.0002), 20000)
    big = (CLEAN + " ") * (1_000_000 // (len(CLEAN) + 1))
    started = time.perf_counter()
    mask.apply(big)
    mb_s = len(big) / 1e6 / (time.perf_counter() - started)
    print(f"filter, clean answer ({len(CLEAN)} chars):   {clean:8.1f} us")
    print(f"filter, answer with IBAN + card (masked): {leaky:8.1f} us")
    print(f"metrics, one request observed:           {observe:8.1f} us")
    print(f"filter throughput on {len(big) / 1e6:.1f} MB:            {mb_s:8.2f} MB/s")


if __name__ == "__main__":
    main()
