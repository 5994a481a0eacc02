"""PII detection: precision and recall 1.0 on generated valid items mixed with look-alikes."""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Callable

import phonenumbers
import pytest
from stdnum import iban, luhn
from stdnum.es import ccc, cif, dni, nie
from stdnum.us import ssn

from genai_gate.pii import LineIndex, find_pii, mask_text, mask_value

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _wrong(rng: random.Random, right: str, alphabet: str) -> str:
    return rng.choice([c for c in alphabet if c != right])


# --- valid items -------------------------------------------------------------------------------


def valid_dni(rng: random.Random) -> str:
    number = _digits(rng, 8)
    return number + dni.calc_check_digit(number)


def valid_nie(rng: random.Random) -> str:
    body = rng.choice("XYZ") + _digits(rng, 7)
    return body + nie.calc_check_digit(body)


def valid_cif(rng: random.Random) -> str:
    body = rng.choice("ABEH") + _digits(rng, 7)
    return body + cif.calc_check_digits(body)[0]


def valid_iban(rng: random.Random) -> str:
    bank = _digits(rng, 8)
    account = _digits(rng, 10)
    dc = ccc.calc_check_digits(bank + "00" + account)
    bban = bank + dc + account
    check = iban.calc_check_digits("ES00" + bban)
    compact = f"ES{check}{bban}"
    spaced = " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return rng.choice([compact, spaced])


