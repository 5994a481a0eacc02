"""Credential patterns for prompt files, modelled on the rule set of a maintained detector.

Each pattern follows the documented format of a provider's keys (the same families gitleaks
covers: cloud keys, source-host tokens, chat webhooks, payment keys, LLM provider keys, private
keys, JWTs) plus a generic `secret = value` rule that needs high entropy, so prose and template
placeholders do not match. Evidence is masked: reports never carry the secret.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

_PATTERNS: dict[str, str] = {
    "aws-access-key-id": r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b",
    "github-token": r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b",
    "github-fine-grained-pat": r"\bgithub_pat_[A-Za-z0-9_]{60,255}\b",
    "gitlab-token": r"\bgl(?:pat|dt|ptt|rt)-[A-Za-z0-9_-]{20,}\b",
    "slack-token": r"\bxox[abposr]-(?:\d+-)+[A-Za-z0-9-]{10,}\b",
    "slack-webhook": r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}",
    "stripe-key": r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b",
    "openai-api-key": (
        r"\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}"
        r"|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])"
    ),
    "anthropic-api-key": r"\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{32,}",
    "google-api-key": r"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])",
    "huggingface-token": r"\bhf_[A-Za-z]{34}\b",
    "npm-token": r"\bnpm_[A-Za-z0-9]{36}\b",
    "pypi-token": r"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}",
    "sendgrid-api-key": r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b",
    "twilio-api-key": r"\bSK[0-9a-f]{32}\b",
    "azure-storage-key": r"AccountKey=[A-Za-z0-9+/]{86}==",
    "private-key": r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----",
    "jwt": r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}",
    "url-credentials": r"\b[a-z][a-z0-9+.-]*://[^\s/:@{}]+:(?:[^\s/:@{}]{6,})@[^\s/]+",
}
_HINTS: dict[str, tuple[str, ...]] = {
    "aws-access-key-id": ("AKIA", "ASIA", "ABIA", "ACCA"),
    "github-token": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    "github-fine-grained-pat": ("github_pat_",),
    "gitlab-token": ("glpat-", "gldt-", "glptt-", "glrt-"),
    "slack-token": ("xox",),
    "slack-webhook": ("hooks.slack.com",),
    "stripe-key": ("_live_", "_test_"),
    "openai-api-key": ("sk-",),
    "anthropic-api-key": ("sk-ant-",),
    "google-api-key": ("AIza",),
    "huggingface-token": ("hf_",),
    "npm-token": ("npm_",),
    "pypi-token": ("pypi-",),
    "sendgrid-api-key": ("SG.",),
    "twilio-api-key": ("SK",),
    "azure-storage-key": ("AccountKey=",),
    "private-key": ("PRIVATE KEY",),
    "jwt": ("eyJ",),
    "url-credentials": ("://",),
}
"""Literals each pattern needs: a pattern runs only on texts that contain one (fast prefilter)."""
_COMPILED = {name: (re.compile(pattern), _HINTS[name]) for name, pattern in _PATTERNS.items()}

_GENERIC = re.compile(
    r"(?i)\b(?:api[_-]?key|secret|token|passw(?:or)?d|pwd|client[_-]?secret|access[_-]?key"
    r"|auth[_-]?key|bearer)\b[\"']?\s*(?:[:=]|=>|\s)\s*[\"']?([A-Za-z0-9_\-+/=.~]{16,})"
)
_GENERIC_MIN_ENTROPY = 3.5
_GENERIC_HINTS = ("key", "secret", "token", "passw", "pwd", "bearer")
"""One of these is in every `_GENERIC` match, case-folded: the pattern runs only on texts that
hold one (`casefold` maps every character the pattern's IGNORECASE accepts, `ſ` and `K` too)."""


@dataclass(frozen=True)
class SecretMatch:
    """A credential found in a text."""

    kind: str
    """Pattern name (`github-token`, `private-key`, `generic-credential`, ...)."""
    start: int
    end: int
    masked: str
    """The first four characters, then the length: never the secret itself."""


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _mask(value: str) -> str:
    return f"{value[:4]}… ({len(value)} chars)"


def find_secrets(text: str) -> list[SecretMatch]:
    """Credentials in `text`, ordered by position; at most one match per span."""
    found: list[SecretMatch] = []
    for kind, (pattern, hints) in _COMPILED.items():
        if not any(hint in text for hint in hints):
            continue
        for match in pattern.finditer(text):
            found.append(SecretMatch(kind, match.start(), match.end(), _mask(match.group())))
    folded = text.casefold()
    generic = _GENERIC.finditer(text) if any(h in folded for h in _GENERIC_HINTS) else ()
    for match in generic:
        value = match.group(1)
        mixed = any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
        if mixed and entropy(value) >= _GENERIC_MIN_ENTROPY:
            found.append(
                SecretMatch("generic-credential", match.start(1), match.end(1), _mask(value))
            )
    found.sort(key=lambda m: (m.start, -m.end))
    kept: list[SecretMatch] = []
    for item in found:
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept
