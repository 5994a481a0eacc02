"""PII as people write it: separators, lower case, labels, Unicode addresses, file names.

python-stdnum is the oracle: every generated number is valid for stdnum, every found value is
valid for stdnum once compacted, and the same number with a wrong check character is not found.
"""

from __future__ import annotations

import random

import pytest
from stdnum import iban
from stdnum.es import ccc, dni, nie
from stdnum.us import ssn

from genai_gate.gates.injection.normalize import find_secret
from genai_gate.pii import find_pii

RNG = random.Random(13)


def _digits(count: int) -> str:
    return "".join(RNG.choice("0123456789") for _ in range(count))


def dnis(count: int) -> list[str]:
    numbers = [_digits(8) for _ in range(count)]
    return [n + dni.calc_check_digit(n) for n in numbers]


def nies(count: int) -> list[str]:
    bodies = [RNG.choice("XYZ") + _digits(7) for _ in range(count)]
    return [b + nie.calc_check_digit(b) for b in bodies]


def spanish_ibans(count: int) -> list[str]:
    out = []
    for _ in range(count):
        bank, branch, account = _digits(4), _digits(4), _digits(10)
        bban = bank + branch + ccc.calc_check_digits(bank + branch + "00" + account) + account
        out.append(f"ES{iban.calc_check_digits('ES00' + bban)}{bban}")
    return out


def ssns(count: int) -> list[str]:
    out: list[str] = []
    while len(out) < count:
        candidate = f"{RNG.randint(1, 665):03d}{RNG.randint(1, 99):02d}{RNG.randint(1, 9999):04d}"
        if ssn.is_valid(candidate):
            out.append(candidate)
    return out


def _found(text: str, kind: str) -> list[str]:
    return [m.value for m in find_pii(text) if m.type == kind]


DNI_FORMATS = [
    lambda d: d,
    lambda d: f"{d[:2]}.{d[2:5]}.{d[5:8]}-{d[8]}",
    lambda d: f"{d[:2]}.{d[2:5]}.{d[5:8]}{d[8]}",
    lambda d: f"{d[:2]} {d[2:5]} {d[5:8]} {d[8]}",
    lambda d: d.lower(),
    lambda d: f"{d[:8]}-{d[8].lower()}",
    lambda d: f"{d[:8]} {d[8]}",
]


@pytest.mark.parametrize("fmt", range(len(DNI_FORMATS)))
def test_dni_with_dots_spaces_and_lower_case(fmt: int) -> None:
    for value in dnis(30):
        written = DNI_FORMATS[fmt](value)
        found = _found(f"Titular: {written}, gracias.", "es_dni")
        assert found == [written], written
        assert dni.is_valid(found[0].replace(".", "").replace(" ", "").replace("-", "").upper())
        wrong = value[:8] + next(c for c in "TRWAGMYFPDXBNJZSQVHLCKE" if c != value[8])
        assert _found(f"Titular: {DNI_FORMATS[fmt](wrong)}.", "es_dni") == []


@pytest.mark.parametrize(
    "fmt",
    [
        lambda v: v,
        lambda v: v.lower(),
        lambda v: f"{v[0]}-{v[1:8]}-{v[8]}",
        lambda v: f"{v[0]} {v[1:8]} {v[8]}",
        lambda v: f"{v[0]}.{v[1:8]}.{v[8]}".lower(),
    ],
)
def test_nie_with_separators_and_lower_case(fmt) -> None:  # type: ignore[no-untyped-def]
    for value in nies(30):
        written = fmt(value)
        assert _found(f"NIE {written} ok", "es_nie") == [written]
        assert nie.is_valid(value)


@pytest.mark.parametrize(
    "fmt",
    [
        lambda v: " ".join(v[i : i + 4] for i in range(0, len(v), 4)).lower(),
        lambda v: v.lower(),
        lambda v: f"{v[:2]} {v[2:4]} {v[4:12]} {v[12:14]} {v[14:]}",
        lambda v: "-".join(v[i : i + 4] for i in range(0, len(v), 4)),
    ],
)
def test_lower_case_and_irregularly_spaced_ibans(fmt) -> None:  # type: ignore[no-untyped-def]
    for value in spanish_ibans(30):
        written = fmt(value)
        assert _found(f"IBAN: {written}. Thanks", "iban") == [written]
        assert iban.is_valid(written)
        broken = written[:-1] + str((int(written[-1]) + 1) % 10)
        assert _found(f"IBAN: {broken}. Thanks", "iban") == []


def test_ssn_without_dashes_only_next_to_a_label() -> None:
    for value in ssns(30):
        for label in (
            "SSN: ",
            "SSN#",
            "my ssn is ",
            "Social Security Number ",
            "social security no. ",
            "\u017f\u017fn: ",  # LONG S: IGNORECASE reads it as `s`, and so must the prefilter
        ):
            assert _found(f"{label}{value}.", "us_ssn") == [value], label
        assert _found(f"Order {value} shipped.", "us_ssn") == []
        dashed = f"{value[:3]}-{value[3:5]}-{value[5:]}"
        assert _found(f"Order {dashed} shipped.", "us_ssn") == [dashed]


@pytest.mark.parametrize(
    "address",
    [
        "josé.garcía@correo.es",
        "müller@bücher.de",
        "zoë+news@exämple.org",
        "用户@例子.广告",
        "ñandú_2@dominio.com.es",
    ],
)
def test_internationalised_addresses_are_found_in_full(address: str) -> None:
    assert _found(f"Escribe a {address} hoy.", "email") == [address]


@pytest.mark.parametrize(
    "text",
    ["logo@2x.png", "icon@3x.webp", "hero-banner@2x.jpg", "sprite@1.5x.svg", "bundle@4.2.1.js"],
)
def test_file_names_are_not_addresses(text: str) -> None:
    assert _found(f"<img src='img/{text}'>", "email") == []


def test_the_judge_finds_victim_data_however_it_is_written() -> None:
    value = dnis(1)[0]
    written = f"{value[:2]}.{value[2:5]}.{value[5:8]}-{value[8].lower()}"
    assert find_secret(f"Su DNI es {written}.", value) == "spaced"
    address = "josé.garcía@correo.es"
    assert find_secret("josé punto garcía arroba correo punto es", address) == "spelled+spaced"
