"""The collector settings of a run are restored afterwards, also after an error or when nested."""

from __future__ import annotations

import gc

import pytest

from genai_gate.gcpolicy import THRESHOLDS, few_collections


def test_a_run_freezes_and_raises_thresholds_then_restores_them() -> None:
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    with few_collections():
        assert gc.get_threshold() == THRESHOLDS
        assert gc.get_freeze_count() > frozen  # what was alive at entry is never rescanned
        with few_collections():  # a runner inside the eval engine
            assert gc.get_threshold() == THRESHOLDS
        assert gc.get_threshold() == THRESHOLDS and gc.get_freeze_count() > frozen
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen


def test_settings_are_restored_after_an_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), few_collections():
        raise RuntimeError("target crashed")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
