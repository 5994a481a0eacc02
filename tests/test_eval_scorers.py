"""Eval scorers: each returns a score in [0, 1] with a reason; bad parameters are config errors."""

from __future__ import annotations

from typing import Any

import pytest

from genai_gate.gates.eval.case import Case
from genai_gate.gates.eval.scorers import BUILTIN, scorer_class
from genai_gate.gates.eval.scorers.base import (
    InvalidVerdict,
    Sample,
    Score,
    Scorer,
    ScorerConfigError,
    parse_json_verdict,
)
from genai_gate.gates.eval.scorers.numeric import numbers_in
from genai_gate.gates.eval.scorers.rouge_l import rouge_l
from genai_gate.gates.eval.scorers.token_f1 import f1
from genai_gate.targets.interface import ChatResponse, ToolCall


def sample(answer: str = "", calls: tuple[ToolCall, ...] = (), **case: Any) -> Sample:
    data = {"id": "c", "input": "q", **case}
    return Sample(Case.model_validate(data), ChatResponse(content=answer, tool_calls=calls))


def score(name: str, smp: Sample, **params: Any) -> Score:
    scorer = scorer_class(name)(params)
    assert scorer.applies(smp.case)
    result = scorer.score(smp)
    assert 0.0 <= result.value <= 1.0 and result.reason
    return result


def test_exact_ignores_case_and_whitespace() -> None:
    assert score("exact", sample(" Hello   World "), value="hello world").value == 1
    assert score("exact", sample("Hello"), value="hello", case_sensitive=True).value == 0
    ref = sample("Paris", expected={"answer": "paris"})
    assert score("exact", ref).value == 1


def test_contains_family_reads_expected_fields() -> None:
    smp = sample(
        "Your balance is 1,250.40 EUR.",
        expected={"facts": ["1,250.40", "eur", "ACC-1"], "any_of": ["GBP", "EUR"]},
    )
    partial = score("contains-all", smp)
    assert partial.value == pytest.approx(2 / 3) and "'ACC-1'" in partial.reason
    assert score("contains-any", smp).value == 1
    assert score("contains", smp, value="BALANCE").value == 1
    assert score("contains", smp, value="BALANCE", case_sensitive=True).value == 0
    bad = sample("Your PIN is 1234", expected={"not_contains": ["pin is"]})
    result = score("not-contains", bad)
    assert result.value == 0 and "forbidden" in result.reason
    assert not scorer_class("contains-all")({}).applies(sample("x").case)


def test_regex_and_negation() -> None:
    assert score("regex", sample("ref TX-12345"), pattern=r"TX-\d{5}").value == 1
    assert score("regex", sample("ref TX-12345"), pattern=r"TX-\d{5}", negate=True).value == 0
    assert score("regex", sample("abc", expected={"regex": "^A"}), ignore_case=True).value == 1
    with pytest.raises(ScorerConfigError, match="invalid regular expression"):
        scorer_class("regex")({"pattern": "("})


def test_json_valid_and_schema() -> None:
    assert score("json-valid", sample('```json\n{"a": 1}\n```')).value == 1
    assert "not valid JSON" in score("json-valid", sample("{a: 1}")).reason
    schema = {
        "type": "object",
        "required": ["balance"],
        "properties": {"balance": {"type": "number"}},
    }
    assert score("json-schema", sample('{"balance": 3.5}'), schema=schema).value == 1
    wrong = score("json-schema", sample('{"balance": "3.5"}'), schema=schema)
    assert wrong.value == 0 and "balance" in wrong.reason
    with pytest.raises(ScorerConfigError, match="invalid JSON Schema"):
        scorer_class("json-schema")({"schema": {"type": "nope"}})


def call(name: str, **arguments: Any) -> ToolCall:
    return ToolCall(name=name, arguments=arguments)


def test_tool_calls_names_arguments_and_order() -> None:
    expected = {
        "tool_calls": [
            {"name": "get_account_balance", "arguments": {"account_id": "ACC-1"}},
            {"name": "transfer_funds", "arguments": {"amount": 50, "to": {"regex": "ES\\d+"}}},
        ]
    }
    good = (
        call("get_account_balance", account_id="ACC-1"),
        call("transfer_funds", amount="50.0", to="ES12"),
    )
    assert score("tool-calls", sample(calls=good, expected=expected)).value == 1
    wrong_arg = (call("get_account_balance", account_id="ACC-2"), good[1])
    result = score("tool-calls", sample(calls=wrong_arg, expected=expected))
    assert result.value == 0.5 and "account_id='ACC-2'" in result.reason
    reversed_calls = (good[1], good[0])
    assert score("tool-calls", sample(calls=reversed_calls, expected=expected)).value == 1
    ordered = {**expected, "tool_order": True}
    assert score("tool-calls", sample(calls=reversed_calls, expected=ordered)).value == 0.5
    extra = (*good, call("close_account"))
    assert "unexpected" in score("tool-calls", sample(calls=extra, expected=expected)).reason
    assert score("tool-calls", sample(calls=extra, expected=expected), allow_extra=True).value == 1


