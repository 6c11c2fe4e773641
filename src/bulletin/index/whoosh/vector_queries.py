"""WhooshIndex's queries answered by the numpy engine (bulletin.index.whoosh.vector).

Imported only for indexes using that engine: importing numpy costs about 0.1 s.
"""

from __future__ import annotations

from whoosh.searching import Searcher

from bulletin.errors import QueryError
from bulletin.index.protocol import NOTHING_TO_SEARCH, Filters, IndexHits
from bulletin.index.whoosh.translate import date_bucket
from bulletin.index.whoosh.vector import VectorIndex
from bulletin.index.whoosh.vector_pages import date_buckets, matching_docs, ranked_page
from bulletin.query import Node


def search(
    searcher: Searcher,
    vector: VectorIndex,
    node: Node,
    filters: Filters,
    sort: str,
    offset: int,
    limit: int | None,
    collapse: bool,
) -> IndexHits:
    """WhooshIndex.search evaluated with numpy."""
    matches = vector.evaluate(node)
    if matches is None:
        raise QueryError(NOTHING_TO_SEARCH)
    page = ranked_page(
        vector,
        matches,
        date_range=filters.date_range(),
        sort=sort,
        offset=offset,
        wanted=None if limit is None else offset + limit,
        group_column="group" if collapse else None,
    )
    ids = {docnum: searcher.stored_fields(docnum)["id"] for docnum, _ in page.docs}
    return IndexHits(
        total=page.total,
        hits=[(ids[docnum], score) for docnum, score in page.docs],
        copies={ids[docnum]: n for docnum, n in page.copies.items()},
    )


def facet(
    searcher: Searcher, vector: VectorIndex, node: Node, field: str, filters: Filters
) -> dict[str, int]:
    """WhooshIndex.facet evaluated with numpy."""
    matches = vector.evaluate(node)
    if matches is None:
        raise QueryError(NOTHING_TO_SEARCH)
    docs = matching_docs(vector, matches, filters.date_range())
    counts: dict[str, int] = {}
    if field == "source":
        column = searcher.reader().column_reader("source_key")
        for docnum in docs.tolist():
            key = column[docnum].decode("utf-8") or "(unknown)"
            counts[key] = counts.get(key, 0) + 1
        return counts
    # Bucket first: a few dozen distinct year or month keys to name instead of every hit.
    for date, number in date_buckets(vector, docs, 10000 if field == "year" else 100):
        key = date_bucket(date, field)
        counts[key] = counts.get(key, 0) + number
    return counts


def similar(
    searcher: Searcher, vector: VectorIndex, docnum: int, text: str, limit: int, numterms: int
) -> list[tuple[str, float]]:
    """WhooshIndex.similar from the posting arrays.

    Whoosh's own more_like looks every word of the text up in every segment and then walks a
    40-term OR: 14 s at 100k articles. The arrays answer in a fraction of a second.
    """
    counts: dict[bytes, int] = {}
    for btext, frequency, _weight, _value in searcher.schema["text"].index(text):
        counts[btext] = counts.get(btext, 0) + frequency
    found = vector.more_like("text", list(counts.items()), exclude=docnum, top=limit, numterms=numterms)
    return [(searcher.stored_fields(doc)["id"], score) for doc, score in found]
