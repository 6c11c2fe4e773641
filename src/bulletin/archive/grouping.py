"""Near-duplicate detection: the same bulletin republished with other boilerplate or small edits.

Two articles are near-duplicates when the Jaccard similarity of their sets of character
5-grams (shingles) is at least NEAR_DUPLICATE_JACCARD. Comparing every pair is quadratic, so
each article also gets a small bottom-k sketch: the ANCHORS smallest shingle hashes. Two texts
with Jaccard J share each of the union's smallest hashes with probability J, so the number of
anchors they share is at least Binomial(16, J). Candidates sharing MIN_SHARED_ANCHORS anchors
are verified with the exact Jaccard of their shingle sets, so a hash collision never groups two
different articles.

`place` and `fingerprint_missing` file an article's sketch in the store and join it to the group
of the archived article it nearly duplicates.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

from bulletin.archive.store import Store
from bulletin.models import Article
from bulletin.text.normalize import fold

SHINGLE = 5
ANCHORS = 16
# A page republished with another template, a credit line and an edited sentence measures 0.89;
# different articles of the dev corpus measure at most 0.14 (English), 0.02 (Chinese), even
# from one site (tests/test_neardup.py). Copies edited more than about a fifth are not grouped.
NEAR_DUPLICATE_JACCARD = 0.8
# Texts shorter than this many shingles (about 30 characters) are not grouped: two short
# notices ("停水通知", a date, a place) can be identical by template and still be different news.
MIN_SHINGLES = 30
# A candidate must share this many of the 16 anchors. A pair at the threshold (J = 0.8) falls
# below six with probability 3e-5 (Binomial(16, 0.8) <= 5); a pair at J = 0.1, such as two
# articles quoting the same paragraph, reaches six with probability 0.003, so exact
# verification runs rarely.
MIN_SHARED_ANCHORS = 6

_NOT_LETTERS = re.compile(r"[\W_]+")


def _letters(text: str) -> str:
    """Letters and digits only, NFKC-folded and lower-cased: layout and punctuation differ between sites."""
    return _NOT_LETTERS.sub("", fold(text))


def shingles(text: str) -> frozenset[str]:
    """The set of overlapping character 5-grams of a text's letters and digits."""
    letters = _letters(text)
    if len(letters) < SHINGLE:
        return frozenset({letters}) if letters else frozenset()
    count = len(letters) - SHINGLE + 1
    # Slices made by map(), at C speed: a long text has tens of thousands of shingles.
    return frozenset(map(letters.__getitem__, map(slice, range(count), range(SHINGLE, count + SHINGLE))))


def anchors_of(text: str) -> tuple[int, ...] | None:
    """The anchor hashes of an article's clean text (None when too short to compare): small
    to store and to pass between processes, where a shingle set is thousands of strings."""
    import numpy as np  # here: searching loads this module and needs no numpy

    letters = _letters(text)
    windows = len(letters) - SHINGLE + 1
    if windows < MIN_SHINGLES:  # fewer windows than that, fewer distinct shingles
        return None
    # CRC-32 of each shingle's UTF-8 bytes, sliced from the text's bytes at each character's
    # offset: no shingle strings and no set of them. CRC-32 is in C and stable across
    # processes and versions (Python's hash() is salted); anchors are stored in the archive,
    # so the hash must never change.
    data = letters.encode("utf-8")
    offsets: list[int] | range = range(len(data) + 1)
    if len(data) != len(letters):
        points = np.frombuffer(letters.encode("utf-32-le"), dtype=np.uint32)
        widths = 1 + (points >= 0x80).astype(np.int64) + (points >= 0x800) + (points >= 0x10000)
        offsets = [0, *np.cumsum(widths).tolist()]
    pieces = map(data.__getitem__, map(slice, offsets[:windows], offsets[SHINGLE:]))
    hashes = np.unique(np.fromiter(map(zlib.crc32, pieces), dtype=np.uint32, count=windows))
    # Distinct hashes are never more than distinct shingles; a repetitive text short of
    # MIN_SHINGLES hashes may still have that many shingles (a collision), so count them.
    if len(hashes) < MIN_SHINGLES and len(shingles(text)) < MIN_SHINGLES:
        return None
    return tuple(hashes[:ANCHORS].tolist())


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|A ∩ B| / |A ∪ B| (0.0 for two empty sets)."""
    if not a and not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def is_near_duplicate(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two shingle sets are similar enough to be the same bulletin."""
    if len(a) < MIN_SHINGLES or len(b) < MIN_SHINGLES:
        return False
    # Jaccard cannot reach the threshold when the sizes are too far apart: skip the set work.
    small, large = sorted((len(a), len(b)))
    if small < NEAR_DUPLICATE_JACCARD * large:
        return False
    return jaccard(a, b) >= NEAR_DUPLICATE_JACCARD


def best_match(mine: frozenset[str], candidates: Iterable[tuple[str, str]]) -> str | None:
    """The id of the most similar candidate (id, text) that is a near-duplicate, if any."""
    best: tuple[float, str] | None = None
    for candidate_id, text in candidates:
        # Lengths too far apart cannot reach the threshold (shingles ~ characters less punctuation).
        if len(text) < 0.5 * len(mine) or len(mine) < 0.5 * len(text):
            continue
        theirs = shingles(text)
        if is_near_duplicate(mine, theirs):
            score = jaccard(mine, theirs)
            if best is None or score > best[0]:
                best = (score, candidate_id)
    return None if best is None else best[1]


def place(store: Store, article: Article, anchors: tuple[int, ...] | None) -> str:
    """Record a stored article's anchors (None: too short to compare) and return its group id.

    The shingle set is built only when some archived article shares enough anchors.
    """
    if not anchors:
        return article.id
    candidates = store.anchor_candidates(anchors, exclude=article.id, min_shared=MIN_SHARED_ANCHORS)
    store.add_anchors(article.id, anchors)
    match = best_match(shingles(article.text), candidates) if candidates else None
    if match is None:
        return article.id
    group = store.group_of(match)
    store.join_group(article.id, group)
    return group


def fingerprint_missing(store: Store) -> bool:
    """Sketch and group every article stored without anchors, oldest first; True if any joined a group.

    Archives from before near-duplicate detection have none; the caller holds the writer lock.
    """
    missing = store.missing_anchors()
    regrouped = False
    if missing:
        with store.transaction():
            for start in range(0, len(missing), 500):
                chunk = missing[start : start + 500]
                records = store.get_many(chunk)
                for article_id in chunk:
                    article = records[article_id]
                    regrouped |= place(store, article, anchors_of(article.text)) != article_id
            store.set_meta("anchors", "complete")
    elif store.get_meta("anchors") is None:
        store.set_meta("anchors", "complete")
    return regrouped
