"""`rouge-l`: ROUGE-L F-measure (longest common subsequence of tokens) with the reference."""

from __future__ import annotations

from genai_gate.gates.eval.scorers.base import Sample, Score, tokens
from genai_gate.gates.eval.scorers.token_f1 import ReferenceScorer


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence (O(len(a) * len(b)), one row of memory)."""
    if len(a) < len(b):
        a, b = b, a
    row = [0] * (len(b) + 1)
    for x in a:
        previous = 0
        for j, y in enumerate(b, start=1):
            current = row[j]
            row[j] = previous + 1 if x == y else max(row[j], row[j - 1])
            previous = current
    return row[-1]


def rouge_l(answer: list[str], reference: list[str]) -> float:
    """ROUGE-L F1 (beta = 1)."""
    if not answer or not reference:
        return 1.0 if answer == reference else 0.0
    lcs = lcs_length(answer, reference)
    if not lcs:
        return 0.0
    precision, recall = lcs / len(answer), lcs / len(reference)
    return 2 * precision * recall / (precision + recall)


class RougeL(ReferenceScorer):
    """ROUGE-L with the reference answer."""

    name = "rouge-l"

    def score(self, sample: Sample) -> Score:
        """LCS-based F-measure over lower-cased word tokens."""
        value = rouge_l(tokens(sample.answer), tokens(self._reference(sample.case) or ""))
        return Score(value, f"ROUGE-L {value:.2f} with the reference answer")
