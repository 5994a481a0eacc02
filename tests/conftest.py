"""Fixtures shared by several test modules."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from support.e2e import Env, e2e_env, wall_report
from support.mockllm import mock_llm_server


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    """Base URL of a real mock LLM server serving the example's script on a free port."""
    with mock_llm_server() as url:
        yield url


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Env]:
    """The act end-to-end environment of one module (support/e2e.py); prints its act runs'
    wall times when the module ends."""
    started = time.perf_counter()
    with e2e_env(tmp_path_factory.mktemp("e2e")) as shared:
        yield shared
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is not None:
        with capture.global_and_fixture_disabled():
            print("\n" + wall_report(started), flush=True)
