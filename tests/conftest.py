"""Fixtures shared by several test modules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.mockllm import mock_llm_server


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    """Base URL of a real mock LLM server serving the example's script on a free port."""
    with mock_llm_server() as url:
        yield url
