"""Pre-analysed posting rows as a comparable mapping, for the tests of the analysis paths."""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from bulletin.index.analyzers import FieldPostings

Rows = dict[bytes, tuple[float, list[int]]]


def posting_rows(postings: FieldPostings) -> Rows:
    """Each term's weight and positions ([] for a field without them), whatever the terms' order."""
    terms = postings.terms()
    counts = np.frombuffer(postings.counts, dtype="<u4").tolist() if postings.counts else [0] * len(terms)
    flat = np.frombuffer(postings.positions, dtype="<u4").tolist()
    ends = np.cumsum([0, *counts]).tolist()
    positions = [flat[start:end] for start, end in pairwise(ends)]
    return dict(zip(terms, zip(postings.weights.tolist(), positions, strict=True), strict=True))


def posting_keys(postings: FieldPostings) -> dict[bytes, int]:
    """Each term's key as the worker sent it."""
    terms = postings.terms()
    keys = np.frombuffer(postings.keys, dtype="<i8").tolist()
    return dict(zip(terms, keys, strict=True))
