"""A long text's index tokens found with numpy: character classes by table, runs by comparison.

`bulletin.index.analyzers._token_stream` runs a Python step a run of characters; Chinese text
breaks into a run every few characters (punctuation, digits, Latin words), and an article's
body was a fifth of a worker's time. Here the runs are found at once from a class for each
character, and tokens are grouped by a number made of their code points (words, the only
tokens longer than two characters, by a dictionary), so Python works a word at a time and
never a bigram at a time. The result is exactly `_token_stream`'s and `normalized_postings`'s:
tests/test_token_arrays.py checks them against each other, and tests/test_field_postings.py
checks the rows against Whoosh's own indexing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import count
from typing import TYPE_CHECKING, NamedTuple

from bulletin.index.term_keys import CODE_POINT_BITS, LONG, WORD_KEYS
from bulletin.text.cjk import INDEXED

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# Character classes, as `bulletin.analysis._RUNS` tells them apart (its groups in order):
# a CJK character, a digit, another letter, a mark (anything else that is not whitespace).
BLANK, MARK, CJK, DIGIT, LETTER = range(5)
_GRAMMED = (CJK, DIGIT)  # runs of these become bigrams and a run-final unigram

# Texts shorter than this take the Python path: numpy's fixed cost a call beats its gain.
MIN_ARRAY_TEXT = 200


@lru_cache(maxsize=1)
def _classes() -> np.ndarray:
    """Each BMP code point's class (astral text takes the Python path: the table stays 64 KB)."""
    import numpy as np

    every = "".join(map(chr, range(0x10000)))
    table = np.full(0x10000, MARK, dtype=np.uint8)
    # Later classes win, in the reverse of _RUNS's order of alternatives.
    for pattern, kind in ((r"\s+", BLANK), (r"\w+", LETTER), (r"\d+", DIGIT), (f"[{INDEXED}]+", CJK)):
        for match in re.finditer(pattern, every):
            table[match.start() : match.end()] = kind
    return table


def _code_points(text: str) -> np.ndarray | None:
    """The text's code points, or None when a table lookup cannot classify them all."""
    import numpy as np

    try:
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # lone surrogates (undecodable bytes): the regex path copes
        return None
    if len(points) and int(points.max()) >= 0x10000:
        return None
    return points


class TokenArrays(NamedTuple):
    """A text's tokens in order: where each starts and ends, its position, its grouping key."""

    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]
    positions: npt.NDArray[np.int64]
    keys: npt.NDArray[np.int64]


def token_arrays(text: str) -> TokenArrays | None:
    """The tokens `_token_stream` makes of normalised text, as arrays (None: use that path)."""
    import numpy as np

    points = _code_points(text)
    if points is None:
        return None
    kinds = _classes()[points]
    before = np.concatenate(([BLANK], kinds[:-1]))
    after = np.concatenate((kinds[1:], [BLANK]))
    grammed = np.isin(kinds, _GRAMMED)
    letter = kinds == LETTER
    # Every character of a grammed run starts a token (a bigram, or the run-final unigram);
    # a word starts where a run of letters does.
    starts = np.flatnonzero(grammed | (letter & (before != LETTER)))
    if not len(starts):
        empty = np.zeros(0, dtype=np.int64)
        return TokenArrays(empty, empty, empty, empty)
    kind = kinds[starts]
    continues = after[starts] == kind  # the run goes on: a bigram (or, for a word, more letters)
    is_word = kind == LETTER
    ends = starts + 1 + (continues & ~is_word)
    word_ends = np.flatnonzero(letter & (after != LETTER)) + 1
    ends[is_word] = word_ends
    # A run-final unigram after a bigram shares the bigram's position; a mark between two
    # tokens (or before the first) opens a gap of one.
    shares = ~continues & ~is_word & (before[starts] == kind)
    marks = np.cumsum(kinds == MARK)[starts]
    gaps = np.diff(marks, prepend=0) > 0
    positions = np.cumsum(~shares) - 1 + np.cumsum(gaps)
    # Keys: a token of one or two characters is its code points (term_keys.term_key); a
    # longer word is its first arrival among such words, above every code-point key.
    wide = points.astype(np.int64)
    following = np.concatenate((wide[1:], [0]))
    lengths = ends - starts
    keys = (wide[starts] << CODE_POINT_BITS) | np.where(lengths == 2, following[starts], 0)
    long = lengths > 2  # words only: bigrams are two characters
    if long.any():
        long_starts, long_ends = starts[long].tolist(), ends[long].tolist()
        words = map(text.__getitem__, map(slice, long_starts, long_ends))
        seen: dict[str, int] = {}
        ids = np.fromiter(map(seen.setdefault, words, count()), dtype=np.int64, count=len(long_starts))
        keys[long] = WORD_KEYS + ids
    return TokenArrays(starts, ends, positions, keys)


class GroupedTokens(NamedTuple):
    """A text's distinct terms with their counts and positions, in the order of their keys
    (code points: the writer ranks a segment's terms by their bytes, whatever their order here)."""

    length: int  # tokens in all
    words: bytes  # the terms without a code-point key (words of three letters on), UTF-8, by newlines
    keys: npt.NDArray[np.int64]  # each term's term_keys key (LONG for those words)
    counts: npt.NDArray[np.int64]
    positions: npt.NDArray[np.int64]  # every term's positions, term after term


def grouped_tokens(text: str) -> GroupedTokens | None:
    """The tokens of normalised text grouped by term, as `normalized_postings` groups them."""
    import numpy as np

    found = token_arrays(text)
    if found is None:
        return None
    # One stable sort groups the tokens by term, each term's tokens in text order, so its
    # positions ascend; a group's first token is the term's first occurrence.
    order = np.argsort(found.keys, kind="stable")
    ordered = found.keys[order]
    firsts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1]))) if len(order) else order
    counts = np.diff(firsts, append=len(order))
    term_at = order[firsts]
    keys = ordered[firsts]
    long = np.flatnonzero(keys >= WORD_KEYS)
    starts, ends = found.starts[term_at[long]].tolist(), found.ends[term_at[long]].tolist()
    words = "\n".join(map(text.__getitem__, map(slice, starts, ends))).encode("utf-8")
    keys[long] = LONG
    return GroupedTokens(len(order), words, keys, counts, found.positions[order])


def counted_characters(text: str) -> tuple[int, str, npt.NDArray[np.int64]] | None:
    """The CJK characters of normalised text: how many, the distinct ones in order of first
    arrival, and each one's count (None: use the regex path)."""
    import numpy as np

    points = _code_points(text)
    if points is None:
        return None
    chars = points[_classes()[points] == CJK]
    _, firsts, counts = np.unique(chars, return_index=True, return_counts=True)
    arrival = np.argsort(firsts)
    distinct = chars[firsts[arrival]].astype("<u4").tobytes().decode("utf-32-le")
    return len(chars), distinct, counts[arrival]