def test_empty_expected_tool_calls_forbids_any_call() -> None:
    none_allowed = {"tool_calls": []}
    assert score("tool-calls", sample("hi", expected=none_allowed)).value == 1
    result = score("tool-calls", sample(calls=(call("transfer_funds"),), expected=none_allowed))
    assert result.value == 0 and "no tool call allowed" in result.reason
    assert not scorer_class("tool-calls")({}).applies(sample().case)


def test_numeric_tolerance_and_number_formats() -> None:
    assert numbers_in("1,250.40 or 1.250,40 and -3") == [1250.4, 1250.4, -3.0]
    smp = sample("You have 1,250.40 EUR", expected={"number": 1250.4})
    assert score("numeric", smp).value == 1
    assert score("numeric", sample("about 1,249"), value=1250.4).value == 0
    assert score("numeric", sample("about 1,249"), value=1250.4, abs_tol=2).value == 1


def test_overlap_scorers() -> None:
    assert f1(["a", "b"], ["a", "b"]) == 1.0
    assert f1(["a", "b", "c", "d"], ["a", "b"]) == pytest.approx(2 / 3)
    assert rouge_l(["the", "cat", "sat"], ["the", "cat", "on", "sat"]) == pytest.approx(6 / 7)
    smp = sample("The cat sat.", expected={"answer": "the cat sat on the mat"})
    assert score("token-f1", smp).value == pytest.approx(2 * 1 * 0.5 / 1.5)
    assert score("rouge-l", smp).value == pytest.approx(2 * 1 * 0.5 / 1.5)
    assert scorer_class("rouge-l").default_threshold == 0.5


def test_judge_verdict_parsing() -> None:
    assert parse_json_verdict('{"score": 0.8, "reason": "ok"}') == (0.8, "ok")
    assert parse_json_verdict('```json\n{"score": 1}\n```') == (1.0, "")
    for bad, why in [
        ("Looks good!", "not JSON"),
        ("[1]", "JSON object"),
        ('{"score": "high"}', "must be a number"),
        ('{"score": true}', "must be a number"),
        ('{"score": 7}', "within"),
        ('{"score": 1, "reason": 3}', "reason"),
    ]:
        with pytest.raises(InvalidVerdict, match=why):
            parse_json_verdict(bad)


def test_llm_judge_prompt_carries_rubric_reference_and_answer() -> None:
    judge = scorer_class("llm-judge")({"rubric": "Mentions the fee."})
    smp = sample("There is no fee.", expected={"answer": "The fee is 2 EUR."})
    messages = judge.judge_messages(smp)
    assert "JSON" in messages[0]["content"]
    assert "Mentions the fee." in messages[1]["content"]
    assert "REFERENCE:\nThe fee is 2 EUR." in messages[1]["content"]
    assert messages[1]["content"].endswith("ANSWER:\nThere is no fee.")
    with pytest.raises(ScorerConfigError, match="needs a judge"):
        judge.score(smp)


def test_groundedness_lexical_fallback_is_labelled() -> None:
    context = ["Branches are open from 9:00 to 17:00, Monday to Friday."]
    grounded = sample("Branches are open 9:00 to 17:00 Monday to Friday.", context=context)
    result = score("groundedness", grounded)
    assert result.value == 1 and result.method == "lexical fallback"
    invented = sample(
        "Branches open 9:00. Saturday brunch costs twelve euros downtown.", context=context
    )
    result = score("groundedness", invented)
    assert result.value == 0.5 and result.reason.startswith("lexical fallback: unsupported")
    assert not scorer_class("groundedness")({}).applies(sample().case)


def test_unknown_scorer_and_bad_params_are_clear() -> None:
    with pytest.raises(ScorerConfigError, match=r"unknown scorer 'contain-all'.*contains-all"):
        scorer_class("contain-all")
    with pytest.raises(ScorerConfigError, match=r"cannot load scorer 'nope\.module:X'"):
        scorer_class("nope.module:X")
    with pytest.raises(ScorerConfigError, match="is not a Scorer subclass"):
        scorer_class("json:dumps")
    with pytest.raises(ScorerConfigError, match="valuez: Extra inputs"):
        scorer_class("contains")({"valuez": "x"})


class ShortAnswer(Scorer):
    """A custom scorer loaded by dotted path."""

    name = "short"

    def score(self, sample: Sample) -> Score:
        return Score(1.0 if len(sample.answer) < 10 else 0.0, "length check")


def test_custom_scorer_by_dotted_path() -> None:
    cls = scorer_class(f"{__name__}:ShortAnswer")
    assert cls is ShortAnswer
    assert scorer_class(f"{__name__}.ShortAnswer") is ShortAnswer
    assert cls({}).score(sample("tiny")).value == 1


def test_every_builtin_scorer_loads() -> None:
    for name in BUILTIN:
        assert scorer_class(name).name == name
