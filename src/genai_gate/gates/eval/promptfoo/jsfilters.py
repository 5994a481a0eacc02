"""Nunjucks filters and value printing as JavaScript does them, where jinja2's differ.

Checked against promptfoo 0.123.1 (tests/data/eval/promptfoo-oracle/d): JavaScript prints
`true`, `2` (not `True`, `2.0`), `Math.round` rounds halves up, `parseInt("12abc")` is 12,
Nunjucks' `title` capitalises after spaces only.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from jinja2 import Undefined

_INT = re.compile(r"\s*([+-]?\d+)")
_FLOAT = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")


def js_string(value: Any) -> str:
    """`String(value)` as Nunjucks prints it (undefined and null print nothing)."""
    if value is None or isinstance(value, Undefined):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    if isinstance(value, (list, tuple)):
        return ",".join("" if v is None else js_string(v) for v in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


def _js_numbers(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, list):
        return [_js_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _js_numbers(v) for k, v in value.items()}
    return value


def dump(value: Any, indent: int | None = None) -> str:
    """Nunjucks `dump`: JSON.stringify (compact unless an indent is given)."""
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(_js_numbers(value), ensure_ascii=False, indent=indent, separators=separators)


def title(value: Any) -> str:
    """Nunjucks `title`: each space-separated word capitalised, the rest lower-cased."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in js_string(value).split(" "))


def round_(value: Any, precision: int = 0, method: str = "common") -> float:
    """Nunjucks `round`: Math.round (halves up), Math.ceil or Math.floor at `precision`."""
    factor = 10.0**precision
    scaled = float(value) * factor
    if method == "ceil":
        rounded = math.ceil(scaled)
    elif method == "floor":
        rounded = math.floor(scaled)
    else:
        rounded = math.floor(scaled + 0.5)
    return rounded / factor


def int_(value: Any, default: int = 0) -> int:
    """Nunjucks `int`: parseInt(value, 10), `default` when that is NaN."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    match = _INT.match(js_string(value))
    return int(match.group(1)) if match else default


def float_(value: Any, default: float = 0.0) -> float:
    """Nunjucks `float`: parseFloat(value), `default` when that is NaN."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    match = _FLOAT.match(js_string(value))
    return float(match.group(1)) if match else default


def join(value: Any, separator: str = "", attribute: str | None = None) -> str:
    """Nunjucks `join`: items (or their `attribute`) printed as JavaScript does, joined."""
    items = list(value or [])
    if attribute is not None:
        items = [item.get(attribute) if isinstance(item, dict) else None for item in items]
    return separator.join(js_string(item) for item in items)


FILTERS = {
    "dump": dump,
    "title": title,
    "round": round_,
    "int": int_,
    "float": float_,
    "join": join,
    "string": js_string,
}
"""jinja2 filters replaced by their Nunjucks behaviour."""
