"""--verbose masking: what a log line may never show."""

from __future__ import annotations

import pytest

from genai_gate.logs import mask_headers, mask_text


def test_credential_headers_are_masked_whatever_their_case() -> None:
    headers = {
        "authorization": "Bearer sk-live-abc",
        "Api-Key": "azure-secret",
        "X-Goog-Api-Key": "AIza-secret",
        "Proxy-Authorization": "Basic dXNlcjpwYXNz",
        "Content-Type": "application/json",
    }
    assert mask_headers(headers) == {
        "authorization": "***",
        "Api-Key": "***",
        "X-Goog-Api-Key": "***",
        "Proxy-Authorization": "***",
        "Content-Type": "application/json",
    }


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("retry after 429 (Authorization: Bearer abc.def-ghi)", "abc.def-ghi"),
        ("proxy said Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
        ("POST https://x.example/v1beta/models?key=AIzaSyA-123&alt=sse", "AIzaSyA-123"),
        ("GET /search?q=fees&access_token=tok_987", "tok_987"),
        ("invalid key sk-proj-0123456789abcdef", "sk-proj-0123456789abcdef"),
        ("token ghp_0123456789abcdefABCDEF", "ghp_0123456789abcdefABCDEF"),
    ],
)
def test_secrets_in_log_text_are_masked(text: str, secret: str) -> None:
    masked = mask_text(text)
    assert secret not in masked
    assert "***" in masked


def test_ordinary_text_is_left_alone() -> None:
    text = "POST http://127.0.0.1:8765/v1/chat/completions?q=keyboard -> HTTP 200, 380 bytes"
    assert mask_text(text) == text
