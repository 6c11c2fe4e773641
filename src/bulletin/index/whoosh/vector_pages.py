"""From a query's matches to what commands show: ranked pages, groups, facet buckets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bulletin.index.whoosh.vector_arrays import ArrayView


@dataclass
class Matches:
    """Which documents a query node matches, and their scores."""

    mask: np.ndarray  # bool, one per document
    score: np.ndarray  # float64, one per document (0 where not matched)


@dataclass
class Page:
    """One page of ranked documents (global doc numbers), the total, and group copies."""

    total: int
    docs: list[tuple[int, float]]
    copies: dict[int, int]


def ranked_page(
    index: ArrayView,
    matches: Matches,
    *,
    date_range: tuple[int, int] | None,
    sort: str,
    offset: int,
    wanted: int | None,
    group_column: str | None,
) -> Page:
    """Filter, order and cut one page; with `group_column`, one hit per near-duplicate group.

    Only the head of the ranking is sorted: the page's hits and, when grouping, enough
    further hits to find a leader for each group on the page.
    """
    docs = matching_docs(index, matches, date_range)
    if sort == "relevance":
        scores = matches.score[docs]
        primary = -scores  # best score first; equal scores in index order, as Whoosh keeps them
    else:
        # Day, then time of day (seconds + 1, under 100,000), as Whoosh's two-column sort orders them.
        dates = index.numeric_column("date")[docs].astype(np.int64) * 100_000
        dates += index.numeric_column("time")[docs]
        primary = dates if sort == "date" else -dates
        scores = np.zeros(docs.size)
    if group_column is None:
        head = head_order(primary, docs, docs.size if wanted is None else wanted)
        chosen = head[offset:]
        return Page(int(docs.size), pairs_at(docs, scores, chosen), {})
    keys = index.group_keys(group_column)[docs]
    members = np.bincount(keys)
    total = int(np.count_nonzero(members))
    page_end = total if wanted is None else min(wanted, total)
    depth = page_end * 3 + 20
    while True:
        head = head_order(primary, docs, min(depth, docs.size))
        _, first = np.unique(keys[head], return_index=True)
        if first.size >= page_end or head.size == docs.size:
            break
        depth *= 4
    leaders = head[np.sort(first)][offset:page_end]
    copies = {int(docs[at]): int(members[keys[at]]) - 1 for at in leaders.tolist() if members[keys[at]] > 1}
    return Page(total, pairs_at(docs, scores, leaders), copies)


def head_order(primary: np.ndarray, docs: np.ndarray, count: int) -> np.ndarray:
    """Indexes of the first `count` entries in (primary, doc number) order."""
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    if count < primary.size:
        # Everything up to the count-th smallest value, ties included, then sorted.
        bound = np.partition(primary, count - 1)[count - 1]
        candidates = np.flatnonzero(primary <= bound)
    else:
        candidates = np.arange(primary.size)
    order = np.lexsort((docs[candidates], primary[candidates]))
    return candidates[order][:count]


def pairs_at(docs: np.ndarray, scores: np.ndarray, chosen: np.ndarray) -> list[tuple[int, float]]:
    return list(zip(docs[chosen].tolist(), scores[chosen].tolist(), strict=True))


def matching_docs(index: ArrayView, matches: Matches, date_range: tuple[int, int] | None) -> np.ndarray:
    """Doc numbers of every live match inside the date range (for facets)."""
    mask = matches.mask & index.live
    if date_range is not None:
        dates = index.numeric_column("date")
        mask &= (dates >= date_range[0]) & (dates <= date_range[1])
    return np.flatnonzero(mask)


def date_buckets(index: ArrayView, docs: np.ndarray, scale: int) -> list[tuple[int, int]]:
    """(date key rounded down to a multiple of `scale`, how many of `docs`) per bucket."""
    keys = index.numeric_column("date")[docs].astype(np.int64) // scale * scale
    values, counts = np.unique(keys, return_counts=True)
    return list(zip(values.tolist(), counts.tolist(), strict=True))
