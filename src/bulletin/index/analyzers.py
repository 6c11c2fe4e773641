"""Whoosh analyzer classes. Whoosh pickles these into the index: keep this module path stable.

Renaming or moving a class here makes existing indexes unopenable; the archive then
rebuilds its index from SQLite (see bulletin.index.open_index), but bump
SCHEMA_VERSION in bulletin.index.schema whenever behaviour here changes.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterator
from itertools import count
from operator import add
from typing import Any, ClassVar, NamedTuple

from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer
from whoosh.formats import Format, tokens

from bulletin.analysis import _RUNS, Token, normalize, tokenize
from bulletin.index import token_arrays
from bulletin.index.term_keys import character_keys, keyed, row_terms
from bulletin.index.token_arrays import MIN_ARRAY_TEXT
from bulletin.text.cjk import INDEXED_CHAR


class _NormalisingTokenizer(Tokenizer):  # type: ignore[misc]
    """Whoosh's tokenizer protocol over the tokens `_tokens` finds in normalised text."""

    def _tokens(self, text: str) -> Iterator[Token]:
        raise NotImplementedError

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize_: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[WhooshToken]:
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for item in self._tokens(normalize(value)):
            token.text = item.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = item.text
            if positions:
                token.pos = start_pos + item.pos
            if chars:
                token.startchar = start_char + item.start
                token.endchar = start_char + item.end
            yield token


class CJKBigramTokenizer(_NormalisingTokenizer):
    """Normalises text and yields CJK bigrams, run-final unigrams and Latin words."""

    def _tokens(self, text: str) -> Iterator[Token]:
        return tokenize(text)


class CJKCharTokenizer(_NormalisingTokenizer):
    """Normalises text and yields each CJK character (for single-character queries)."""

    def _tokens(self, text: str) -> Iterator[Token]:
        for n, match in enumerate(INDEXED_CHAR.finditer(text)):
            yield Token(match.group(), n, match.start(), match.end())


