"""Personal data detection: regex candidates confirmed by checksums (python-stdnum, phonenumbers).

Each type has a cheap candidate pattern; a candidate counts only when its validator accepts it
(DNI / NIE / CIF control letters, IBAN mod-97 plus the Spanish CCC check digits, card Luhn plus
issuer prefix and length, US SSN ranges, phone numbers valid for their region). Overlaps are
resolved by type priority, so an IBAN is not also reported as a card or a phone number.
Matches carry the raw value for the caller's own comparisons; reports use `masked` only.
"""

from __future__ import annotations

import bisect
import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, NamedTuple

PII_TYPES = ("email", "iban", "card", "es_nie", "es_cif", "es_dni", "us_ssn", "phone")
"""Every type reported, in priority order (earlier types win overlapping spans)."""


@dataclass(frozen=True)
class PiiMatch:
    """One confirmed item of personal data in a text."""

    type: str
    """One of PII_TYPES."""
    start: int
    """Offset of the first character in the scanned text."""
    end: int
    """Offset just past the last character."""
    value: str
    """The raw text (never put it in a report: use `masked`)."""

    @property
    def masked(self) -> str:
        """The value with all but a few trailing characters hidden."""
        return mask_value(self.type, self.value)

    @property
    def compact(self) -> str:
        """The value without separators, upper-cased (for comparisons)."""
        return compact(self.value)


def compact(value: str) -> str:
    """Letters and digits only, upper-cased: `ES91 2100-0418` -> `ES9121000418`."""
    return re.sub(r"[^0-9A-Za-z@.]", "", value).upper()


def mask_value(kind: str, value: str) -> str:
    """Hide a value, keeping its shape: `ES91 2100 0418` -> `**** **** **18`, `j***@***.es`."""
    if kind == "email":
        local, _, domain = value.partition("@")
        tld = domain.rsplit(".", 1)[-1]
        return f"{local[:1]}***@***.{tld}"
    alnum = sum(ch.isalnum() for ch in value)
    keep = 2 if alnum <= 9 else 4
    out, seen = [], 0
    for ch in value:
        if ch.isalnum():
            seen += 1
            out.append(ch if seen > alnum - keep else "*")
        else:
            out.append(ch)
    return "".join(out)


# --- candidate patterns -------------------------------------------------------------------------


def _led(first: str, pattern: str) -> re.Pattern[str]:
    """`pattern` behind a lookahead for the characters its matches begin with: the same matches,
    but a position where none can begin costs one set test instead of every branch."""
    return re.compile(f"(?={first})(?:{pattern})")


