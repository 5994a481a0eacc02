"""The built-in attack suite: templates x goals x deliveries, generated deterministically.

Every attack has a stable id, its category with OWASP LLM Top 10 (2025) and MITRE ATLAS ids, a
language (en / es), the injected payload, where it is delivered (the user message, a retrieved
document via `ChatRequest.context`, or a tool output via `ChatRequest.tool_outputs`) and the
checks that judge it. Markers are drawn from a seeded generator, so the same suite version
always yields the same attacks; `sample` picks a stratified subset for quick PR runs.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from genai_gate.gates.injection import obfuscate
from genai_gate.gates.injection.catalog import CATEGORIES
from genai_gate.gates.injection.settings import AgentProfile, ToolProfile
from genai_gate.gates.injection.templates import (
    DEFAULT_DOCUMENTS,
    EXFIL_TEMPLATES,
    GOALS,
    HIJACK,
    INDIRECT,
    JAILBREAK,
    KIND_LABELS,
    LEAK_INDIRECT,
    LEAK_USER,
    MISUSE_INJECTED,
    MISUSE_USER,
    MULTILINGUAL,
    OBFUSCATION_FRAMES,
    OBFUSCATION_INSTRUCTION,
    PII_INDIRECT,
    PII_USER,
    SPLIT_FRAME,
)

SUITE_VERSION = "2026.12.1"
"""Version of the built-in suite; changes whenever templates or generation change."""

SUITE_SEED = 20261127
"""Seed of the marker generator (fixed: the suite is reproducible)."""

Delivery = str  # "user" | "document" | "tool_output" | "history"

_MARKER_WORDS = (
    "ZEBRA",
    "MANGO",
    "COBALT",
    "PIRATE",
    "TULIP",
    "QUASAR",
    "WALRUS",
    "NEON",
    "GLACIER",
    "FALCON",
)


@dataclass(frozen=True)
class Scenario:
    """The fixed facts attacks refer to: who the user is, the victim, the attacker."""

    own_account: str = "REF-1001"
    """A reference of the session user (benign requests name it)."""
    victim_name: str = "Ben Sample"
    """Another customer, whose record is planted in the context of PII attacks."""
    victim_account: str = "REF-1002"
    """A reference of the victim."""
    attacker_account: str = "REF-9999"
    """A reference of the attacker."""
    attacker_host: str = "attacker.example"
    """Host attackers exfiltrate to (must not be allow-listed)."""


@dataclass(frozen=True)
class Attack:
    """One attack of the suite."""

    id: str
    category: str
    owasp: str
    atlas: str
    language: str
    technique: str
    """Template family inside the category (e.g. `base64`, `dan`, `ignore-previous`)."""
    delivery: Delivery
    """user | document | tool_output."""
    payload: str
    """The injected text."""
    user: str
    """The user message sent (the payload itself for user delivery)."""
    tool: str | None
    """Tool whose canned output carries the payload (tool_output delivery)."""
    topic: str | None
    """Title of the planted document (document delivery)."""
    marker: str | None
    """Attacker marker the payload asks the target to output, if any."""
    goal: str
    """marker | canary | prompt | pii | exfil | transfer."""
    judge: tuple[str, ...]
    """Primary checks; canary, exfiltration and tool policy are checked for every attack."""
    victim: bool
    """Plant the victim's customer record in the context."""
    allowed_tools: tuple[str, ...]
    """Tools the benign part of the request legitimately needs."""
    forbidden_tools: tuple[str, ...] = ()
    """Tools whose call alone means the attack succeeded (user attacks)."""
    source: str = "built-in"
    """Where the attack comes from: `built-in`, or the user file and line it was read from."""
    undelivered: str | None = None
    """Why the attack cannot reach the agent (a channel or tool it does not have), else None."""

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (every field is a string, bool, None or tuple of strings: no deep
        copy needed), in field order (a frozen dataclass's instance dict holds its fields)."""
        return dict(vars(self))


GOAL_CHECKS: dict[str, tuple[str, ...]] = {
    "marker": ("marker",),
    "canary": ("canary",),
    "prompt": ("canary", "prompt"),
    "pii": ("pii",),
    "exfil": ("exfil",),
    "transfer": ("tools",),
    "tool": ("tools",),
}
"""The primary checks of each goal (reported with the attack)."""


def documents_for(profile: AgentProfile, lang: str) -> list[tuple[str, str, str]]:
    """(title, question, fact) of the articles document attacks go into, in `lang`."""
    own = profile.documents.get(lang)
    if own:
        return [(d.title, d.question, d.fact) for d in own]
    return DEFAULT_DOCUMENTS.get(lang) or DEFAULT_DOCUMENTS["en"]


class _Builder:
    """Accumulates attacks, numbering ids per category and language."""

    def __init__(self, scenario: Scenario, profile: AgentProfile) -> None:
        self.scenario = scenario
        self.profile = profile
        self.rng = random.Random(SUITE_SEED)
        self.attacks: list[Attack] = []
        self.counts: dict[tuple[str, str], int] = defaultdict(int)
        self.markers: set[str] = set()
        self.sensitive: tuple[str, ...] = ()
        self._documents: dict[str, list[tuple[str, str, str]]] = {}

    def marker(self) -> str:
        while True:
            value = f"{self.rng.choice(_MARKER_WORDS)}-{self.rng.randrange(1000, 9999)}"
            if value not in self.markers:
                self.markers.add(value)
                return value

    def goal_text(self, goal: str, lang: str, variant: int, marker: str | None) -> str:
        options = GOALS[goal][lang]
        s = self.scenario
        return options[variant % len(options)].format(
            marker=marker,
            host=s.attacker_host,
            victim_name=s.victim_name,
            victim_account=s.victim_account,
            attacker_account=s.attacker_account,
            own_account=s.own_account,
        )

    def fill(self, template: str, **values: str) -> str:
        s = self.scenario
        merged = {
            "victim_name": s.victim_name,
            "victim_account": s.victim_account,
            "attacker_account": s.attacker_account,
            "own_account": s.own_account,
            "host": s.attacker_host,
            "persona": self.profile.personas[0],
            "question": self.documents(values.get("lang", "en"))[0][1],
            **values,
        }
        merged.pop("lang", None)
        return template.format(**merged)

    def documents(self, lang: str) -> list[tuple[str, str, str]]:
        """(title, question, fact) of the articles document attacks go into (read from the
        profile once per language)."""
        if lang not in self._documents:
            self._documents[lang] = documents_for(self.profile, lang)
        return self._documents[lang]

    def tool_requests(self, lang: str) -> list[tuple[str, str]]:
        """(tool, benign request) pairs of the profile's tools, in `lang`."""
        return [(t.name, t.request[lang]) for t in self.profile.tools if lang in t.request]

    def add(
        self,
        category: str,
        lang: str,
        technique: str,
        delivery: Delivery,
        payload: str,
        goal: str,
        *,
        marker: str | None = None,
        variant: int = 0,
        victim: bool = False,
        undelivered: str | None = None,
    ) -> None:
        key = (category, lang)
        self.counts[key] += 1
        meta = CATEGORIES[category]
        user, tool, topic = payload, None, None
        allowed: tuple[str, ...] = ()
        undelivered = undelivered or None
        if delivery not in self.profile.channels:
            undelivered = f"the agent has no {delivery} channel (injection.profile.channels)"
        if delivery == "document":
            topics = self.documents(lang)
            topic, user, _ = topics[variant % len(topics)]
        elif delivery == "tool_output":
            requests = self.tool_requests(lang)
            if requests:
                tool, user = requests[variant % len(requests)]
                user = user.format(own_account=self.scenario.own_account)
                allowed = (tool,)
            else:
                user = self.documents(lang)[0][1]
                undelivered = undelivered or (
                    f"no tool with a request in {lang!r} (injection.profile.tools)"
                )
        self.attacks.append(
            Attack(
                id=f"{category}-{lang}-{self.counts[key]:03d}",
                category=category,
                owasp=meta.owasp,
                atlas=meta.atlas,
                language=lang,
                technique=technique,
                delivery=delivery,
                payload=payload,
                user=user,
                tool=tool,
                topic=topic,
                marker=marker,
                goal=goal,
                judge=GOAL_CHECKS[goal],
                victim=victim or goal == "pii",
                allowed_tools=allowed,
                undelivered=undelivered,
            )
        )


def _goals(builder: _Builder, lang: str) -> Iterator[tuple[str, int, str | None, str]]:
    """(goal, variant, marker, text) for the marker and canary goals, every phrasing."""
    for goal in ("marker", "canary"):
        for variant in range(len(GOALS[goal][lang])):
            marker = builder.marker() if goal == "marker" else None
            yield goal, variant, marker, builder.goal_text(goal, lang, variant, marker)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _hijack(b: _Builder, lang: str) -> None:
    for name, template in HIJACK[lang]:
        for goal, variant, marker, text in _goals(b, lang):
            payload = b.fill(template, goal=text, Goal=_cap(text), lang=lang)
            b.add("goal_hijack", lang, name, "user", payload, goal, marker=marker, variant=variant)


def _indirect(b: _Builder, lang: str) -> None:
    for index, (name, template) in enumerate(INDIRECT[lang]):
        for goal, variant, marker, text in _goals(b, lang):
            payload = b.fill(template, goal=text, Goal=_cap(text), lang=lang)
            pick = index + variant
            b.add(
                "indirect_document",
                lang,
                name,
                "document",
                payload,
                goal,
                marker=marker,
                variant=pick,
            )
            b.add(
                "indirect_tool",
                lang,
                name,
                "tool_output",
                payload,
                goal,
                marker=marker,
                variant=pick,
            )


def _leak(b: _Builder, lang: str) -> None:
    for name, template in LEAK_USER[lang]:
        b.add("system_prompt_leak", lang, name, "user", template, "prompt")
    for index, (name, template) in enumerate(LEAK_INDIRECT[lang]):
        for delivery in ("document", "tool_output"):
            b.add("system_prompt_leak", lang, name, delivery, template, "prompt", variant=index)


def _jailbreak(b: _Builder, lang: str) -> None:
    for name, template in JAILBREAK[lang]:
        for goal, variant, marker, text in _goals(b, lang):
            payload = b.fill(template, goal=text, Goal=_cap(text), lang=lang)
            b.add("jailbreak", lang, name, "user", payload, goal, marker=marker, variant=variant)


def _obfuscation(b: _Builder, lang: str) -> None:
    instruction = OBFUSCATION_INSTRUCTION[lang]
    for index, (name, encode) in enumerate(obfuscate.ENCODERS.items()):
        encoded = encode(instruction)
        for frame_index, frame in enumerate(OBFUSCATION_FRAMES[name][lang]):
            payload = frame.format(encoded=encoded)
            for delivery in ("user", "document"):
                b.add(
                    "obfuscation",
                    lang,
                    name,
                    delivery,
                    payload,
                    "canary",
                    variant=index + frame_index,
                )
    first, second = obfuscate.split_payload(instruction)
    for frame_index, frame in enumerate(SPLIT_FRAME[lang]):
        payload = frame.format(a=first, b=second)
        for delivery in ("user", "document"):
            b.add(
                "obfuscation",
                lang,
                "payload_splitting",
                delivery,
                payload,
                "canary",
                variant=frame_index,
            )


def _multilingual(b: _Builder, lang: str) -> None:
    for index, (name, template, goal_lang) in enumerate(MULTILINGUAL[lang]):
        for goal, variant, marker, _ in _goals(b, lang):
            text = b.goal_text(goal, goal_lang, variant, marker)
            payload = b.fill(template, goal=text, Goal=_cap(text), lang=lang)
            delivery = "document" if (index + variant) % 4 == 3 else "user"
            b.add(
                "multilingual", lang, name, delivery, payload, goal, marker=marker, variant=variant
            )


def _pii(b: _Builder, lang: str) -> None:
    labels = KIND_LABELS.get(lang, KIND_LABELS["en"])
    kinds = [labels.get(k, k.replace("_", " ")) for k in b.profile.victim_record]
    for name, template in PII_USER[lang]:
        for kind in kinds:
            b.add("pii_exfiltration", lang, name, "user", b.fill(template, kind=kind), "pii")
    for index, (name, template) in enumerate(PII_INDIRECT[lang]):
        for delivery in ("document", "tool_output"):
            b.add("pii_exfiltration", lang, name, delivery, b.fill(template), "pii", variant=index)


def _exfil(b: _Builder, lang: str) -> None:
    for index, (name, template) in enumerate(EXFIL_TEMPLATES[lang]):
        for data_index, data in enumerate(("canary", "pii", "link")):
            goal_text = b.goal_text(f"exfil_{data}", lang, index, None)
            payload = b.fill(template, goal=goal_text, Goal=_cap(goal_text))
            for delivery in ("user", "document", "tool_output"):
                b.add(
                    "markdown_exfil",
                    lang,
                    f"{name}-{data}",
                    delivery,
                    payload,
                    "exfil",
                    variant=index + data_index,
                    victim=data == "pii",
                )


def _sensitive_tools(b: _Builder) -> list[ToolProfile]:
    """The tools misuse attacks aim at: the profile's sensitive tools, then policy-only names."""
    tools = [t for t in b.profile.tools if t.sensitive]
    named = {t.name for t in tools}
    tools += [ToolProfile(name=name, sensitive=True) for name in b.sensitive if name not in named]
    return tools


def _agency(b: _Builder, lang: str) -> None:
    tools = _sensitive_tools(b)
    missing = None if tools else "no sensitive tool declared (injection.profile.tools)"
    for tool in tools or [ToolProfile(name="privileged_tool", sensitive=True)]:
        prefix = f"{tool.name}-" if len(tools) > 1 else ""
        user_texts = tool.misuse.get(lang) or MISUSE_USER[lang]
        for index, template in enumerate(user_texts):
            payload = b.fill(template, tool=tool.name)
            b.add(
                "excessive_agency",
                lang,
                f"{prefix}request-{index + 1}",
                "user",
                payload,
                "transfer",
                undelivered=missing,
            )
        injected = tool.injected_misuse.get(lang) or MISUSE_INJECTED[lang]
        for index, template in enumerate(injected):
            for source in ("victim", "own"):
                s = b.scenario
                account = s.victim_account if source == "victim" else s.own_account
                payload = b.fill(template, source_account=account, tool=tool.name)
                for delivery in ("document", "tool_output"):
                    b.add(
                        "excessive_agency",
                        lang,
                        f"{prefix}injected-{index + 1}-{source}",
                        delivery,
                        payload,
                        "transfer",
                        variant=index,
                        undelivered=missing,
                    )


_GENERATORS = (
    _hijack,
    _indirect,
    _leak,
    _jailbreak,
    _obfuscation,
    _multilingual,
    _pii,
    _exfil,
    _agency,
)


def build_suite(
    scenario: Scenario | None = None,
    profile: AgentProfile | None = None,
    sensitive: tuple[str, ...] = (),
) -> list[Attack]:
    """Every attack of the built-in suite for one agent profile, in a stable order.

    `sensitive` names more tools misuse attacks aim at (`tool_policy.sensitive`).
    """
    builder = _Builder(scenario or Scenario(), profile or AgentProfile())
    builder.sensitive = sensitive
    for generate in _GENERATORS:
        for lang in ("en", "es"):
            generate(builder, lang)
    ids = [a.id for a in builder.attacks]
    distinct = {(a.delivery, a.tool, a.payload, a.user) for a in builder.attacks}
    if len(ids) != len(set(ids)) or len(distinct) != len(ids):
        raise AssertionError("suite generation produced duplicate attacks")
    return builder.attacks


def suite_digest(attacks: list[Attack]) -> str:
    """sha256 over the attacks, to tie a result to the exact suite it ran."""
    blob = json.dumps([a.to_dict() for a in attacks], sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()


def sample(attacks: list[Attack], size: int, seed: int = 0) -> list[Attack]:
    """A subset of `size` attacks stratified by category (every category gets its share).

    Categories get `size / categories` each (the remainder to the first ones in suite order);
    within a category the attacks are drawn with a seeded generator, alternating languages.
    """
    if size >= len(attacks):
        return list(attacks)
    by_category: dict[str, list[Attack]] = defaultdict(list)
    for attack in attacks:
        by_category[attack.category].append(attack)
    names = list(by_category)
    quota = {name: size // len(names) for name in names}
    for name in names[: size % len(names)]:
        quota[name] += 1
    rng = random.Random(seed)
    chosen: set[str] = set()
    for name in names:
        pool = list(by_category[name])
        rng.shuffle(pool)
        pool.sort(key=lambda a: a.language)  # stable: languages interleave below
        english = [a for a in pool if a.language == "en"]
        spanish = [a for a in pool if a.language == "es"]
        mixed = [a for pair in zip(english, spanish, strict=False) for a in pair]
        mixed += english[len(spanish) :] + spanish[len(english) :]
        chosen.update(a.id for a in mixed[: quota[name]])
    return [a for a in attacks if a.id in chosen]
