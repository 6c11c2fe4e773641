"""A segment's postings as flat columns, grouped by term with one sort instead of a step a posting.

The bulk writer files each document's rows by extending columns (term keys, doc numbers,
weights, and for fields with positions each posting's count of them and the positions);
each distinct term is held once, in a dictionary. Postings have no values to carry: the
schema's formats store weights only (bulletin.index.analyzers.CountedTerms). At the
end of a segment, grouped_postings ranks the distinct terms in byte order and sorts the
postings by rank, stably: each term's postings come out in the order they were added, which
is ascending doc number, exactly as Whoosh's own pool would give them.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import count

import numpy as np

from bulletin.index.whoosh.posting_arrays import spans


class FieldColumns:
    """One field's postings in arrival order, each term held once (a posting keeps its key)."""

    def __init__(self) -> None:
        self.vocabulary: dict[bytes, int] = {}  # term -> key; keys grow with first arrival
        self._next_key = count()
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
        """Append the keys of postings' terms (new terms get the next keys), at C speed."""
        self.keys.extend(map(self.vocabulary.setdefault, terms, self._next_key))

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


def grouped_postings(columns: FieldColumns) -> GroupedPostings:
    """Group a field's postings by term (terms in byte order, postings in arrival order).

    Empties `columns` as it goes: at 2,000 articles a chunk the text field holds some four
    million postings, and each column let go as soon as it is permuted keeps the writer's
    peak to about one copy of them (the grouping's own temporaries are 4 and 8 bytes a
    posting or position, made one at a time).
    """
    terms = list(columns.vocabulary)
    firsts = np.fromiter(columns.vocabulary.values(), dtype=np.int64, count=len(terms))  # ascending
    by_bytes = sorted(range(len(terms)), key=terms.__getitem__)
    rank = np.empty(len(terms), dtype=np.int32 if len(terms) < 1 << 31 else np.int64)
    rank[by_bytes] = np.arange(len(terms), dtype=rank.dtype)
    keys = rank[np.searchsorted(firsts, np.frombuffer(columns.keys, dtype=np.int64))]
    columns.keys = array("q")
    order = np.argsort(keys, kind="stable")
    ends = np.cumsum(np.bincount(keys, minlength=len(terms)))
    del keys
    docs = np.frombuffer(columns.docs, dtype=np.uint32)[order]
    columns.docs = array("I")
    weights = np.frombuffer(columns.weights, dtype=np.float32)[order]
    columns.weights = array("f")
    grouped = GroupedPostings([terms[k] for k in by_bytes], ends, docs, weights)
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