_IBAN = _led(
    "(?i:[A-Z])",
    r"\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,3})?\b"
    r"|(?i:\b[A-Z]{2} ?\d{2}(?:[ -]?[A-Z0-9]){11,30}\b)",
)
"""Grouped by four as printed, or lower-case / irregularly spaced (confirmed by mod-97)."""
_CARD = _led(r"\d", r"(?<![\w.,+-])\d{4}(?:[ -]?\d{2,4}){2,4}(?:[ -]?\d{1,3})?(?![\w]|[.,-]\d)")
_NIE = _led("[XYZxyz]", r"\b[XYZxyz][ .-]?\d(?:[ .]?\d){6}(?:[ .-]?[A-Z]|[.-]?[a-z])\b")
_CIF = _led("[ABCDEFGHJNPQRSUVW]", r"\b[ABCDEFGHJNPQRSUVW][ -]?\d{7}[ -]?[0-9A-J]\b")
_DNI = _led(
    r"\d", r"(?<![\d.])\d{2}(?:\.\d{3}\.\d{3}|\d{6}| \d{3} \d{3})(?:[ .-]?[A-Z]|[.-]?[a-z])\b"
)
"""`12345678Z`, `12.345.678-Z`, `12 345 678 Z`, `12345678z` (a lower-case letter attached)."""
_SSN = _led(r"\d", r"(?<![\w-])\d{3}([- ])\d{2}\1\d{4}(?![\w]|-\d)")
_SSN_LABELLED = re.compile(
    r"(?i)\b(?:ssn|social\s+security(?:\s+(?:number|no\.?|num(?:ber)?|#))?)"
    r"\W{0,4}(?:(?:is|was|es)\W{1,3})?"
    r"(?P<value>\d{9})(?!\w)"
)
"""Nine digits without dashes count only right after an SSN label."""
_SSN_LABEL_HINTS = ("ssn", "soc")
"""One of these is in every `_SSN_LABELLED` match, case-folded (`casefold` maps every character
its IGNORECASE accepts): the pattern runs only on texts that hold one."""
_PHONE = _led(
    r"[+(\d]",
    r"(?<![\w+.,/-])(?:(?:\+|00)\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}"
    r"(?![\w]|[.,/-]\d)"
    r"|(?<![\w+.,/-])(?:\+|00)\d{8,14}(?![\w]|[.,/-]\d)"
    r"|(?<=[:\s])\d{9,11}(?![\w]|[.,/-]\d)",
)
_DATE = re.compile(r"\d{1,4}([./-])\d{1,2}\1\d{1,4}")
_PHONE_CUE = re.compile(
    r"(?i)(?:phone|tel[eé]fono|tel\.?|m[oó]vil|mobile|cell|call|llam[ae]|whatsapp|fax)\W{0,3}$"
)

# Card issuers: (prefix ranges, allowed lengths).
_ISSUERS: tuple[tuple[tuple[tuple[int, int], ...], tuple[int, ...]], ...] = (
    (((4, 4),), (13, 16, 19)),  # Visa
    (((51, 55), (2221, 2720)), (16,)),  # Mastercard
    (((34, 34), (37, 37)), (15,)),  # American Express
    (((6011, 6011), (65, 65), (644, 649)), (16, 19)),  # Discover
    (((300, 305), (36, 36), (38, 39)), (14, 16)),  # Diners Club
    (((3528, 3589),), (16, 19)),  # JCB
    (((62, 62),), (16, 17, 18, 19)),  # UnionPay
)


def _issuer_ok(digits: str) -> bool:
    for ranges, lengths in _ISSUERS:
        if len(digits) not in lengths:
            continue
        for low, high in ranges:
            width = len(str(low))
            if low <= int(digits[:width]) <= high:
                return True
    return False


def _is_valid(module: str) -> Callable[[str], bool]:
    """`is_valid` of a python-stdnum module, imported when a candidate first needs it: stdnum
    imports ssl and pydoc (tens of ms), which a text without candidates never pays. Answers are
    kept per value (a record quoted in many texts is validated once)."""
    _VALIDATORS.append(f"stdnum.{module}")
    return lru_cache(maxsize=4096)(lambda value: bool(_stdnum(module).is_valid(value)))


_VALIDATORS = ["phonenumbers"]
"""The modules the checks import on their first candidate."""


def preload_validators() -> None:
    """Import every validator now (e.g. in a background thread) rather than on a first
    candidate."""
    for name in _VALIDATORS:
        importlib.import_module(name)


@cache
def _stdnum(module: str) -> Any:
    return importlib.import_module(f"stdnum.{module}")


_luhn, _iban, _ssn = _is_valid("luhn"), _is_valid("iban"), _is_valid("us.ssn")


def _valid_card(digits: str) -> bool:
    return _issuer_ok(digits) and _luhn(digits)


def _prefixes(candidate: str) -> Iterator[str]:
    """The candidate, then shorter prefixes ending at separator boundaries (longest first)."""
    yield candidate
    for cut in sorted((m.start() for m in re.finditer(r"[ -]", candidate)), reverse=True):
        yield candidate[:cut]


