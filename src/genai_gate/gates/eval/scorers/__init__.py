"""Scorers by name, and loading of custom scorers by dotted path (`package.module:Class`)."""

from __future__ import annotations

import importlib

from genai_gate.gates.eval.scorers.base import Scorer, ScorerConfigError

BUILTIN: dict[str, str] = {
    "exact": "genai_gate.gates.eval.scorers.exact:Exact",
    "contains": "genai_gate.gates.eval.scorers.contains:Contains",
    "contains-all": "genai_gate.gates.eval.scorers.contains:ContainsAll",
    "contains-any": "genai_gate.gates.eval.scorers.contains:ContainsAny",
    "not-contains": "genai_gate.gates.eval.scorers.contains:NotContains",
    "regex": "genai_gate.gates.eval.scorers.regex:Regex",
    "json-valid": "genai_gate.gates.eval.scorers.json_valid:JsonValid",
    "json-schema": "genai_gate.gates.eval.scorers.json_schema:JsonSchema",
    "tool-calls": "genai_gate.gates.eval.scorers.tool_calls:ToolCalls",
    "numeric": "genai_gate.gates.eval.scorers.numeric:Numeric",
    "token-f1": "genai_gate.gates.eval.scorers.token_f1:TokenF1",
    "rouge-l": "genai_gate.gates.eval.scorers.rouge_l:RougeL",
    "llm-judge": "genai_gate.gates.eval.scorers.llm_judge:LlmJudge",
    "groundedness": "genai_gate.gates.eval.scorers.groundedness:Groundedness",
}

AUTO = (
    "contains-all",
    "contains-any",
    "not-contains",
    "tool-calls",
    "regex",
    "numeric",
    "json-schema",
)
"""Scorers used when a suite says `scorers: auto`: each applies where the case's `expected`
gives it something to check."""


def scorer_class(name: str) -> type[Scorer]:
    """The class of a built-in scorer or of a `module:Class` / `module.Class` path."""
    path = BUILTIN.get(name)
    if path is None:
        if ":" not in name and "." not in name:
            known = ", ".join(sorted(BUILTIN))
            raise ScorerConfigError(f"unknown scorer {name!r} (built-in: {known}; or module:Class)")
        path = name if ":" in name else "{}:{}".format(*name.rsplit(".", 1))
    module_name, _, attr = path.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ScorerConfigError(f"cannot load scorer {name!r}: {exc}") from None
    if not (isinstance(cls, type) and issubclass(cls, Scorer)):
        raise ScorerConfigError(f"{name!r} is not a Scorer subclass")
    return cls
