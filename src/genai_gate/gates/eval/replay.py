"""Replay: score recorded production transcripts with a suite's scorers, calling no target.

Each record is an eval case (`input`, optional `expected`, `context`, `session`, `tags`...)
together with the answer the agent gave in production (`response`, `tool_calls`, the same fields
as an injection replay record). The suite's scorers and thresholds judge the recorded answers
as if the target had just given them; its dataset and target are not used. Judge scorers
(`llm-judge`, `groundedness`) still ask `eval.judge`, or use their fallback without one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from genai_gate.errors import UsageError
from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.settings import EvalSettings
from genai_gate.transcript import RecordedAnswer

if TYPE_CHECKING:
    from genai_gate.config import LoadedConfig
    from genai_gate.gates.eval.details import RunFacts
    from genai_gate.results import GateResult

LIST_FIELDS = frozenset({"context", "tags"})
"""CSV columns holding `|`-separated lists."""


class RecordedCase(RecordedAnswer, Case):
    """One recorded production conversation: the fields of an eval dataset case, then the
    agent's answer (`response`, `tool_calls`: the same fields as an injection-test transcript)."""

    def case(self) -> Case:
        """The eval case, without the recorded answer."""
        return Case.model_construct(**{name: getattr(self, name) for name in Case.model_fields})


def load_recorded(path: Path) -> list[tuple[RecordedCase, int | None]]:
    """Every record of a transcript file (JSONL, YAML or CSV), validated, ids unique."""
    from genai_gate.gates.injection.records import check_unique_ids, load_records

    records = load_records(path, RecordedCase, list_fields=LIST_FIELDS)
    check_unique_ids(records, path)
    return records


def replay_suite(settings: EvalSettings, suites: list[str] | None) -> str:
    """The one suite whose scorers judge the transcripts (`--suite`, or the only default)."""
    from genai_gate.gates.eval.plan import select_suites

    names = select_suites(settings, suites, replay=True)
    if len(names) != 1:
        raise UsageError(
            "--replay scores the transcripts with one suite's scorers and thresholds: name it "
            f"with --suite (configured: {', '.join(settings.suites)})"
        )
    return names[0]


def replay_result(
    loaded: LoadedConfig,
    settings: EvalSettings,
    suite: str,
    path: Path,
    max_errors: int,
    progress: bool = False,
) -> GateResult:
    """Score every recorded answer of `path` with `suite`'s scorers; the eval gate's result.

    With `eval.budget_usd`, the judge calls the scorers would make are priced first, and a
    replay above the budget does not start."""
    from genai_gate.gates.eval.budget import estimate, not_started, over_budget
    from genai_gate.gates.eval.details import ReplaySource
    from genai_gate.gates.eval.evaluator import Evaluator, job_key
    from genai_gate.gates.eval.gate_result import assemble
    from genai_gate.gates.eval.plan import Source, plan_suite
    from genai_gate.gates.eval.verdict import policy

    records = load_recorded(path)
    target = f"replay:{path.name}"
    cases = [(record.case(), line) for record, line in records]
    plan = plan_suite(loaded, suite, settings.suites[suite], target, cases, Source(path, str(path)))
    extra: RunFacts = {
        "targets": {suite: target},
        "replay": ReplaySource(file=path.as_posix(), records=len(records)),
    }
    estimated = estimate(loaded, [plan], 1, {r.id: r.response for r, _ in records})
    if estimated is not None:
        extra["estimate"] = estimated
    refusal = over_budget(loaded, estimated, remedy="replay fewer records")
    if refusal is not None:
        return not_started(refusal, extra)
    recorded = {job_key(suite, record.id, 0): record.chat_response() for record, _ in records}
    evaluator = Evaluator(loaded, settings, 1, progress=progress, recorded=recorded)
    output = evaluator.run([plan])
    pol = policy(settings, [suite], max_errors, False, 1)
    return assemble(output.cases, pol, [], output.usage, error=output.error, extra=extra)
