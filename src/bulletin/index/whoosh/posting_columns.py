"""A segment's postings as flat columns, grouped by term with one sort instead of a step a posting.

The bulk writer files each document's rows by extending four columns (terms, doc numbers,
weights, encoded values). At the end of a segment, grouped_postings numbers the distinct
terms in byte order and sorts the postings by that number, stably: each term's postings
come out in the order they were added, which is ascending doc number, exactly as Whoosh's
own pool would give them.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

import numpy as np


@dataclass
class FieldColumns:
    """One field's postings in arrival order."""

    terms: list[bytes] = field(default_factory=list)
    docs: array[int] = field(default_factory=lambda: array("I"))
    weights: array[float] = field(default_factory=lambda: array("f"))
    values: list[bytes] = field(default_factory=list)


@dataclass
class GroupedPostings:
    """One field's postings grouped by term: term k's postings are [ends[k - 1], ends[k])."""

    terms: list[bytes]  # distinct, in byte order
    ends: np.ndarray  # int64, one a term
    docs: np.ndarray  # uint32 doc numbers
    weights: np.ndarray  # float32
    values: list[bytes]  # encoded values (positions or frequency; b"" for none)

    @property
    def starts(self) -> np.ndarray:
        """Each term's first posting."""
        sizes = np.diff(self.ends, prepend=0)
        starts: np.ndarray = self.ends - sizes
        return starts


def grouped_postings(columns: FieldColumns) -> GroupedPostings:
    """Group a field's postings by term (terms in byte order, postings in arrival order)."""
    terms = sorted(dict.fromkeys(columns.terms))
    rank = dict(zip(terms, range(len(terms)), strict=True))
    keys = np.fromiter(map(rank.__getitem__, columns.terms), dtype=np.int64, count=len(columns.terms))
    order = np.argsort(keys, kind="stable")
    ends = np.cumsum(np.bincount(keys, minlength=len(terms)))
    docs = np.frombuffer(columns.docs, dtype=np.uint32)[order]
    weights = np.frombuffer(columns.weights, dtype=np.float32)[order]
    values = list(map(columns.values.__getitem__, order.tolist()))
    return GroupedPostings(terms, ends, docs, weights, values)
