"""Search requests and results: parse, filter, run on the index, attach records and snippets."""

from __future__ import annotations

from dataclasses import dataclass

from bulletin.archive.store import Store
from bulletin.datekeys import bound_key
from bulletin.errors import QueryError
from bulletin.index import Filters, IndexBackend
from bulletin.models import Article
from bulletin.query import Node, parse_query
from bulletin.results import Hit, SearchRequest, SearchResult
from bulletin.snippets import mark, needles, snippet
from bulletin.titles import display_title

__all__ = [
    "FACETS",
    "SORTS",
    "Hit",
    "Plan",
    "SearchRequest",
    "SearchResult",
    "count",
    "facet",
    "plan",
    "run",
    "similar_result",
]

SORTS = ("relevance", "date", "-date")
FACETS = ("source", "year", "month")


@dataclass(frozen=True)
class Plan:
    """A parsed request ready for the index."""

    node: Node
    filters: Filters
    highlight: list[str]


def plan(request: SearchRequest) -> Plan:
    """Parse the query and turn options into filters (QueryError if bad)."""
    if request.sort not in SORTS:
        raise QueryError(f"unknown sort {request.sort!r}: use one of {', '.join(SORTS)}")
    if request.limit is not None and request.limit < 0:
        raise QueryError("--limit must be 0 (all) or more")
    if request.offset < 0:
        raise QueryError("--offset must be 0 or more")
    node = parse_query(request.query)
    highlight = needles(node)
    date_from = bound_key(request.since, end=False, option="--since") if request.since else None
    date_to = bound_key(request.until, end=True, option="--until") if request.until else None
    if date_from is not None and date_to is not None and date_from > date_to:
        raise QueryError(f"--since {request.since} is after --until {request.until}; swap them")
    filters = Filters(
        source=request.source or "",
        author=request.author or "",
        tag=request.tag or "",
        date_from=date_from,
        date_to=date_to,
    )
    return Plan(node=node, filters=filters, highlight=highlight)


def run(store: Store, index: IndexBackend, request: SearchRequest) -> SearchResult:
    """Run a search and attach records, highlighted titles and snippets."""
    prepared = plan(request)
    page = index.search(
        prepared.node,
        filters=prepared.filters,
        sort=request.sort,
        limit=request.limit,
        offset=request.offset,
        collapse=_collapse(store, request),
    )
    records = store.get_many([article_id for article_id, _ in page.hits])
    hits: list[Hit] = []
    for position, (article_id, score) in enumerate(page.hits):
        article = records.get(article_id)
        if article is None:  # index ahead of the store (repaired by `bulletin check --repair`)
            continue
        hits.append(
            Hit(
                rank=request.offset + position + 1,
                score=score,
                article=article,
                title=mark(display_title(article.title, article.text), prepared.highlight),
                snippet=snippet(article.text, prepared.highlight),
                copies=page.copies.get(article_id, 0),
            )
        )
    return SearchResult(total=page.total, hits=hits)


def _collapse(store: Store, request: SearchRequest) -> bool:
    # Collapsing costs a pass over every hit; skip it when the archive has no groups at all.
    return not request.all_copies and store.has_groups()


def count(store: Store, index: IndexBackend, request: SearchRequest) -> int:
    """Only the number of matching articles (near-duplicate groups count once)."""
    prepared = plan(request)
    return index.count(prepared.node, filters=prepared.filters, collapse=_collapse(store, request))


def facet(index: IndexBackend, request: SearchRequest, by: str) -> list[tuple[str, int]]:
    """Counts of hits per source, year or month; sources by count, dates in order."""
    if by not in FACETS:
        raise QueryError(f"unknown facet {by!r}: use one of {', '.join(FACETS)}")
    prepared = plan(request)
    counts = index.facet(prepared.node, by, filters=prepared.filters)
    if by == "source":
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return sorted(counts.items())


def similar_result(found: list[tuple[Article, float]]) -> SearchResult:
    """Articles like another one, as ranked hits (no query: nothing marked, snippets from the start)."""
    hits = [
        Hit(
            rank=n,
            score=score,
            article=article,
            title=mark(display_title(article.title, article.text), []),
            snippet=snippet(article.text, []),
        )
        for n, (article, score) in enumerate(found, start=1)
    ]
    return SearchResult(total=len(hits), hits=hits)
