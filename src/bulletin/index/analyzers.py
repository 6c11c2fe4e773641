"""Whoosh analyzer classes. Whoosh pickles these into the index: keep this module path stable.

Renaming or moving a class here makes existing indexes unopenable; the archive then
rebuilds its index from SQLite (see bulletin.index.open_index), but bump
SCHEMA_VERSION in bulletin.index.schema whenever behaviour here changes.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterator
from itertools import count, repeat
from operator import add
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
    return normalized_char_postings(normalize(value))


def normalized_char_postings(text: str) -> FieldPostings:
    """char_postings of text already passed through `normalize`."""
    import numpy as np  # here, not at the top: searching loads this module and needs no numpy

    counts = Counter(INDEXED_CHAR.findall(text))  # counted in C, in order of first arrival
    weights = array("f", map(float, counts.values()))
    encoded = b"".join([_FREQUENCY.get(n) or pack_uint(n) for n in counts.values()])
    ends = np.arange(_UINT, len(encoded) + 1, _UINT, dtype="<u4")  # every frequency is one uint
    terms = "\n".join(counts).encode("utf-8")
    return FieldPostings(counts.total(), terms, weights, encoded, ends.tobytes())


_FREQUENCY = {n: pack_uint(n) for n in range(1, 64)}
_UINT = len(pack_uint(0))


def bigram_analyzer() -> CJKBigramTokenizer:
    """The analyzer for every searchable text field."""
    return CJKBigramTokenizer()


# -- pre-analysis (worker processes) ---------------------------------------------------------
#
# Whoosh's own path makes one Token object per token and several Python calls per posting;
# at ~2,000 postings an article that is most of an import's time. These functions compute
# exactly what `Positions.word_values` would (one (term, freq, weight, encoded positions)
# row per distinct term), with a Python step a run of characters rather than a token: tokens
# are made by map(), grouped by term with a dictionary and one stable numpy sort, and their
# positions encoded for the whole field with numpy (_encoded_positions). Worker processes do
# it and the writer only files the rows. tests/test_field_postings.py checks the rows against
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
    them column by column at C speed."""

    length: int  # the field length Whoosh records (token count)
    terms: bytes  # UTF-8 terms joined by newlines (no token contains whitespace)
    weights: array[float]
    # Each term's encoded positions (or frequency), back to back, and where each ends (uint32
    # bytes): two objects instead of one a term, for pickling between processes and holding
    # a chunk of articles in memory.
    values: bytes
    value_ends: bytes
    # For fields with positions, the same positions again as uint32 arrays (each term's count,
    # then every position term by term), so the writer builds the posting arrays without
    # decoding `values`; b"" for fields without.
    counts: bytes = b""
    positions: bytes = b""


def field_postings(value: str, field_boost: float) -> FieldPostings:
    """The posting rows of one text field value, exactly as Whoosh would index it."""
    return normalized_postings(normalize(value), field_boost)


def normalized_postings(text: str, field_boost: float) -> FieldPostings:
    """field_postings of text already passed through `normalize`."""
    import numpy as np  # here, not at the top: searching loads this module and needs no numpy

    tokens, positions = _token_stream(text)
    if not tokens:
        return FieldPostings(0, b"", array("f"), b"", b"")
    vocabulary: dict[str, int] = {}
    # Each token's key is the index of its term's first occurrence (count() advances for
    # every token), so keys ascend with the terms' first arrival, the dictionary's order.
    keys = np.fromiter(map(vocabulary.setdefault, tokens, count()), dtype=np.int64, count=len(tokens))
    firsts = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))
    ranks = np.searchsorted(firsts, keys)
    grouped = np.asarray(positions, dtype=np.int64)[np.argsort(ranks, kind="stable")]
    counts = np.bincount(ranks, minlength=len(firsts))
    ends = np.cumsum(counts)
    starts = ends - counts
    deltas = np.diff(grouped, prepend=0)
    deltas[starts] = grouped[starts]  # each term's first position is absolute
    if int(counts.max()) <= _PICKLE_BATCH and positions[-1] < _LARGEST_J:  # positions ascend
        joined, value_ends = _encoded_positions(counts, deltas)
    else:  # a term with over a thousand positions (a huge text): pickle's own batching
        delta_lists = map(deltas.tolist().__getitem__, map(slice, starts.tolist(), ends.tolist()))
        pickled = map(dumps, delta_lists, repeat(2))
        encoded = list(map(add, map(pack_uint, counts.tolist()), pickled))
        joined = b"".join(encoded)
        value_ends = np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)))
    weights = array("f", (counts * field_boost).astype(np.float32).tobytes())
    return FieldPostings(
        len(tokens),
        "\n".join(vocabulary).encode("utf-8"),
        weights,
        joined,
        value_ends.astype("<u4").tobytes(),
        counts.astype("<u4").tobytes(),
        grouped.astype("<u4").tobytes(),
    )


# Whoosh's Positions.encode is a uint count, then pickle.dumps(deltas, 2). For lists of up to
# 1,000 small ints that pickle is fixed in form: a header (protocol 2, an empty list memoised
# as 0), then one item and APPEND, or MARK, the items and APPENDS, then STOP; an item is K and
# one byte below 256, M and two bytes below 65,536, else J and four (little-endian). Laying
# those bytes out for every term at once is a few numpy operations instead of a dumps() a term.
_PICKLE_BATCH = 1000
_LIST_HEAD = b"\x80\x02]q\x00"
_HEAD = 4 + len(_LIST_HEAD)  # the uint count, then the pickle's header
_K, _M, _J, _MARK, _APPEND, _APPENDS, _STOP = b"KMJ(ae."
_LARGEST_J = 1 << 31  # J is a signed four-byte int: larger positions need pickle's own encoding


def _encoded_positions(counts: Any, deltas: Any) -> tuple[bytes, Any]:
    """Every term's Positions.encode bytes, joined, and where each ends (terms with at most
    _PICKLE_BATCH positions; `deltas` holds each term's first position, then differences)."""
    import numpy as np

    several = counts > 1
    item_sizes = np.where(deltas < 1 << 8, 2, np.where(deltas < 1 << 16, 3, 5))
    term_of_item = np.repeat(np.arange(counts.size), counts)
    first_items = np.cumsum(counts) - counts  # each term's first item
    item_ends = np.cumsum(item_sizes)
    items_before = np.concatenate(([0], item_ends))[first_items]  # item bytes before each term's
    lengths = _HEAD + several + np.add.reduceat(item_sizes, first_items) + 2
    ends = np.cumsum(lengths)
    starts = ends - lengths
    out = np.zeros(int(ends[-1]), dtype=np.uint8)
    out[starts[:, None] + np.arange(4)] = counts.astype(">u4").view(np.uint8).reshape(-1, 4)
    out[starts[:, None] + np.arange(4, _HEAD)] = np.frombuffer(_LIST_HEAD, dtype=np.uint8)
    out[starts[several] + _HEAD] = _MARK
    within = item_ends - item_sizes - items_before[term_of_item]  # an item's offset among its term's
    at = starts[term_of_item] + _HEAD + several[term_of_item] + within
    out[at] = np.where(item_sizes == 2, _K, np.where(item_sizes == 3, _M, _J))
    little = deltas.astype("<u4").view(np.uint8).reshape(-1, 4)
    for byte in range(4):  # an item's value bytes: one for K, two for M, four for J
        has = item_sizes > byte + 1
        out[at[has] + 1 + byte] = little[has, byte]
    out[ends - 2] = np.where(several, _APPENDS, _APPEND)
    out[ends - 1] = _STOP
    return out.tobytes(), ends
