"""`--verbose`: log records of the `genai_gate` loggers on standard error, secrets masked.

Requests, retries and their timings are logged at DEBUG by the modules that make them
(`logging.getLogger(__name__)`). `mask_headers` is the one place that decides which header
values are secret.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping

SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "api-key", "x-api-key", "cookie", "set-cookie"}
)
_SECRET_NAME = re.compile(r"(key|token|secret|password|auth)", re.IGNORECASE)
_BEARER = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
_KEY_LIKE = re.compile(r"\b(sk|pk|rk|ghp|gho|ghs|xox[abp])[-_][A-Za-z0-9_-]{8,}")
_SECRET_QUERY = re.compile(
    r"([?&](?:api[-_]?key|key|token|access_token|auth|sig|signature|password)=)[^&#\s'\"]+",
    re.IGNORECASE,
)
MASK = "***"


def mask_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers with the value of every credential-bearing header replaced by `***`."""
    return {
        name: MASK if name.lower() in SECRET_HEADERS or _SECRET_NAME.search(name) else value
        for name, value in headers.items()
    }


def mask_text(text: str) -> str:
    """`text` with bearer/basic credentials, API-key-like tokens and secret URL query
    parameters (`?key=...`, `&token=...`) replaced by `***`."""
    text = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _SECRET_QUERY.sub(lambda m: m.group(1) + MASK, text)
    return _KEY_LIKE.sub(MASK, text)


class _MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_text(super().format(record))


def configure(verbose: bool) -> None:
    """Send `genai_gate` DEBUG records to stderr when `verbose`; otherwise leave logging alone."""
    if not verbose:
        return
    logger = logging.getLogger("genai_gate")
    if any(getattr(h, "_genai_gate", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_MaskingFormatter("genai-gate: %(levelname)s %(name)s: %(message)s"))
    handler._genai_gate = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