class CountedTerms(Format):  # type: ignore[misc]
    """The postings format of bulletin's text fields: a term's weight in a document is its
    count of tokens times the field's boost, and a posting stores nothing else.

    Whoosh's Positions format pickles every posting's positions into its blocks, which made
    them 57% of the postings files (10,000 benchmark articles); bulletin's phrase matching
    reads positions from the posting arrays (bulletin.index.whoosh.posting_arrays), their only
    home. Whoosh reads these blocks as it reads Existence's: weights are stored, values are
    empty.
    """

    posting_size = 0
    __inittypes__: ClassVar[dict[str, type]] = {"field_boost": float}

    def __init__(self, field_boost: float = 1.0, **options: Any) -> None:
        self.field_boost = field_boost
        self.options = options

    def word_values(
        self, value: Any, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        """(term, count, weight, b"") for each distinct term of `value`."""
        counted = Counter(token.text for token in tokens(value, analyzer, kwargs))
        return ((term, n, n * self.field_boost, b"") for term, n in counted.items())

    def encode(self, value: Any) -> bytes:
        """Nothing: a posting's weight is all it has."""
        return b""

    def decode_frequency(self, valuestring: bytes) -> int:
        """Not stored (Whoosh's scorers read the weight)."""
        return 1

    def decode_weight(self, valuestring: bytes) -> float:
        """The field's boost (the posting's own weight is in its block)."""
        return float(self.field_boost)

    def combine(self, vs: Any) -> bytes:
        """Nothing to combine."""
        return b""


def char_analyzer() -> CJKCharTokenizer:
    """The analyzer of the `chars` field: one token per CJK character."""
    return CJKCharTokenizer()


def char_postings(value: str) -> FieldPostings:
    """The posting rows of the `chars` field (counts only), as Whoosh would index it."""
    return normalized_char_postings(normalize(value))


def normalized_char_postings(text: str) -> FieldPostings:
    """char_postings of text already passed through `normalize`."""
    if len(text) >= MIN_ARRAY_TEXT and (counted := token_arrays.counted_characters(text)) is not None:
        total, chars, tallies = counted
        weights = array("f", tallies.astype("<f4").tobytes())
    else:
        counts = Counter(INDEXED_CHAR.findall(text))  # counted in C, in order of first arrival
        total, chars, weights = counts.total(), "".join(counts), array("f", map(float, counts.values()))
    return FieldPostings(total, character_keys(chars), b"", weights)  # every character has a key


def bigram_analyzer() -> CJKBigramTokenizer:
    """The analyzer for every searchable text field."""
    return CJKBigramTokenizer()


# -- pre-analysis (worker processes) ---------------------------------------------------------
#
# Whoosh's own path makes one Token object per token and several Python calls per posting;
# at ~2,000 postings an article that is most of an import's time. These functions compute
# what `CountedTerms.word_values` would (one (term, count, weight) row per distinct term) and
# each term's positions, with a Python step a run of characters rather than a token: tokens
# are made by map() and grouped by term with a dictionary and one stable numpy sort. Worker
# processes do it and the writer only files the rows. tests/test_field_postings.py checks the rows against
# Whoosh's own indexing, tests/test_bulk_index.py that the two paths build identical indexes.


def _token_stream(text: str) -> tuple[list[str], list[int]]:
    """The tokens of normalised text and their positions, in order (the same as `tokenize`)."""
    tokens: list[str] = []
    positions: list[int] = []
    pos = 0
    gap = False
    for match in _RUNS.finditer(text):
        cjk, digits, word, mark = match.groups()
        if mark is not None:
            gap = True
            continue
        if gap:
            pos += 1
            gap = False
        run = cjk or digits
        if run is None or len(run) == 1:
            tokens.append(word if word is not None else run)
            positions.append(pos)
            pos += 1
            continue
        # Bigrams, then the run-final unigram at the last bigram's position.
        tokens.extend(map(add, run, run[1:]))
        tokens.append(run[-1])
        last = pos + len(run) - 2
        positions.extend(range(pos, last + 1))
        positions.append(last)
        pos = last + 1
    return tokens, positions


class FieldPostings(NamedTuple):
    """One field's posting rows as columns: a few flat objects pickle and unpickle far faster
    (and hold far less memory) than ~2,000 small tuples an article, and the writer files
    them column by column at C speed. A row's term is its key (bulletin.index.term_keys):
    only terms without a code-point key travel as text."""

    length: int  # the field length Whoosh records (token count)
    keys: bytes  # each term's key, int64 bytes
    words: bytes  # the terms whose key is LONG, in row order, UTF-8 joined by newlines
    weights: array[float]  # each term's count of tokens times the field's boost
    # For fields with positions, each term's count and then every position term by term, as
    # uint32 bytes (the posting arrays are their only home); b"" for fields without.
    counts: bytes = b""
    positions: bytes = b""

    def terms(self) -> list[bytes]:
        """Every row's term, UTF-8, in row order."""
        return row_terms(self.keys, self.words)


def field_postings(value: str, field_boost: float) -> FieldPostings:
    """The posting rows of one text field value, exactly as Whoosh would index it."""
    return normalized_postings(normalize(value), field_boost)


def normalized_postings(text: str, field_boost: float) -> FieldPostings:
    """field_postings of text already passed through `normalize`."""
    import numpy as np  # here, not at the top: searching loads this module and needs no numpy

    if len(text) >= MIN_ARRAY_TEXT and (grouped_tokens := token_arrays.grouped_tokens(text)) is not None:
        return FieldPostings(
            grouped_tokens.length,
            grouped_tokens.keys.astype("<i8").tobytes(),
            grouped_tokens.words,
            array("f", (grouped_tokens.counts * field_boost).astype(np.float32).tobytes()),
            grouped_tokens.counts.astype("<u4").tobytes(),
            grouped_tokens.positions.astype("<u4").tobytes(),
        )
    tokens, positions = _token_stream(text)
    if not tokens:
        return FieldPostings(0, b"", b"", array("f"))
    vocabulary: dict[str, int] = {}
    # Each token's key is the index of its term's first occurrence (count() advances for
    # every token), so keys ascend with the terms' first arrival, the dictionary's order.
    keys = np.fromiter(map(vocabulary.setdefault, tokens, count()), dtype=np.int64, count=len(tokens))
    firsts = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))
    ranks = np.searchsorted(firsts, keys)
    grouped = np.asarray(positions, dtype=np.int64)[np.argsort(ranks, kind="stable")]
    counts = np.bincount(ranks, minlength=len(firsts))
    weights = array("f", (counts * field_boost).astype(np.float32).tobytes())
    return FieldPostings(
        len(tokens),
        *keyed(vocabulary),
        weights,
        counts.astype("<u4").tobytes(),
        grouped.astype("<u4").tobytes(),
    )
