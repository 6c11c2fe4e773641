"""Running Whoosh queries: one pass that ranks and counts, and one hit per near-duplicate group.

Imported on a backend's first query that Whoosh's matchers evaluate (whoosh.collectors loads
lazily, and small indexes need nothing else).
"""

from __future__ import annotations

from typing import Any

from whoosh import collectors
from whoosh import query as wq
from whoosh.searching import Searcher

from bulletin.index.protocol import IndexHits


class CountingTopCollector(collectors.TopCollector):  # type: ignore[misc]
    """The top N by score, with every match counted (and its number kept if asked)."""

    def __init__(self, limit: int, keep_ids: bool) -> None:
        super().__init__(limit, usequality=False, replace=0)
        self.keep_ids = keep_ids

    def _collect(self, global_docnum: int, score: float) -> Any:
        if self.keep_ids:
            self.docset.add(global_docnum)
        return super()._collect(global_docnum, score)

    def computes_count(self) -> bool:
        """Always: every match was counted."""
        return True

    def all_ids(self) -> Any:
        """The matches' numbers (kept ones when asked, else Whoosh's own)."""
        return self.docset if self.keep_ids else super().all_ids()


def run(
    searcher: Searcher,
    query: wq.Query,
    *,
    limit: int | None,
    filter: set[int] | None = None,
    sortedby: Any = None,
    keep_ids: bool = False,
) -> Any:
    """Whoosh results found in one pass over the matches, counting every match.

    Whoosh's top-N collector prunes its matcher as the heap fills and skips blocks, so the
    total (always shown) and the set of all matches (for grouping copies) cost a second run
    of the whole query; with bigram phrases that doubled a search.
    """
    if sortedby is not None or limit is None or limit >= searcher.doc_count_all():
        return searcher.search(query, limit=limit, filter=filter, sortedby=sortedby)
    collector: Any = CountingTopCollector(limit, keep_ids)
    if filter is not None:
        collector = collectors.FilterCollector(collector, filter)
    searcher.search_with_collector(query, collector)
    return collector.results()


def collapsed_page(
    searcher: Searcher,
    query: wq.Query,
    kwargs: dict[str, Any],
    offset: int,
    wanted: int | None,
    relevance: bool,
) -> IndexHits:
    """One page with a single hit per near-duplicate group (see WhooshIndex.search)."""
    column = searcher.reader().column_reader("group")
    # Rank only a margin beyond the page first; rank everything only when copies crowd it out.
    results = run(searcher, query, limit=None if wanted is None else wanted * 3 + 20, keep_ids=True, **kwargs)
    members: dict[bytes, int] = {}
    for docnum in results.docs():
        key = column[docnum]
        members[key] = members.get(key, 0) + 1
    leaders = _group_leaders(results.top_n, column)
    if wanted is not None and len(leaders) < min(wanted, len(members)):
        leaders = _group_leaders(run(searcher, query, limit=None, **kwargs).top_n, column)
    page = leaders[offset:wanted]
    hits: list[tuple[str, float]] = []
    copies: dict[str, int] = {}
    for score, docnum, key in page:
        article_id = searcher.stored_fields(docnum)["id"]
        hits.append((article_id, float(score or 0.0) if relevance else 0.0))
        if members[key] > 1:
            copies[article_id] = members[key] - 1
    return IndexHits(total=len(members), hits=hits, copies=copies)


def _group_leaders(top_n: list[tuple[Any, int]], column: Any) -> list[tuple[Any, int, bytes]]:
    """The first (best-ranked) hit of each group, in rank order."""
    seen: set[bytes] = set()
    leaders: list[tuple[Any, int, bytes]] = []
    for score, docnum in top_n:
        key = column[docnum]
        if key not in seen:
            seen.add(key)
            leaders.append((score, docnum, key))
    return leaders
