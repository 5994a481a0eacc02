"""The `injection:` sections of the example agents, for tests of the suite and the engine."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from genai_gate.config import load_config
from genai_gate.gates.injection.settings import InjectionSettings
from genai_gate.gates.injection.suite import Attack, Scenario, build_suite

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@cache
def example_settings(name: str) -> InjectionSettings:
    """The injection settings of `examples/<name>/genai-gate.yaml`."""
    loaded = load_config(EXAMPLES / name / "genai-gate.yaml")
    assert loaded.model.injection is not None
    return loaded.model.injection


def example_suite(name: str = "bank-support-agent") -> list[Attack]:
    """The built-in suite as generated for an example agent's profile."""
    settings = example_settings(name)
    scenario = Scenario(**settings.scenario.model_dump())
    return build_suite(scenario, settings.profile, tuple(settings.tool_policy.sensitive))
