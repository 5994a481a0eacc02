"""In-file suppressions (`lint.suppress` in a prompt file) and PL9xx rules about them.

A suppression silences every finding of its rule in its own file, but only when it gives a
reason; one without a reason is not honoured and is itself an error (PL901). A suppression that
silences nothing is reported (PL902), so stale ones get cleaned up.
"""

from __future__ import annotations

from dataclasses import dataclass

from genai_gate.gates.prompt_lint.findings import Hit, Item
from genai_gate.gates.prompt_lint.rules import RULES


@dataclass
class _Suppression:
    rule: str
    reason: str
    path: str
    line: int | None
    used: bool = False


def apply_suppressions(items: list[Item], hits: list[Hit]) -> tuple[list[Hit], list[Hit]]:
    """(remaining hits including PL9xx ones, suppressed hits with the reason in properties)."""
    active: dict[tuple[str, str], _Suppression] = {}
    extra: list[Hit] = []
    for item in items:
        source = item.source
        block = source.data.get("lint")
        entries = block.get("suppress") if isinstance(block, dict) else None
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict) or not isinstance(entry.get("rule"), str):
                continue  # the schema check reports the malformed entry
            line = source.line_of("lint", "suppress", index)
            rule, reason = entry["rule"], entry.get("reason")
            if rule not in RULES:
                extra.append(
                    Hit(
                        "PL903",
                        source.rel,
                        line,
                        f"suppression of unknown rule {rule!r}: use an id of PL101 ... PL903",
                    )
                )
            elif not isinstance(reason, str) or not reason.strip():
                extra.append(
                    Hit(
                        "PL901",
                        source.rel,
                        line,
                        f"suppression of {rule} has no reason, so it is ignored: add "
                        "`reason:` saying why the finding is acceptable",
                    )
                )
            else:
                active[(source.rel, rule)] = _Suppression(rule, reason.strip(), source.rel, line)
    kept: list[Hit] = []
    suppressed: list[Hit] = []
    for hit in hits:
        match = active.get((hit.path, hit.rule))
        if match is None:
            kept.append(hit)
            continue
        match.used = True
        suppressed.append(
            Hit(
                hit.rule,
                hit.path,
                hit.line,
                hit.message,
                {**hit.properties, "reason": match.reason},
            )
        )
    for entry in active.values():
        if not entry.used:
            extra.append(
                Hit(
                    "PL902",
                    entry.path,
                    entry.line,
                    f"suppression of {entry.rule} matches no finding in this file: remove it",
                )
            )
    return kept + extra, suppressed
