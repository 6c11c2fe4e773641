"""A term's number for the index writer: its code points when it has one or two characters.

Nearly every term of a Chinese text is a bigram or a unigram, and two 21-bit code points make
a number that is the term itself: the worker that analysed an article sends these numbers,
and the writer groups a segment's postings by them with array work, with no dictionary
lookup a posting (that lookup was a fifth of the writing process). Numbers keep UTF-8's
order: code point order is byte order, and a unigram "a" (a, 0) comes before every bigram
"ab" (a, b > 0). Longer terms (Latin words, identifiers) and terms that are not text get
LONG here, and the writer numbers them itself, above every code-point key (WORD_KEYS on).
"""

from __future__ import annotations

from array import array
from collections.abc import Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

CODE_POINT_BITS = 21  # enough for U+10FFFF
LONG = -1  # the key of a term the writer numbers itself
WORD_KEYS = 1 << (2 * CODE_POINT_BITS)  # the writer's own numbers start here


def term_key(term: str) -> int:
    """The code-point key of a term of one or two characters, else LONG.

    A NUL would make "a\\0" the number of "a", and a newline would split the term when the
    keys are turned back (code_point_terms); no analysed token holds either, but terms that
    Whoosh indexes itself (identifiers) could, so they go the long way.
    """
    if not 0 < len(term) <= 2 or "\0" in term or "\n" in term:
        return LONG
    if len(term) == 1:
        return ord(term) << CODE_POINT_BITS
    return ord(term[0]) << CODE_POINT_BITS | ord(term[1])


def term_key_of_bytes(term: bytes) -> int:
    """term_key of a UTF-8 term; LONG for bytes that are not UTF-8 (Whoosh's numeric terms)."""
    try:
        return term_key(term.decode("utf-8"))
    except UnicodeDecodeError:
        return LONG


def keyed(terms: Collection[str]) -> tuple[bytes, bytes]:
    """The terms as a worker sends them: their keys as int64 bytes, and the terms that have no
    code-point key (UTF-8, joined by newlines: no analysed token holds one), for the writer."""
    keys = array("q", map(term_key, terms))
    words = "\n".join(term for term, key in zip(terms, keys, strict=True) if key == LONG)
    return keys.tobytes(), words.encode("utf-8")


def row_terms(keys: bytes, words: bytes) -> list[bytes]:
    """keyed's inverse: every term in order, UTF-8."""
    import numpy as np

    found = np.frombuffer(keys, dtype="<i8")
    short = iter(code_point_terms(found[found != LONG]))
    long = iter(words.split(b"\n"))
    return [next(long) if key == LONG else next(short) for key in found.tolist()]


def character_keys(characters: str) -> bytes:
    """keyed's keys for each character of a string (CJK characters: never NUL or a newline)."""
    import numpy as np

    points = np.frombuffer(characters.encode("utf-32-le"), dtype="<u4").astype("<i8")
    return (points << CODE_POINT_BITS).tobytes()


def code_point_terms(keys: np.ndarray) -> list[bytes]:
    """The UTF-8 terms of code-point keys (none LONG, none a writer's own number), in order."""
    import numpy as np

    if not keys.size:
        return []
    # Each term as its first code point, its second (0 for a unigram) and a newline, then
    # the zeros dropped: one decode for all of them.
    points = np.empty((keys.size, 3), dtype="<u4")
    points[:, 0] = keys >> CODE_POINT_BITS
    points[:, 1] = keys & ((1 << CODE_POINT_BITS) - 1)
    points[:, 2] = ord("\n")
    flat = points.ravel()
    joined: bytes = flat[flat != 0].tobytes().decode("utf-32-le").encode("utf-8")
    return joined.split(b"\n")[:-1]
