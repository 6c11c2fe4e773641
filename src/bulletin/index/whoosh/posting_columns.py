"""A segment's postings as flat columns, grouped by term with one sort instead of a step a posting.

The bulk writer files each document's rows by extending columns (term keys, doc numbers,
weights, and for fields with positions each posting's count of them and the positions).
A term's key is its code points (bulletin.index.term_keys), made by the worker that
analysed the article; only longer terms are numbered here, in a dictionary. Postings have
no values to carry: the schema's formats store weights only
(bulletin.index.analyzers.CountedTerms). At the end of a segment, grouped_postings sorts
the postings by key, stably, and puts the terms in byte order: each term's postings come out
in the order they were added, which is ascending doc number, exactly as Whoosh's own pool
would give them.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from bulletin.index.term_keys import LONG, WORD_KEYS, code_point_terms, term_key_of_bytes
from bulletin.index.whoosh.posting_arrays import spans


class FieldColumns:
    """One field's postings in arrival order, each a term key (bulletin.index.term_keys)."""

    def __init__(self) -> None:
        # Terms without a code-point key, numbered in order of first arrival from WORD_KEYS.
        self.words: dict[bytes, int] = {}
        self.keys = array("q")
        self.docs = array("I")
        self.weights = array("f")
        # Positions, when every posting came with them (analysed in a worker, or a merge that
        # found them in the posting arrays): each posting's count, then all positions posting
        # by posting. A posting filed without them (by Whoosh's own indexing) leaves the
        # field's positions incomplete, and the segment gets no posting arrays.
        self.counts = array("I")
        self.positions = array("I")

    def add_terms(self, terms: Iterable[bytes]) -> None:
        """Append the keys of postings' terms, a Python step a term (merges, Whoosh's indexing)."""
        self.keys.extend(map(self._key, terms))

    def add_keyed(self, keys: bytes, words: bytes) -> None:
        """Append postings' keys made by a worker, numbering the terms it could not (`words`,
        newline-joined, in order): an article has a few, against some 2,000 code-point keys."""
        found = np.frombuffer(keys, dtype=np.int64)
        long = np.flatnonzero(found == LONG)
        if long.size:
            found = found.copy()
            found[long] = list(map(self._word, words.split(b"\n")))
        self.keys.frombytes(found.tobytes())

    def _key(self, term: bytes) -> int:
        key = term_key_of_bytes(term)
        return self._word(term) if key == LONG else key

    def _word(self, term: bytes) -> int:
        return self.words.setdefault(term, WORD_KEYS + len(self.words))

    def __len__(self) -> int:
        return len(self.keys)


@dataclass
class GroupedPostings:
    """One field's postings grouped by term: term k's postings are [ends[k - 1], ends[k])."""

    terms: list[bytes]  # distinct, in byte order
    ends: np.ndarray  # int64, one a term
    docs: np.ndarray  # uint32 doc numbers
    weights: np.ndarray  # float32
    counts: np.ndarray | None = None  # positions per posting, when the columns had them
    positions: np.ndarray | None = None  # every posting's positions, in posting order

    @property
    def starts(self) -> np.ndarray:
        """Each term's first posting."""
        sizes = np.diff(self.ends, prepend=0)
        starts: np.ndarray = self.ends - sizes
        return starts


# Postings looked at a time when finding runs of one key: the sorted keys whole would be
# 8 bytes a posting more at the writer's peak (some 32 MB for a 2,000-article segment).
RUN_STEP = 1 << 20


def _runs(keys: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Where each run of equal keys begins in `order` (the keys' stable sort)."""
    heads: list[np.ndarray] = []
    last = None
    for start in range(0, order.size, RUN_STEP):
        block = keys[order[start : start + RUN_STEP]]
        changes = np.empty(block.size, dtype=bool)
        changes[0] = last is None or block[0] != last
        np.not_equal(block[1:], block[:-1], out=changes[1:])
        heads.append(np.flatnonzero(changes) + start)
        last = block[-1]
    return np.concatenate(heads) if heads else np.zeros(0, dtype=np.int64)


def _regrouped(order: np.ndarray, heads: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """`order`'s runs [head, head + size) one after another, gathered some RUN_STEP postings
    at a time into one new array (the whole gather's indexes would be 8 bytes a posting more)."""
    out = np.empty_like(order)
    ends = np.cumsum(sizes)
    at = 0
    first = 0
    while first < len(sizes):
        # The runs that end within RUN_STEP postings of `at` (one at least).
        last = max(first + 1, int(np.searchsorted(ends, at + RUN_STEP, side="right")))
        gathered = order[spans(heads[first:last], sizes[first:last])]
        out[at : at + gathered.size] = gathered
        at += gathered.size
        first = last
    return out


def grouped_postings(columns: FieldColumns) -> GroupedPostings:
    """Group a field's postings by term (terms in byte order, postings in arrival order).

    Empties `columns` as it goes: at 2,000 articles a chunk the text field holds some four
    million postings, and each column let go as soon as it is permuted keeps the writer's
    peak to about one copy of them (the grouping's own temporaries are 4 and 8 bytes a
    posting or position, made one at a time).
    """
    keys = np.frombuffer(columns.keys, dtype=np.int64)
    columns.keys = array("q")
    order = np.argsort(keys, kind="stable")
    heads = _runs(keys, order)
    distinct = keys[order[heads]]
    del keys
    sizes = np.diff(heads, append=order.size)
    # Code-point keys are in byte order already; the words, numbered by arrival, sort in.
    short = int(np.searchsorted(distinct, WORD_KEYS))
    words = list(columns.words)
    terms = code_point_terms(distinct[:short]) + [words[k - WORD_KEYS] for k in distinct[short:].tolist()]
    if short < len(terms):
        by_bytes = np.array(sorted(range(len(terms)), key=terms.__getitem__), dtype=np.int64)
        terms = [terms[k] for k in by_bytes.tolist()]
        order = _regrouped(order, heads[by_bytes], sizes[by_bytes])
        sizes = sizes[by_bytes]
    del heads, distinct
    ends = np.cumsum(sizes)
    docs = np.frombuffer(columns.docs, dtype=np.uint32)[order]
    columns.docs = array("I")
    weights = np.frombuffer(columns.weights, dtype=np.float32)[order]
    columns.weights = array("f")
    grouped = GroupedPostings(terms, ends, docs, weights)
    if len(columns.counts) == docs.size:  # every posting came with its positions
        counts = np.frombuffer(columns.counts, dtype=np.uint32)
        firsts_in_arrival = (np.cumsum(counts, dtype=np.int64) - counts)[order]
        grouped.counts = counts[order]
        del order, counts
        columns.counts = array("I")
        gather = spans(firsts_in_arrival, grouped.counts)
        del firsts_in_arrival
        grouped.positions = np.frombuffer(columns.positions, dtype=np.uint32)[gather]
        columns.positions = array("I")
    return grouped
