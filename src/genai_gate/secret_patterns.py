"""Credential formats as their vendors document them: the one set every scanner uses.

prompt-lint (PL301, and the masking of eval evidence) finds them in prompt files; the config
loader refuses them as literal values in genai-gate.yaml (secrets come from environment
variables). Each format follows a provider's documented key shape (the families gitleaks covers:
cloud keys, source-host tokens, chat webhooks, payment keys, LLM provider keys, private keys,
JWTs); `GENERIC` is a `secret = value` rule that prompt-lint applies with an entropy floor.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class KeyFormat:
    """One provider's key shape."""

    name: str
    """Rule name reported with a match (`github-token`, `private-key`, ...)."""
    regex: str
    hints: tuple[str, ...]
    """Literals every match contains: the pattern runs only on texts that hold one (fast)."""

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """`regex` compiled on first use: most texts hold no hint, so most patterns never run."""
        return re.compile(self.regex)

    def may_occur_in(self, text: str) -> bool:
        """Whether `text` holds one of the hints (cheap test before the regex)."""
        return any(hint in text for hint in self.hints)


FORMATS: tuple[KeyFormat, ...] = (
    KeyFormat(
        "aws-access-key-id",
        r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b",
        ("AKIA", "ASIA", "ABIA", "ACCA"),
    ),
    KeyFormat(
        "github-token",
        r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    ),
    KeyFormat("github-fine-grained-pat", r"\bgithub_pat_[A-Za-z0-9_]{60,255}\b", ("github_pat_",)),
    KeyFormat(
        "gitlab-token",
        r"\bgl(?:pat|dt|ptt|rt)-[A-Za-z0-9_-]{20,}\b",
        ("glpat-", "gldt-", "glptt-", "glrt-"),
    ),
    KeyFormat("slack-token", r"\bxox[abposr]-(?:\d+-)+[A-Za-z0-9-]{10,}\b", ("xox",)),
    KeyFormat("slack-app-token", r"\bxapp-\d-[A-Z0-9]+-\d+-[a-f0-9]{32,}\b", ("xapp-",)),
    KeyFormat(
        "slack-webhook",
        r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}",
        ("hooks.slack.com",),
    ),
    KeyFormat("stripe-key", r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b", ("_live_", "_test_")),
    KeyFormat(
        "openai-api-key",
        r"\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}"
        r"|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])",
        ("sk-",),
    ),
    KeyFormat("anthropic-api-key", r"\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{32,}", ("sk-ant-",)),
    KeyFormat("google-api-key", r"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])", ("AIza",)),
    KeyFormat("huggingface-token", r"\bhf_[A-Za-z]{34}\b", ("hf_",)),
    KeyFormat("npm-token", r"\bnpm_[A-Za-z0-9]{36}\b", ("npm_",)),
    KeyFormat("pypi-token", r"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}", ("pypi-",)),
    KeyFormat("sendgrid-api-key", r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b", ("SG.",)),
    KeyFormat("twilio-api-key", r"\bSK[0-9a-f]{32}\b", ("SK",)),
    KeyFormat("azure-storage-key", r"AccountKey=[A-Za-z0-9+/]{86}==", ("AccountKey=",)),
    KeyFormat(
        "private-key",
        r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----",
        ("PRIVATE KEY",),
    ),
    KeyFormat(
        "jwt",
        r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}",
        ("eyJ",),
    ),
)

URL_CREDENTIALS = KeyFormat(
    "url-credentials",
    r"\b[a-z][a-z0-9+.-]*://[^\s/:@{}]+:(?:[^\s/:@{}]{6,})@[^\s/]+",
    ("://",),
)
"""A password in a URL (`scheme://user:password@host`). Not in `FORMATS`: the config refuses it
in the fields that hold URLs, with their own message."""

GENERIC = re.compile(
    r"(?i)\b(?:api[_-]?key|secret|token|passw(?:or)?d|pwd|client[_-]?secret|access[_-]?key"
    r"|auth[_-]?key|bearer)\b[\"']?\s*(?:[:=]|=>|\s)\s*[\"']?([A-Za-z0-9_\-+/=.~]{16,})"
)
"""`name = value` where the name says credential; the value is group 1."""
GENERIC_MIN_ENTROPY = 3.5
"""Bits per character a GENERIC value needs (prose and placeholders stay below)."""
GENERIC_STARTS = ("api", "secret", "token", "passw", "pwd", "client", "access", "auth", "bearer")
"""How each `GENERIC` keyword begins: a match starts only where one of these is written, in any
spelling the pattern's IGNORECASE accepts."""
_FOLD = str.maketrans(
    string.ascii_uppercase + "\u0130\u0131\u017f\u212a", string.ascii_lowercase + "iisk"
)
"""A-Z, and the only other characters that IGNORECASE reads as ASCII letters (`İ ı ſ K`), to
lower-case ASCII: one character for one, so offsets stay those of the text."""


def find_generic(text: str) -> Iterator[re.Match[str]]:
    """The matches of `GENERIC.finditer(text)`, trying the pattern only where a keyword begins
    (otherwise the engine tries its opening alternation at every position)."""
    folded = text.lower() if text.isascii() else text.translate(_FOLD)
    starts: list[int] = []
    for word in GENERIC_STARTS:
        at = folded.find(word)
        while at != -1:
            starts.append(at)
            at = folded.find(word, at + 1)
    end = 0
    for start in sorted(starts):
        match = GENERIC.match(text, start) if start >= end else None
        if match is not None:
            end = match.end()
            yield match


def looks_like_credential(text: str) -> bool:
    """Whether `text` contains a key of one of the known formats (`FORMATS`)."""
    return any(f.may_occur_in(text) and f.pattern.search(text) for f in FORMATS)
