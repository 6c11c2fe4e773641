"""TF-IDF keywords, with IDF from the archive's own texts or, without an archive, jieba's table."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from bulletin.summary_defaults import KEYWORD_COUNT
from bulletin.text.normalize import fold
from bulletin.text.window import head
from bulletin.words import STOPWORDS, segment

# Numbers in any notation (2023, 3.5%, 1~2, 12:30) and Chinese numerals are never keywords.
_NUMBER = re.compile(r"^[\d.,:%~\-/+]+$|^[零〇一二三四五六七八九十百千万亿两几]+$")


def candidate_words(text: str) -> list[str]:
    """Words of `text` that may be keywords, in order: no stopwords, numbers or single characters.

    Only the text's opening window is read (bulletin.text.window): a huge article's keywords
    are its opening's.

    Latin words are lower-cased and full-width forms folded (NFKC) so counts agree across
    spellings; the archive can use this to count document frequencies for an `IdfTable`.
    """
    found: list[str] = []
    for token in segment(head(text)):
        word = fold(token)
        if len(word) < 2 or word in STOPWORDS or _NUMBER.match(word):
            continue
        found.append(word)
    return found


@dataclass(frozen=True)
class IdfTable:
    """Document frequencies of words in a collection: how rare, and so how telling, each word is."""

    documents: int
    frequencies: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> IdfTable:
        """Count, for each candidate word, how many of `texts` contain it."""
        counts: Counter[str] = Counter()
        documents = 0
        for text in texts:
            documents += 1
            counts.update(set(candidate_words(text)))
        return cls(documents, dict(counts))

    def idf(self, word: str) -> float:
        """Smoothed inverse document frequency: ln((N + 1) / (df + 1)) + 1, never below 1."""
        df = self.frequencies.get(word, 0)
        return math.log((self.documents + 1) / (df + 1)) + 1.0


def keyword_weights(text: str, idf: IdfTable | None = None) -> dict[str, float]:
    """TF-IDF weight of every candidate word of `text`, normalised to sum to 1."""
    counts = Counter(candidate_words(text))
    if not counts:
        return {}
    lookup = idf.idf if idf is not None else _bundled_idf
    raw = {word: count * lookup(word) for word, count in counts.items()}
    total = sum(raw.values())
    return {word: value / total for word, value in raw.items()}


def keywords(text: str, n: int = KEYWORD_COUNT, idf: IdfTable | None = None) -> list[str]:
    """The `n` words of `text` with the highest TF-IDF weight, best first."""
    weights = keyword_weights(text, idf)
    # dicts keep first-occurrence order, so ties go to the word the text mentions first.
    ranked = sorted(weights, key=lambda word: -weights[word])
    return ranked[: max(n, 0)]


def _bundled_idf(word: str) -> float:
    """IDF from the table bundled with jieba; unknown words get its median, as jieba itself does."""
    table, median = _jieba_idf()
    value = table.get(word)
    return float(value) if value is not None else median


@lru_cache(maxsize=1)
def _jieba_idf() -> tuple[dict[str, str], float]:
    """jieba's idf.txt read directly (0.25 s, once): importing jieba.analyse would cost far more.

    Values stay strings until looked up: converting all 270k of them would double the load time.
    """
    spec = find_spec("jieba")
    if spec is None or spec.origin is None:  # pragma: no cover - jieba is a declared dependency
        return {}, 1.0
    path = Path(spec.origin).parent / "analyse" / "idf.txt"
    try:
        parts = path.read_text(encoding="utf-8").split()
    except OSError:  # pragma: no cover - a broken install: every word weighs the same
        return {}, 1.0
    words, values = parts[0::2], parts[1::2]
    # The median of an evenly spaced sample (every 97th entry) is the table's median to 2 decimals.
    sample = sorted(float(value) for value in values[::97])
    median = sample[len(sample) // 2] if sample else 1.0
    return dict(zip(words, values, strict=False)), median
