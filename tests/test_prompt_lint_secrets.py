"""The credential patterns of PL301: one real-format sample per kind, and prose that must pass."""

from __future__ import annotations

import pytest

from genai_gate.gates.prompt_lint.secrets import find_secrets

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