def _card(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + _digits(rng, length - len(prefix) - 1)
    return body + luhn.calc_check_digit(body)


def _group(number: str, rng: random.Random) -> str:
    if len(number) == 15:
        parts = [number[:4], number[4:10], number[10:]]
    else:
        parts = [number[i : i + 4] for i in range(0, len(number), 4)]
    return rng.choice([" ", "-", ""]).join(parts)


def valid_card(rng: random.Random) -> str:
    prefix, length = rng.choice(
        [("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("34", 15), ("37", 15), ("6011", 16)]
    )
    return _group(_card(rng, prefix, length), rng)


def valid_ssn(rng: random.Random) -> str:
    while True:
        value = f"{rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
        if ssn.is_valid(value):
            return value


def valid_phone(rng: random.Random) -> str:
    while True:
        if rng.random() < 0.6:
            number = rng.choice("67") + _digits(rng, 8)
            text = rng.choice(
                [
                    f"+34 {number[:3]} {number[3:6]} {number[6:]}",
                    f"{number[:3]} {number[3:5]} {number[5:7]} {number[7:]}",
                    f"0034 {number[:3]} {number[3:6]} {number[6:]}",
                ]
            )
            region = "ES"
        else:
            number = rng.choice(["212", "415", "312", "617", "206"]) + str(rng.randint(2, 9))
            number += _digits(rng, 6)
            text = rng.choice(
                [
                    f"({number[:3]}) {number[3:6]}-{number[6:]}",
                    f"+1 {number[:3]}-{number[3:6]}-{number[6:]}",
                ]
            )
            region = "US"
        if phonenumbers.is_valid_number(phonenumbers.parse(number, region)):
            return text


def valid_email(rng: random.Random) -> str:
    first = rng.choice(["ana", "lucia", "ben", "carla", "mark", "jose"])
    last = rng.choice(["martin", "sample", "garcia", "doyle", "prueba"])
    return f"{first}.{last}{rng.randint(1, 99)}@{rng.choice(['example.com', 'correo.es'])}"


VALID: dict[str, Callable[[random.Random], str]] = {
    "es_dni": valid_dni,
    "es_nie": valid_nie,
    "es_cif": valid_cif,
    "iban": valid_iban,
    "card": valid_card,
    "us_ssn": valid_ssn,
    "phone": valid_phone,
    "email": valid_email,
}

# --- invalid look-alikes -------------------------------------------------------------------------


def bad_dni(rng: random.Random) -> str:
    good = valid_dni(rng)
    return good[:8] + _wrong(rng, good[8], DNI_LETTERS)


def bad_nie(rng: random.Random) -> str:
    good = valid_nie(rng)
    return good[:8] + _wrong(rng, good[8], DNI_LETTERS)


def bad_iban(rng: random.Random) -> str:
    good = valid_iban(rng).replace(" ", "")
    check = f"{(int(good[2:4]) + rng.randint(1, 50)) % 97 + 2:02d}"
    return "ES" + check + good[4:]


def bad_card(rng: random.Random) -> str:
    good = valid_card(rng)
    last = good[-1]
    return good[:-1] + _wrong(rng, last, "0123456789")


def bad_ssn(rng: random.Random) -> str:
    area = rng.choice(["000", "666", f"9{rng.randint(0, 99):02d}"])
    return f"{area}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


LOOKALIKES: list[Callable[[random.Random], str]] = [
    bad_dni,
    bad_nie,
    bad_iban,
    bad_card,
    bad_ssn,
    lambda rng: f"{rng.randint(2000, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    lambda rng: f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2000, 2030)}",
    lambda rng: f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2000, 2030)}",
    lambda rng: f"ORD-{rng.randint(2020, 2030)}-{_digits(rng, 8)}",
    lambda rng: str(rng.randint(10_000_000, 99_999_999)),
    lambda rng: f"{rng.randint(1, 99)}.{rng.randint(100, 999)},{rng.randint(10, 99)} EUR",
    lambda rng: f"v{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 99)}",
    lambda rng: f"{rng.randint(10, 23)}:{rng.randint(10, 59)}",
    lambda rng: f"REF {_digits(rng, 4)} {_digits(rng, 4)}",
]

SENTENCES = {
    "en": [
        "The customer wrote: my details are {x}, please update the file.",
        "Ticket 42 mentions {x} in the second paragraph.",
        "Please check {x} before the refund is approved.",
        "According to the form, the value was {x}.",
    ],
    "es": [
        "El cliente escribió: mis datos son {x}, actualice la ficha por favor.",
        "La incidencia 42 menciona {x} en el segundo párrafo.",
        "Revise {x} antes de aprobar la devolución.",
        "Según el formulario, el valor era {x}.",
    ],
}


def generated_corpus(seed: int, items: int) -> tuple[str, list[tuple[str, int, str]]]:
    """Text with `items` valid PII items and as many look-alikes; expected (type, offset, value)."""
    rng = random.Random(seed)
    parts: list[str] = []
    expected: list[tuple[str, int, str]] = []
    offset = 0
    kinds = list(VALID)
    for index in range(items * 2):
        lang = rng.choice(["en", "es"])
        template = rng.choice(SENTENCES[lang])
        if index % 2 == 0:
            kind = kinds[(index // 2) % len(kinds)]
            value = VALID[kind](rng)
        else:
            kind, value = "", rng.choice(LOOKALIKES)(rng)
        sentence = template.format(x=value)
        if kind:
            expected.append((kind, offset + sentence.index(value), value))
        parts.append(sentence + "\n")
        offset += len(sentence) + 1
    return "".join(parts), expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_precision_and_recall_are_one(seed: int) -> None:
    text, expected = generated_corpus(seed, 400)
    found = [(m.type, m.start, m.value) for m in find_pii(text)]
    true_positives = set(found) & set(expected)
    precision = len(true_positives) / len(found)
    recall = len(true_positives) / len(expected)
    missed = sorted(set(expected) - set(found))[:5]
    spurious = sorted(set(found) - set(expected))[:5]
    assert (precision, recall) == (1.0, 1.0), (missed, spurious)


def test_every_type_is_covered_by_the_corpus() -> None:
    _, expected = generated_corpus(1, 400)
    assert {kind for kind, _, _ in expected} == set(VALID)


@pytest.mark.parametrize(
    ("kind", "value", "masked"),
    [
        ("iban", "ES91 2100 0418 4502 0005 1332", "**** **** **** **** **** 1332"),
        ("es_dni", "12345678Z", "*******8Z"),
        ("card", "4111 1111 1111 1111", "**** **** **** 1111"),
        ("email", "lucia.martin@example.es", "l***@***.es"),
    ],
)
def test_masking_never_shows_the_value(kind: str, value: str, masked: str) -> None:
    assert mask_value(kind, value) == masked


def test_mask_text_and_positions() -> None:
    text = "Línea uno\nDNI 12345678Z, email a.b@example.com"
    assert mask_text(text) == "Línea uno\nDNI *******8Z, email a***@***.com"
    match = find_pii(text)[0]
    assert LineIndex(text).position(match.start) == (2, 5)


def test_type_filter_and_iban_shapes_are_not_cards() -> None:
    text = "IBAN ES00 4111 1111 1111 1111 00 is invalid; card 4111 1111 1111 1111."
    cards = find_pii(text, types=["card"])
    assert [m.value for m in cards] == ["4111 1111 1111 1111"]
    assert cards[0].start == text.rindex("4111 1111")
    with pytest.raises(ValueError, match="unknown PII types"):
        find_pii(text, types=["passport"])


def test_preload_validators_imports_every_checksum_module_a_candidate_would() -> None:
    """What `find_pii` imports on its first candidates, `preload_validators` imports up front."""
    code = (
        "import sys\n"
        "from genai_gate import pii\n"
        "before = {m for m in sys.modules if m.startswith(('stdnum', 'phonenumbers'))}\n"
        "pii.preload_validators()\n"
        "print(sorted(before), all(m in sys.modules for m in ("
        "'stdnum.luhn', 'stdnum.iban', 'stdnum.us.ssn', 'stdnum.es.nie', 'stdnum.es.cif', "
        "'stdnum.es.dni', 'phonenumbers')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["[]", "True"], done.stdout + done.stderr
