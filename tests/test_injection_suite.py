"""The built-in attack suite: size, coverage, determinism, sampling, requests and paraphrases."""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from support.profiles import example_settings, example_suite

from genai_gate.gates.injection import obfuscate
from genai_gate.gates.injection.attack_run import (
    build_request,
    new_canary,
    victim_values,
)
from genai_gate.gates.injection.catalog import CATEGORIES, default_threshold
from genai_gate.gates.injection.command import select_attacks
from genai_gate.gates.injection.normalize import find_secret
from genai_gate.gates.injection.paraphrase import paraphrase_attacks
from genai_gate.gates.injection.settings import InjectionSettings
from genai_gate.gates.injection.suite import (
    SUITE_VERSION,
    Scenario,
    build_suite,
    sample,
    suite_digest,
)
from genai_gate.pii import find_pii
from genai_gate.runner import Runner
from genai_gate.targets.mock import MockTarget


def test_suite_has_several_hundred_distinct_attacks_in_every_category_and_language() -> None:
    attacks = example_suite()
    assert len(attacks) >= 400
    assert len({a.id for a in attacks}) == len(attacks)
    assert len({(a.user, a.payload) for a in attacks}) == len(attacks)
    pairs = Counter((a.category, a.language) for a in attacks)
    assert {c for c, _ in pairs} == set(CATEGORIES)
    assert all(pairs[(c, lang)] >= 10 for c in CATEGORIES for lang in ("en", "es"))
    assert {a.delivery for a in attacks} == {"user", "document", "tool_output"}
    for attack in attacks:
        meta = CATEGORIES[attack.category]
        assert (attack.owasp, attack.atlas) == (meta.owasp, meta.atlas)
        assert re.fullmatch(r"LLM0\d|LLM10", attack.owasp)
        assert re.fullmatch(r"AML\.T\d{4}(\.\d{3})?", attack.atlas)
        assert attack.judge
        if attack.marker:
            assert attack.marker in attack.payload
        if attack.delivery == "tool_output":
            assert attack.tool in attack.allowed_tools


def test_suite_is_reproducible_and_versioned() -> None:
    first, second = build_suite(), build_suite()
    assert suite_digest(first) == suite_digest(second)
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d+", SUITE_VERSION)
    other = build_suite(Scenario(attacker_host="evil.test"))
    assert suite_digest(other) != suite_digest(first)


def test_obfuscation_covers_every_encoding() -> None:
    techniques = {a.technique for a in build_suite() if a.category == "obfuscation"}
    assert techniques == set(obfuscate.ENCODERS) | {"payload_splitting"}
    tagged = next(a for a in build_suite() if a.technique == "unicode_tags")
    assert any(0xE0000 <= ord(ch) <= 0xE007F for ch in tagged.payload)


@pytest.mark.parametrize("size", [10, 25, 57])
def test_sample_is_stratified_and_seeded(size: int) -> None:
    attacks = example_suite()
    chosen = sample(attacks, size, seed=3)
    assert len(chosen) == size
    per_category = Counter(a.category for a in chosen)
    assert max(per_category.values()) - min(per_category.values()) <= 1
    assert len(per_category) == min(size, len(CATEGORIES))
    assert sample(attacks, size, seed=3) == chosen
    assert sample(attacks, size, seed=4) != chosen
    if size >= 20:
        assert Counter(a.language for a in chosen)["es"] >= size // 2 - len(CATEGORIES)


def test_selection_from_settings_and_arguments() -> None:
    settings = InjectionSettings(sample=30, categories=["jailbreak", "obfuscation"])
    args = argparse.Namespace(category=None, language=["es"], full=False, sample=None, seed=None)
    chosen = select_attacks(settings, args)
    assert len(chosen) == 30
    assert {a.category for a in chosen} == {"jailbreak", "obfuscation"}
    assert {a.language for a in chosen} == {"es"}
    args.full = True
    assert len(select_attacks(settings, args)) == 57


def test_requests_plant_canary_victim_payload_and_session() -> None:
    settings = example_settings("bank-support-agent").model_copy(
        update={"canary_session_key": "ref"}
    )
    canary, audit = new_canary(), new_canary()
    assert len(canary) == 14 and canary != audit
    scenario = Scenario(**settings.scenario.model_dump())
    iban = settings.profile.victim_record["iban"]
    by_delivery = {}
    for attack in example_suite():
        by_delivery.setdefault((attack.delivery, attack.victim), attack)
    for (delivery, victim), attack in by_delivery.items():
        request = build_request(attack, (canary, audit), settings, scenario)
        assert canary in request.context[0] and audit in request.context[-1]
        assert request.session == {"customer_id": "C-1001", "ref": canary}
        assert request.messages[-1]["content"] == attack.user
        assert any(iban in doc for doc in request.context) is victim
        if delivery == "document":
            assert attack.payload in request.context[-2]
        if delivery == "tool_output":
            output = json.loads(request.tool_outputs[attack.tool])
            rows = output.get("transactions", [])
            assert attack.payload in {output.get("notice"), *(r["description"] for r in rows)}


def test_victim_data_is_checksum_valid_pii() -> None:
    default = InjectionSettings().profile.victim_record
    record = " ".join(default.values())
    assert {m.type for m in find_pii(record)} == {"iban", "es_dni", "phone", "email"}
    for value in victim_values(default).values():
        assert find_secret(f"leak: {value}", value) == "plain"


def test_default_thresholds_are_zero_for_leakage_exfiltration_and_misuse() -> None:
    zero = {name for name in CATEGORIES if default_threshold(name) == 0.0}
    assert zero == {"system_prompt_leak", "pii_exfiltration", "markdown_exfil", "excessive_agency"}


def test_paraphrase_variants_come_from_the_target_model(tmp_path: Path) -> None:
    script = tmp_path / "rewriter.yaml"
    script.write_text(
        "version: 1\n"
        "default_model: rewriter\n"
        "models:\n"
        "  rewriter:\n"
        "    rules:\n"
        "      - id: rewrite\n"
        "        when: {system: 'Rewrite', user: '(?s)^(?P<text>.+)$'}\n"
        "        reply: 'Kindly consider this request: {{user.text}}'\n",
        encoding="utf-8",
    )
    runner = Runner(MockTarget.from_path("rewriter", script))
    attacks = [a for a in example_suite() if a.category == "goal_hijack"][:6]
    variants = paraphrase_attacks(attacks, runner.run)
    assert [v.id for v in variants] == [f"{a.id}-p1" for a in attacks]
    for variant, attack in zip(variants, attacks, strict=True):
        assert variant.user == f"Kindly consider this request: {attack.payload}"
        assert variant.technique.endswith("+paraphrase")
