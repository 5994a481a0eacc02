"""Which HTTP header lines can be sent: checked when a target is built (from genai-gate.yaml and
the environment) and by the HTTP client, without importing the client."""

from __future__ import annotations

import re

TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""An HTTP token (RFC 9110): a header name or a method."""
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_FRAMING_HEADERS = {"content-length", "transfer-encoding"}


def header_problem(name: str, value: str) -> str | None:
    """Why `name: value` cannot be sent as one header line (None when it can).

    The value is never quoted in the message: it may be a credential.
    """
    if not TOKEN.fullmatch(name):
        return f"invalid HTTP header name {name!r}"
    if name.lower() in _FRAMING_HEADERS:
        return f"header {name!r} is set by the client; remove it"
    if _BAD_VALUE.search(value):
        return (
            f"header {name!r}: the value contains CR, LF, NUL or another control character "
            "(a trailing newline in a secret?)"
        )
    return None
