"""Whoosh analyzer classes. Whoosh pickles these into the index: keep this module path stable.

Renaming or moving a class here makes existing indexes unopenable; the archive then
rebuilds its index from SQLite (see bulletin.index.open_index), but bump
SCHEMA_VERSION in bulletin.index.schema whenever behaviour here changes.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from itertools import pairwise
from pickle import dumps
from typing import Any, NamedTuple

from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer
from whoosh.system import pack_uint

from bulletin.analysis import _RUNS, Token, normalize, tokenize
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


def char_analyzer() -> CJKCharTokenizer:
    """The analyzer of the `chars` field: one token per CJK character."""
    return CJKCharTokenizer()


def char_postings(value: str) -> FieldPostings:
    """The posting rows of the `chars` field (frequencies only), as Whoosh's Frequency format makes."""
    counts: dict[str, int] = {}
    for char in INDEXED_CHAR.findall(normalize(value)):
        counts[char] = counts.get(char, 0) + 1
    weights = array("f", [float(n) for n in counts.values()])
    encoded = [_FREQUENCY.get(n) or pack_uint(n) for n in counts.values()]
    terms = "\n".join(counts).encode("utf-8")
    return FieldPostings(sum(counts.values()), terms, weights, encoded)


_FREQUENCY = {n: pack_uint(n) for n in range(1, 64)}


def bigram_analyzer() -> CJKBigramTokenizer:
    """The analyzer for every searchable text field."""
    return CJKBigramTokenizer()


# -- pre-analysis (worker processes) ---------------------------------------------------------
#
# Whoosh's own path makes one Token object per token and several Python calls per posting;
# at ~2,000 postings an article that is most of an import's time. These functions compute
# exactly what `Positions.word_values` would (one (term, freq, weight, encoded positions)
# row per distinct term) in one pass, so worker processes can do it and the writer only
# files the rows. tests/test_search_index.py checks the two paths build identical indexes.

_ONE_POSITION: dict[int, bytes] = {}


def _encode_positions(positions: list[int]) -> bytes:
    """Whoosh's Positions.encode: a uint count, then the pickled position deltas."""
    if len(positions) == 1:
        # Most bigrams occur once in an article: cache their encodings by position.
        only = positions[0]
        cached = _ONE_POSITION.get(only)
        if cached is None:
            cached = _ONE_POSITION[only] = bytes(pack_uint(1) + dumps([only], 2))
        return cached
    deltas = [positions[0]]
    deltas.extend(b - a for a, b in pairwise(positions))
    return bytes(pack_uint(len(deltas)) + dumps(deltas, 2))


def token_positions(text: str) -> dict[str, list[int]]:
    """Positions of each distinct token of normalised text (the same tokens as `tokenize`)."""
    found: dict[str, list[int]] = {}
    get = found.get
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
            term = word if word is not None else run
            assert term is not None
            slot = get(term)
            if slot is None:
                found[term] = [pos]
            else:
                slot.append(pos)
            pos += 1
            continue
        for k in range(len(run) - 1):
            gram = run[k : k + 2]
            slot = get(gram)
            if slot is None:
                found[gram] = [pos]
            else:
                slot.append(pos)
            pos += 1
        last = run[-1]  # the run-final unigram shares the last bigram's position
        slot = get(last)
        if slot is None:
            found[last] = [pos - 1]
        else:
            slot.append(pos - 1)
    return found


class FieldPostings(NamedTuple):
    """One field's posting rows as columns: a few flat objects pickle and unpickle far faster
    (and hold far less memory) than ~2,000 small tuples an article, and the writer files
    them column by column at C speed."""

    length: int  # the field length Whoosh records (token count)
    terms: bytes  # UTF-8 terms joined by newlines (no token contains whitespace)
    weights: array[float]
    values: list[bytes]  # each term's encoded positions (or frequency)


def field_postings(value: str, field_boost: float) -> FieldPostings:
    """The posting rows of one text field value, exactly as Whoosh would index it."""
    found = token_positions(normalize(value))
    freqs = [len(positions) for positions in found.values()]
    weights = array("f", [freq * field_boost for freq in freqs])
    values = [_encode_positions(positions) for positions in found.values()]
    return FieldPostings(sum(freqs), "\n".join(found).encode("utf-8"), weights, values)
