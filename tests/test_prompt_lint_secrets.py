"""The credential patterns of PL301: one real-format sample per kind, and prose that must pass."""

from __future__ import annotations

import re

import pytest

from genai_gate.gates.prompt_lint.secrets import find_secrets
from genai_gate.secret_patterns import GENERIC, GENERIC_STARTS, find_generic

# Built from pieces so this file itself does not hold literal tokens.
SAMPLES = {
    "aws-access-key-id": "AKIA" + "Z7QX2MBL4KDR5TNW",
    "github-token": "ghp_" + "x9Kd2LmQ7vB4nR8tY1wE6sZ3cA5fH0jG2pUo",
    "github-fine-grained-pat": "github_pat_" + "11ABCDE2Q0" + "x" * 50 + "_Zy9",
    "gitlab-token": "glpat-" + "Ab3De5Gh7Jk9Mn1Pq3St",
    "slack-token": "xoxb-" + "1234567890-0987654321-" + "AbCdEfGhIjKlMnOp",
    "slack-webhook": "https://hooks.slack.com/services/" + "T0AAA0AAA/B0BBB0BBB/" + "c" * 24,
    "stripe-key": "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "openai-api-key": "sk-proj-" + "Q7xV2mK9pL4nR8tY1wE6sZ3cA5fH0jG2bUoD7iN4eM1q",
    "anthropic-api-key": "sk-ant-api03-" + "Zx8Kd2LmQ7vB4nR8tY1wE6sZ3cA5fH0jG2pUoQ",
    "google-api-key": "AIza" + "SyD4x8Kd2LmQ7vB4nR8tY1wE6sZ3cA5fH0j",
    "huggingface-token": "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh",
    "npm-token": "npm_" + "Ab3De5Gh7Jk9Mn1Pq3St5Vw7Yz9Bc1Ef3Hi5",
    "pypi-token": "pypi-" + "AgEIcHlwaS5" + "vcmc" + "CJDk4ZGY0" + "a" * 50,
    "sendgrid-api-key": "SG." + "Ab3De5Gh7Jk9Mn1Pq3St5V" + "." + "w" * 43,
    "twilio-api-key": "SK" + "0123456789abcdef0123456789abcdef",
    "azure-storage-key": "AccountKey=" + "A" * 86 + "==",
    "private-key": "-----BEGIN OPENSSH " + "PRIVATE KEY-----",
    "jwt": "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0" + ".dozjgNryP4J3jVmNHl0w5N",
    "url-credentials": "postgres://svc:" + "Hunter2Pass" + "@db.internal:5432/core",
    "generic-credential": "api_key = " + "8f9a7b6c5d4e3f2a1b0c9d8e7f6a",
}


@pytest.mark.parametrize(("kind", "sample"), SAMPLES.items())
def test_each_kind_is_found_and_masked(kind: str, sample: str) -> None:
    [match] = find_secrets(f"Use this to call the service: {sample} then answer.")
    assert match.kind == kind
    assert sample not in match.masked and match.masked[:4] in sample


@pytest.mark.parametrize(
    "text",
    [
        "The token limit is 3000 tokens; keep a risk-free tone.",
        "password: {{ password_hint }}",
        "api_key_env: OPENAI_API_KEY",
        "Call https://example.com/docs for the secret santa rules.",
        "Your secret word is banana banana banana",
    ],
)
def test_prose_and_placeholders_are_not_secrets(text: str) -> None:
    assert find_secrets(text) == []


@pytest.mark.parametrize(
    "label",
    ["api_\u212aey", "\u017fecret", "TOKEN", "Pa\u017f\u017fword"],  # KELVIN SIGN, LONG S
)
def test_generic_rule_matches_every_spelling_its_ignorecase_accepts(label: str) -> None:
    """The keyword prefilter case-folds, so it lets through what the IGNORECASE pattern reads."""
    [match] = find_secrets(f"{label} = 8f9a7b6c5d4e3f2a1b0c9d8e7f6a")
    assert match.kind == "generic-credential"


GENERIC_TEXTS = [
    "api_key = 8f9a7b6c5d4e3f2a1b0c9d8e7f6a and TOKEN: Zx8Kd2LmQ7vB4nR8tY1wE6sZ",
    "mytoken = 8f9a7b6c5d4e3f2a1b0c9d8e7f6a; tokens: 8f9a7b6c5d4e3f2a1b0c9d8e7f6a",
    "secret=token=8f9a7b6c5d4e3f2a1b0c9d8e7f6a token 8f9a7b6c5d4e3f2a1b0c9d8e7f6a",
    'client-secret => "8f9a7b6c5d4e3f2a1b0c9d8e7f6a"\nbearer\n  8f9a7b6c5d4e3f2a1b0c9d8e7f6a',
    "Pa\u017f\u017fword: 8f9a7b6c5d4e3f2a1b0c9d8e7f6a, AUTH_\u212aEY 8f9a7b6c5d4e3f2a1b0c9d8e7f6a",
    "Acce\u017f\u017f-KEY: 8f9a7b6c5d4e3f2a1b0c9d8e7f6a \u0130 \u0131 ñ pwd: 8f9a7b6c5d4e3f2a1b0",
    "max_prompt_tokens: 3000\nresponse_budget_tokens: 800\n",
]


@pytest.mark.parametrize("text", GENERIC_TEXTS)
def test_generic_scan_finds_what_the_pattern_finds_everywhere(text: str) -> None:
    """find_generic tries the pattern only where a keyword begins: same matches as finditer."""
    expected = [(m.start(1), m.end(1)) for m in GENERIC.finditer(text)]
    assert [(m.start(1), m.end(1)) for m in find_generic(text)] == expected


KEYWORDS = ("apikey", "secret", "token", "password", "pwd", "clientsecret", "accesskey", "authkey")


def test_generic_scan_reads_every_spelling_ignorecase_accepts() -> None:
    """Every character that the regex engine's IGNORECASE reads as a keyword letter (the oracle:
    `re` over all of Unicode), written in place of that letter, is found as finditer finds it."""
    letter = re.compile("(?i)[a-z]")
    others = [c for c in map(chr, range(0x110000)) if letter.fullmatch(c) and not c.isascii()]
    assert others  # e.g. KELVIN SIGN, LONG S, dotted and dotless I
    assert all(keyword.startswith(GENERIC_STARTS) for keyword in KEYWORDS)
    for char in others:
        for keyword in (*KEYWORDS, "bearer"):
            for at, ascii_letter in enumerate(keyword):
                if re.fullmatch(f"(?i){ascii_letter}", char):
                    text = (
                        f"x {keyword[:at]}{char}{keyword[at + 1 :]} = 8f9a7b6c5d4e3f2a1b0c9d8e7f6a"
                    )
                    expected = [m.span() for m in GENERIC.finditer(text)]
                    assert expected and [m.span() for m in find_generic(text)] == expected