def _confirm_iban(text: str) -> str | None:
    for prefix in _prefixes(text):
        if len(compact(prefix)) >= 15 and _iban(prefix):
            return prefix
    return None


def _confirm_card(text: str) -> str | None:
    for prefix in _prefixes(text):
        if _valid_card(re.sub(r"\D", "", prefix)):
            return prefix
    return None


def _confirm_ssn(text: str) -> str | None:
    return text if _ssn(text.replace(" ", "-")) else None


def _compact_checker(validate: Callable[[str], bool]) -> Callable[[str], str | None]:
    """Validated without its separators and in upper case (`12.345.678-z` -> `12345678Z`)."""
    return lambda text: text if validate(re.sub(r"[ .-]", "", text).upper()) else None


def _checker(validate: Callable[[str], bool]) -> Callable[[str], str | None]:
    return lambda text: text if validate(text) else None


class _PhoneConfirm:
    """Phone numbers valid for their (explicit or default) region, via phonenumbers."""

    def __init__(self, regions: tuple[str, ...]) -> None:
        self.regions = regions

    def __call__(self, text: str, full: str, start: int) -> str | None:
        digits = sum(ch.isdigit() for ch in text)
        if not 8 <= digits <= 15 or _DATE.fullmatch(text):
            return None
        international = text.startswith(("+", "00"))
        grouped = bool(re.search(r"\d[ .\-()]\d", text)) or "(" in text
        if not (international or grouped or _PHONE_CUE.search(full[max(0, start - 24) : start])):
            return None  # a bare run of digits is an order number until something says otherwise
        number = "+" + text[2:] if text.startswith("00") else text
        return text if _valid_phone(number, (None,) if international else self.regions) else None


@lru_cache(maxsize=4096)
def _valid_phone(number: str, regions: tuple[str | None, ...]) -> bool:
    """Whether `number` is a valid phone number of one of `regions` (None: its own `+` code)."""
    import phonenumbers  # imported by the first candidate (tens of ms)

    for region in regions:
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            continue
        if len(str(parsed.national_number)) >= 8 and phonenumbers.is_valid_number(parsed):
            return True
    return False


_SIMPLE: dict[str, tuple[re.Pattern[str], Callable[[str], str | None]]] = {
    "iban": (_IBAN, _confirm_iban),
    "card": (_CARD, _confirm_card),
    "es_nie": (_NIE, _compact_checker(_is_valid("es.nie"))),
    "es_cif": (_CIF, _checker(_is_valid("es.cif"))),
    "es_dni": (_DNI, _compact_checker(_is_valid("es.dni"))),
    "us_ssn": (_SSN, _confirm_ssn),
}


