"""A segment's postings as flat columns, grouped by term with one sort instead of a step a posting.

The bulk writer files each document's rows by extending four columns (term keys, doc
numbers, weights, encoded values: one byte string and each value's end in it, not an object
a posting); each distinct term is held once, in a dictionary. At the
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
        self.values = bytearray()  # every posting's encoded value, back to back
        self.value_ends = array("q")  # where each posting's value ends in `values`
        # Positions as arrays, when every posting came with them (analysed in a worker): each
        # posting's count, then all positions posting by posting. A posting filed without
        # them (by Whoosh's own indexing, or a merge) leaves them to be decoded from `values`.
        self.counts = array("I")
        self.positions = array("I")
        self.positions_complete = True

    def add_terms(self, terms: Iterable[bytes]) -> None:
        """Append the keys of postings' terms (new terms get the next keys), at C speed."""
        self.keys.extend(map(self.vocabulary.setdefault, terms, self._next_key))

    def add_values(self, joined: bytes, ends: bytes) -> None:
        """Append encoded values given joined, with their ends in `joined` as uint32 bytes."""
        base = len(self.values)
        self.values += joined
        self.value_ends.frombytes((np.frombuffer(ends, dtype="<u4").astype(np.int64) + base).tobytes())

    def add_value(self, value: bytes) -> None:
        """Append one posting's encoded value."""
        self.values += value
        self.value_ends.append(len(self.values))

    def __len__(self) -> int:
        return len(self.keys)


class PostingValues:
    """Encoded posting values as slices of one byte string, in some order of the postings."""

    def __init__(self, joined: bytes, starts: np.ndarray, ends: np.ndarray) -> None:
        self.joined = joined
        self.starts = starts
        self.ends = ends

    @classmethod
    def of(cls, values: list[bytes]) -> PostingValues:
        """The values of a list, in its order."""
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        ends = np.cumsum(lengths)
        return cls(b"".join(values), ends - lengths, ends)

    def __len__(self) -> int:
        return int(self.starts.size)

    def __getitem__(self, where: slice) -> list[bytes]:
        """The values of a range of postings, as bytes objects (made at C speed)."""
        starts, ends = self.starts[where].tolist(), self.ends[where].tolist()
        return list(map(self.joined.__getitem__, map(slice, starts, ends)))


@dataclass
class GroupedPostings:
    """One field's postings grouped by term: term k's postings are [ends[k - 1], ends[k])."""

    terms: list[bytes]  # distinct, in byte order
    ends: np.ndarray  # int64, one a term
    docs: np.ndarray  # uint32 doc numbers
    weights: np.ndarray  # float32
    values: PostingValues  # encoded values (positions or frequency; b"" for none)
    counts: np.ndarray | None = None  # positions per posting, when the columns had them
    positions: np.ndarray | None = None  # every posting's positions, in posting order

    @property
    def starts(self) -> np.ndarray:
        """Each term's first posting."""
        sizes = np.diff(self.ends, prepend=0)
        starts: np.ndarray = self.ends - sizes
        return starts


def grouped_postings(columns: FieldColumns) -> GroupedPostings:
    """Group a field's postings by term (terms in byte order, postings in arrival order)."""
    terms = list(columns.vocabulary)
    firsts = np.fromiter(columns.vocabulary.values(), dtype=np.int64, count=len(terms))  # ascending
    by_bytes = sorted(range(len(terms)), key=terms.__getitem__)
    rank = np.empty(len(terms), dtype=np.int64)
    rank[by_bytes] = np.arange(len(terms), dtype=np.int64)
    keys = rank[np.searchsorted(firsts, np.frombuffer(columns.keys, dtype=np.int64))]
    order = np.argsort(keys, kind="stable")
    ends = np.cumsum(np.bincount(keys, minlength=len(terms)))
    docs = np.frombuffer(columns.docs, dtype=np.uint32)[order]
    weights = np.frombuffer(columns.weights, dtype=np.float32)[order]
    value_ends = np.frombuffer(columns.value_ends, dtype=np.int64)
    value_starts = np.concatenate(([0], value_ends[:-1]))
    values = PostingValues(bytes(columns.values), value_starts[order], value_ends[order])
    columns.values = bytearray()  # the bytes live on in `values` alone
    grouped = GroupedPostings([terms[k] for k in by_bytes], ends, docs, weights, values)
    if columns.positions_complete and len(columns.counts) == len(columns.keys):
        counts = np.frombuffer(columns.counts, dtype=np.uint32)
        firsts_in_arrival = np.cumsum(counts, dtype=np.int64) - counts
        grouped.counts = counts[order]
        grouped.positions = np.frombuffer(columns.positions, dtype=np.uint32)[
            spans(firsts_in_arrival[order], grouped.counts)
        ]
    return grouped
