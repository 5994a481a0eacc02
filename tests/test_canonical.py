"""genai_gate.canonical against the `rfc8785` package (the reference implementation) as oracle."""

from __future__ import annotations

import hashlib
import json

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from genai_gate.canonical import canonical_bytes, digest, parse_self_hashed, self_hashed
from genai_gate.errors import UsageError

# Integral doubles above 2**53, where ECMAScript (and so RFC 8785) writes the shortest digits
# padded with zeros while Python's repr adds `.0` (below 1e16) or an exponent (above).
BIG_INTEGRAL = [
    2.0**53,
    2.0**53 + 2,
    -(2.0**53 + 2),
    9007199254740994.0,
    1234567890123456.0 * 4,
    9999999999999998.0,
    1e16,
    2.0**60,
    123456789012345680.0,
    1e20,
    99999999999999990000.0,
    1e21,
]
OTHER_NUMBERS = [0, -0.0, 0.1, 1e-6, 1e-7, 5e-324, 1.7976931348623157e308, 2**53 - 1, 3.0e15]

integral_doubles = st.integers(min_value=2**53, max_value=10**22).map(float)
numbers = st.one_of(
    st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    integral_doubles,
    integral_doubles.map(lambda x: -x),
    st.sampled_from(BIG_INTEGRAL + OTHER_NUMBERS),
)
texts = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["", "\u2028", "\x7f", "\x00\x1f", "é", "😀", "\ue000", "<>&'\"\\/"]
)
json_values = st.recursive(
    st.none() | st.booleans() | numbers | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20,
)


def _oracle(value: object) -> bytes | None:
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError:
        return None


@pytest.mark.parametrize("number", BIG_INTEGRAL + OTHER_NUMBERS, ids=repr)
def test_numbers_match_the_reference(number: float) -> None:
    assert canonical_bytes({"n": number, "list": [number]}) == rfc8785.dumps(
        {"n": number, "list": [number]}
    )


def test_integral_float_above_2_53_has_no_decimal_point() -> None:
    assert canonical_bytes(9007199254740994.0) == b"9007199254740994"
    assert canonical_bytes(2.0**60) == b"1152921504606847000"


@settings(max_examples=600, deadline=None)
@given(json_values)
def test_any_json_value_matches_the_reference(value: object) -> None:
    expected = _oracle(value)
    if expected is None:
        with pytest.raises(UsageError):
            canonical_bytes(value)
    else:
        assert canonical_bytes(value) == expected
        assert digest(value) == "sha256:" + hashlib.sha256(expected).hexdigest()


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_self_hash_round_trip_matches_the_reference(record: dict[str, object]) -> None:
    rest = {k: v for k, v in record.items() if k != "hash"}
    if _oracle(rest) is None:
        return
    expected_digest = hashlib.sha256(rfc8785.dumps(rest)).hexdigest()
    expected_line = rfc8785.dumps({**rest, "hash": expected_digest})
    assert self_hashed(rest, "hash") == (expected_digest, expected_line)
    _, is_canonical, line_digest = parse_self_hashed(expected_line, "hash")
    assert is_canonical and line_digest == expected_digest
    pretty = json.dumps({**rest, "hash": expected_digest}, indent=1, ensure_ascii=True).encode()
    if pretty != expected_line:
        assert parse_self_hashed(pretty, "hash")[1] is False
