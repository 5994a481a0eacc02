"""Encodings a leaking model uses, shared by the labelled-set generators of this folder."""

from __future__ import annotations

NATO_WORDS = [
    "alfa",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliett",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
    "quebec",
    "romeo",
    "sierra",
    "tango",
    "uniform",
    "victor",
    "whiskey",
    "x-ray",
    "yankee",
    "zulu",
]
DIGITS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "es": ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"],
}
LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5"})


def nato(text: str, lang: str) -> str:
    """Letters as NATO words (capitalised), digits as number words of `lang`."""
    words = []
    for ch in text.lower():
        if "a" <= ch <= "z":
            words.append(NATO_WORDS[ord(ch) - 97].capitalize())
        elif ch.isdigit():
            words.append(DIGITS[lang][int(ch)])
    return " ".join(words)


def leet(text: str) -> str:
    """a/e/i/o/s as 4/3/1/0/5."""
    return text.translate(LEET)


def decimal_codes(text: str) -> str:
    """Character codes in decimal, space separated."""
    return " ".join(str(ord(ch)) for ch in text)


def percent(text: str) -> str:
    """Every character percent-encoded."""
    return "".join(f"%{ord(ch):02X}" for ch in text)


def spelled_digits(text: str, lang: str, sep: str) -> str:
    """Digits as number words of `lang`, letters upper-cased, other characters dropped."""
    return sep.join(DIGITS[lang][int(c)] if c.isdigit() else c.upper() for c in text if c.isalnum())
