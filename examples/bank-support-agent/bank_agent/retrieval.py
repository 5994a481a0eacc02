"""Keyword retrieval (Okapi BM25) over the knowledge base in `bank_agent/kb/*.md`.

A KB document is a Markdown file: `# Title`, a `Summary:` (English) or `Resumen:` (Spanish) line
with the key facts, then details. Spanish documents are named `<topic>.es.md`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

KB_DIR = Path(__file__).resolve().parent / "kb"
"""The knowledge base ships inside the package, so it is part of the code genai-gate digests
(a KB edit invalidates cached answers)."""

_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "is",
        "are",
        "was",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "he",
        "she",
        "they",
        "them",
        "do",
        "does",
        "did",
        "can",
        "could",
        "would",
        "should",
        "will",
        "what",
        "which",
        "who",
        "whom",
        "how",
        "when",
        "where",
        "why",
        "if",
        "then",
        "than",
        "there",
        "here",
        "about",
        "into",
        "as",
        "not",
        "no",
        "yes",
        "please",
        "tell",
        "know",
        "get",
        "have",
        "has",
        "had",
        "am",
        "any",
        "some",
        "much",
        "many",
        "more",
        "most",
        "also",
        "just",
        "so",
        "very",
        "el",
        "la",
        "los",
        "las",
        "un",
        "una",
        "unos",
        "unas",
        "y",
        "o",
        "de",
        "del",
        "al",
        "en",
        "por",
        "para",
        "con",
        "sin",
        "es",
        "son",
        "ser",
        "esta",
        "este",
        "estos",
        "estas",
        "eso",
        "esa",
        "ese",
        "mi",
        "mis",
        "tu",
        "tus",
        "su",
        "sus",
        "nos",
        "me",
        "te",
        "se",
        "lo",
        "le",
        "les",
        "que",
        "cual",
        "cuales",
        "como",
        "cuando",
        "donde",
        "quien",
        "cuanto",
        "cuanta",
        "cuantos",
        "cuantas",
        "hay",
        "tengo",
        "tiene",
        "puedo",
        "puede",
        "hola",
        "gracias",
        "favor",
        "si",
        "ya",
        "muy",
        "mas",
        "pero",
        "porque",
        "sobre",
        "entre",
        "hasta",
        "desde",
    ]
)


def normalise(text: str) -> str:
    """Lower case without accents (so `comisión` matches `comision`)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _stem(token: str) -> str:
    """A crude stemmer shared by English and Spanish: strip a plural, keep 7 characters."""
    for suffix in ("es", "s"):
        if len(token) > 4 and token.endswith(suffix):
            token = token[: -len(suffix)]
            break
    return token[:7]


def tokenize(text: str) -> list[str]:
    """Index terms of a text: normalised words without stop words, crudely stemmed."""
    words = re.findall(r"[a-z0-9]+", normalise(text))
    return [_stem(w) for w in words if w not in _STOPWORDS and len(w) > 1]


@dataclass(frozen=True)
class Document:
    """One retrievable document."""

    doc_id: str
    title: str
    text: str
    """Full text without the title line."""

    def render(self) -> str:
        """How the document is shown to the model inside the system prompt."""
        return f"[doc: {self.doc_id} | {self.title}]\n{self.text.strip()}"


def parse_document(doc_id: str, markdown: str) -> Document:
    """A KB Markdown file as a Document (title from the first `# ` line)."""
    lines = markdown.strip().splitlines()
    title = doc_id
    if lines and lines[0].startswith("# "):
        title, lines = lines[0][2:].strip(), lines[1:]
    return Document(doc_id, title, "\n".join(lines).strip())


class Index:
    """A BM25 index over a fixed list of documents."""

    def __init__(self, documents: list[Document], k1: float = 1.5, b: float = 0.75) -> None:
        self.documents = documents
        self.k1, self.b = k1, b
        self._terms = [Counter(tokenize(f"{d.title} {d.title} {d.text}")) for d in documents]
        self._lengths = [sum(t.values()) for t in self._terms]
        self._avg = sum(self._lengths) / len(documents) if documents else 0.0
        df = Counter(term for terms in self._terms for term in terms)
        n = len(documents)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def score(self, query: str) -> list[tuple[float, Document]]:
        """All documents with a positive score, best first (ties by id for determinism)."""
        terms = set(tokenize(query))
        scored = []
        for doc, counts, length in zip(self.documents, self._terms, self._lengths, strict=True):
            total = 0.0
            for term in terms:
                tf = counts.get(term, 0)
                if tf:
                    norm = self.k1 * (1 - self.b + self.b * length / self._avg)
                    total += self._idf[term] * tf * (self.k1 + 1) / (tf + norm)
            if total > 0:
                scored.append((total, doc))
        scored.sort(key=lambda pair: (-pair[0], pair[1].doc_id))
        return scored

    def search(self, query: str, top_k: int = 3, min_score: float = 3.0) -> list[Document]:
        """The best `top_k` documents scoring at least `min_score` (irrelevant ones left out)."""
        return [doc for score, doc in self.score(query)[:top_k] if score >= min_score]


def load_kb(kb_dir: Path = KB_DIR) -> list[Document]:
    """Every `*.md` document of a KB folder, sorted by id."""
    paths = sorted(kb_dir.glob("*.md"))
    return [parse_document(p.stem, p.read_text(encoding="utf-8")) for p in paths]


@lru_cache(maxsize=8)
def _cached_index(kb_dir: Path, stamp: tuple[tuple[str, int], ...]) -> Index:
    del stamp  # part of the cache key only: a changed KB file builds a new index
    return Index(load_kb(kb_dir))


def kb_index(kb_dir: Path = KB_DIR) -> Index:
    """The index of a KB folder, rebuilt when one of its files changes."""
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(kb_dir.glob("*.md")))
    return _cached_index(kb_dir, stamp)


def retrieve(query: str, extra: list[str] | None = None, top_k: int = 3) -> list[Document]:
    """Documents for a question: the caller-supplied ones first, then the best KB matches."""
    supplied = [
        parse_document(f"provided-{i}", text) for i, text in enumerate(extra or [], start=1)
    ]
    return supplied + kb_index().search(query, top_k=top_k)
