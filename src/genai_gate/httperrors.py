"""The reason of a failed `requests` call in a few words (not urllib3's nested repr)."""

from __future__ import annotations

import re

import requests

_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")]+)")


def failure_reason(exc: requests.RequestException, fallback: str) -> str:
    """`connect timeout`, `read timeout`, the OS error text (`Connection refused`) or `fallback`."""
    if isinstance(exc, requests.ConnectTimeout):
        return "connect timeout"
    if isinstance(exc, requests.Timeout):
        return "read timeout"
    match = _ERRNO.search(str(exc))
    return match.group(1).strip() if match else fallback