_RUN = re.compile(r"\d[\d .()/+-]*")
_ASCII_RUN = re.compile(r"[0-9][0-9 .()/+-]*")
"""`_RUN` for ASCII text, where `\\d` is `[0-9]`: a range test per character, not a Unicode
category lookup (a third fewer instructions)."""
_CONTEXT = 6
"""Characters kept around each run of digits: room for `ES91`, `X`, `+34 (`, a DNI letter."""
_LOCAL_PART = re.compile(r"[^\W_][\w.%+'-]{0,63}$")
"""Unicode letters and digits allowed (internationalised addresses, accented names)."""
_DOMAIN = re.compile(r"[^\W_][\w-]*(?:\.[^\W_][\w-]*)*\.(?P<tld>[^\W\d_]{2,})")
FILE_EXTENSIONS = frozenset(
    (
        *("png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "tif", "tiff", "avif"),
        *("heic", "pdf", "css", "js", "mjs", "json", "html", "htm", "txt", "md", "csv", "xml"),
        *("yaml", "yml", "zip", "gz", "tgz", "mp3", "mp4", "wav", "woff", "woff2", "ttf"),
    )
)
"""`logo@2x.png`, `icon@3x.webp`: a file name, not an address."""


class _Window(NamedTuple):
    """A part of a text around runs of digits."""

    start: int
    """Offset in the text."""
    text: str
    longest: int
    """Length of its longest run."""
    lettered: bool
    """Whether one of its runs starts with two digits right after a letter (or a letter and a
    space): where the check digits of an IBAN candidate are."""


def _lettered(text: str, first: int) -> bool:
    """Whether the run at `first` begins with two digits right after a letter or a letter and a
    space (the letters IGNORECASE reads as `[A-Z]` are all alphabetic)."""
    if not text[first + 1].isdecimal() or first == 0:
        return False
    before = text[first - 1]
    return before.isalpha() or (before == " " and first >= 2 and text[first - 2].isalpha())


class _DigitView:
    """The parts of a text around runs of digits (windows), joined by newlines, with an offset
    map.

    Every pattern but the email one needs digits, so scanning this view instead of the whole
    text finds the same candidates (no pattern crosses a newline) at a fraction of the cost.
    """

    def __init__(self, windows: list[_Window], lead: str = "", trail: str = "") -> None:
        """`windows` in order; `lead` and `trail` go before the first and after the last."""
        self.windows = windows
        self._real_starts = [window.start for window in windows]
        self._view_starts: list[int] = []
        offset = len(lead)
        for window in windows:
            self._view_starts.append(offset)
            offset += len(window.text) + 1
        self.text = lead + "\n".join(window.text for window in windows) + trail

    @classmethod
    def of(cls, text: str) -> _DigitView:
        """The view of `text`."""
        spans: list[list[int]] = []  # start, end, longest run, whether a run is lettered
        for run in (_ASCII_RUN if text.isascii() else _RUN).finditer(text):
            first, last = run.span()
            start, end = max(0, first - _CONTEXT), min(len(text), last + _CONTEXT)
            lettered = int(last - first >= 2 and _lettered(text, first))
            if spans and start <= spans[-1][1]:
                spans[-1][1] = end
                spans[-1][2] = max(spans[-1][2], last - first)
                spans[-1][3] |= lettered
            else:
                spans.append([start, end, last - first, lettered])
        return cls([_Window(s, text[s:e], longest, bool(lt)) for s, e, longest, lt in spans])

    def narrowed(self, digits: int, lettered: bool = False) -> _DigitView:
        """The windows with a run at least `digits` long (and `lettered`, if asked), each
        between the same neighbours (a newline or an end of the text) as here: a pattern whose
        every match holds such a run finds the same candidates in it, without scanning the
        other windows."""
        chosen = [
            i
            for i, window in enumerate(self.windows)
            if window.longest >= digits and (window.lettered or not lettered)
        ]
        if len(chosen) == len(self.windows):
            return self
        if not chosen:
            return _DigitView([])
        lead = "\n" if chosen[0] > 0 else ""
        trail = "\n" if chosen[-1] < len(self.windows) - 1 else ""
        return _DigitView([self.windows[i] for i in chosen], lead, trail)

    def real(self, offset: int) -> int:
        """Offset in the original text of an offset in the view."""
        index = bisect.bisect_right(self._view_starts, offset) - 1
        return self._real_starts[index] + offset - self._view_starts[index]


_RUN_DIGITS = {
    "iban": 2,  # the check digits, in a lettered run; the rest may be letters
    "card": 8,
    "es_nie": 7,
    "es_cif": 7,
    "es_dni": 8,
    "us_ssn": 9,
    "phone": 4,  # two groups of two: `(0) 91 23`
}
"""The fewest digits of one run (`_RUN`) in any candidate of each type's pattern: only the
windows holding such a run are scanned for that type (most runs are short numbers: list items,
versions, budgets)."""


def _emails(text: str) -> Iterator[tuple[int, str]]:
    """(start, address) of every email address (found from its `@`, then expanded)."""
    position = text.find("@")
    while position != -1:
        local = _LOCAL_PART.search(text, max(0, position - 64), position)
        domain = _DOMAIN.match(text, position + 1)
        if domain and domain.group("tld").lower() in FILE_EXTENSIONS:
            domain = None
        if local and domain:
            yield local.start(), text[local.start() : domain.end()]
        position = text.find("@", position + 1)


_PHONE_ENTRY: tuple[re.Pattern[str], Callable[[str], str | None]] = (_PHONE, lambda text: text)

_RESERVING = ("iban", "us_ssn")
"""Types whose shape alone (`ES.. ....`, `ddd-dd-dddd`) rules out lower-priority readings."""


_ANY_CUE = re.compile(r"[\d@]")
"""Every type needs a digit (the patterns scan the runs of digits) but the email address (its
`@`): a text with neither holds no personal data."""


def _may_hold(text: str, hints: tuple[str, ...]) -> bool:
    """Whether `text`, case-folded, contains one of `hints`."""
    folded = text.casefold()
    return any(hint in folded for hint in hints)


def find_pii(
    text: str, *, regions: tuple[str, ...] = ("ES", "US"), types: Iterable[str] | None = None
) -> list[PiiMatch]:
    """Every confirmed item of personal data in `text`, ordered by position.

    `regions` are the countries tried for phone numbers written without a `+` prefix.
    """
    wanted = set(PII_TYPES if types is None else types)
    unknown = wanted - set(PII_TYPES)
    if unknown:
        raise ValueError(f"unknown PII types: {', '.join(sorted(unknown))}")
    if not _ANY_CUE.search(text):
        return []
    taken: list[tuple[int, int]] = []
    found: list[PiiMatch] = []

    def free(start: int, end: int) -> bool:
        index = bisect.bisect_left(taken, (start, start))
        if index > 0 and taken[index - 1][1] > start:
            return False
        return not (index < len(taken) and taken[index][0] < end)

    def add(kind: str, start: int, value: str, *, report: bool = True) -> None:
        end = start + len(value)
        if free(start, end):
            bisect.insort(taken, (start, end))
            if report:
                found.append(PiiMatch(kind, start, end, value))

    phone = _PhoneConfirm(tuple(regions))
    view = _DigitView.of(text)
    for kind in PII_TYPES:
        if kind not in wanted and kind not in _RESERVING:
            continue
        if kind == "email":
            for start, value in _emails(text):
                add(kind, start, value)
            continue
        pattern, confirm = _PHONE_ENTRY if kind == "phone" else _SIMPLE[kind]
        narrowed = view.narrowed(_RUN_DIGITS[kind], lettered=kind == "iban")
        for match in pattern.finditer(narrowed.text):
            start = narrowed.real(match.start())
            if kind == "phone":
                confirmed = phone(match.group(), text, start)
            else:
                confirmed = confirm(match.group())
            if confirmed:
                add(kind, start, confirmed, report=kind in wanted)
            elif kind in _RESERVING and match.group()[:2].isupper():
                # shaped like one (as printed), but invalid: not a card or phone either
                add(kind, start, match.group(), report=False)
        if kind == "us_ssn" and _may_hold(text, _SSN_LABEL_HINTS):
            for match in _SSN_LABELLED.finditer(text):
                if _ssn(match.group("value")):
                    add(kind, match.start("value"), match.group("value"), report=kind in wanted)
    found.sort(key=lambda m: m.start)
    return found


def mask_text(text: str, matches: Iterable[PiiMatch] | None = None) -> str:
    """`text` with every item of personal data replaced by its masked form."""
    items = sorted(find_pii(text) if matches is None else matches, key=lambda m: m.start)
    out, pos = [], 0
    for item in items:
        out.append(text[pos : item.start])
        out.append(item.masked)
        pos = item.end
    out.append(text[pos:])
    return "".join(out)


class LineIndex:
    """Offsets -> 1-based (line, column) for one text."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of `offset`."""
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1
