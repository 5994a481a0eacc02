"""The one set of key formats, through both of its users: prompt-lint and the config loader.

Samples follow each vendor's documented shape; they are built from pieces so that this file
holds no literal token:

- AWS access key ids: AKIA (long-term) or ASIA (temporary) + 16 characters; AWS's own example
  `AKIAIOSFODNN7EXAMPLE` (IAM user guide, "Manage access keys").
- GitHub ("Behind GitHub's new authentication token formats"): ghp_/gho_/ghu_/ghs_/ghr_ + 36;
  fine-grained `github_pat_` + 22 + `_` + 59.
- Slack (token types): bot `xoxb-` + team id + bot id + secret; app-level `xapp-1-` + app id
  + number + 64 hex.
- Stripe (API keys): `sk_test_` / `sk_live_` / `rk_live_` + 24 or more; Stripe's sample key.
- OpenAI: legacy `sk-` + 20 + `T3BlbkFJ` + 20; project keys `sk-proj-` + a long base64url part.
- Anthropic: `sk-ant-api03-` + 95. Google API keys: `AIza` + 35 (39 in all).
- PEM private keys (RFC 7468 labels): PRIVATE KEY, RSA/EC/OPENSSH/ENCRYPTED PRIVATE KEY.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from genai_gate.config import load_config
from genai_gate.errors import ConfigError
from genai_gate.gates.prompt_lint.secrets import find_secrets
from genai_gate.secret_patterns import looks_like_credential

B62 = "Zx8Kd2LmQ7vB4nR8tY1wE6sZ3cA5fH0jG2pU"  # 36 base62 characters
VENDOR_SAMPLES = [
    ("aws-access-key-id", "AKIA" + "IOSFODNN7EXAMPLE"),
    ("aws-access-key-id", "ASIA" + "Y34FZKBOKMUTVV7A"),
    ("github-token", "ghp_" + B62),
    ("github-token", "ghs_" + B62),
    ("github-fine-grained-pat", "github_pat_" + "11AAAAAAA0" + "b" * 12 + "_" + "C3d" * 19 + "e2"),
    ("slack-token", "xoxb-" + "17653672481-19874698323-" + "pdFZKVeTuE8sk7oOcBrzbqgy"),
    ("slack-app-token", "xapp-1-" + "A0123ABCDEF-1234567890123-" + "0a1b2c3d" * 8),
    ("stripe-key", "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc"),
    ("stripe-key", "rk_live_" + "51H8dK2LmQ7vB4nR8tY1wE6s"),
    ("openai-api-key", "sk-" + B62[:20] + "T3BlbkFJ" + B62[-20:]),
    ("openai-api-key", "sk-proj-" + B62 * 2 + "T3BlbkFJ" + B62 * 2),
    ("anthropic-api-key", "sk-ant-api03-" + B62 * 2 + "Ab3De5Gh7Jk9Mn1Pq3St-_" + "AA"),
    ("google-api-key", "AIza" + "SyD4x8Kd2LmQ7vB4nR8tY1wE6sZ3cA5fH0j"),
    ("private-key", "-----BEGIN " + "PRIVATE KEY-----"),
    ("private-key", "-----BEGIN RSA " + "PRIVATE KEY-----"),
    ("private-key", "-----BEGIN EC " + "PRIVATE KEY-----"),
    ("private-key", "-----BEGIN ENCRYPTED " + "PRIVATE KEY-----"),
]
NOT_KEYS = [
    "sk-learn-pipeline-for-the-bank-2026",  # a name, not an OpenAI key (the old config rule hit it)
    "AKIA0000111188889999",  # 0, 1, 8 and 9 are not in the base32 alphabet AWS ids use
    "xoxb-not-a-token-just-prose",
    "ghp_short",
]


def config_with(tmp_path: Path, value: str) -> Path:
    path = tmp_path / "genai-gate.yaml"
    path.write_text(f"version: 1\nproject: '{value}'\n")
    return path


@pytest.mark.parametrize(("kind", "sample"), VENDOR_SAMPLES)
def test_prompt_lint_finds_each_vendor_format(kind: str, sample: str) -> None:
    [match] = find_secrets(f"Call the API with {sample} and answer politely.")
    assert match.kind == kind
    assert sample not in match.masked


@pytest.mark.parametrize(("kind", "sample"), VENDOR_SAMPLES)
def test_the_config_refuses_each_vendor_format(tmp_path: Path, kind: str, sample: str) -> None:
    path = config_with(tmp_path, sample)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"{path}:2: project: looks like a literal API key or token" in str(caught.value)


@pytest.mark.parametrize("text", NOT_KEYS)
def test_neither_user_flags_what_is_no_key_format(tmp_path: Path, text: str) -> None:
    assert not looks_like_credential(text)
    assert find_secrets(f"The label is {text}.") == []
    assert load_config(config_with(tmp_path, text)).model.project == text
