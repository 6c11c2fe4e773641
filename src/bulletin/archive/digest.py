"""Gists of one article and digests of a result set: summaries, keywords, timelines, top sources."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from bulletin.models import Article
from bulletin.search import SearchRequest, SearchResult
from bulletin.summary_defaults import DIGEST_SAMPLE, KEYWORD_COUNT, SUMMARY_LENGTH

if TYPE_CHECKING:
    from bulletin.keywords import IdfTable
    from bulletin.summarize import Digest


class Searchable(Protocol):
    """What a digest reads from an archive."""

    def search(self, request: SearchRequest) -> SearchResult:
        """Hits for a request."""
        ...

    def facet(self, request: SearchRequest, by: str) -> list[tuple[str, int]]:
        """Hit counts per source, year or month."""
        ...

    def idf(self, texts: Iterable[str]) -> IdfTable:
        """Document frequencies of the candidate words of `texts`."""
        ...


@dataclass(frozen=True)
class Gist:
    """An article's summary and keywords."""

    summary: str
    keywords: list[str]


def gist_of(
    article: Article,
    *,
    length: int = SUMMARY_LENGTH,
    keywords: int = KEYWORD_COUNT,
    idf: IdfTable | None = None,
) -> Gist:
    """Summary and keywords of an article; without `idf`, jieba's bundled table is used."""
    from bulletin.keywords import keywords as top_keywords
    from bulletin.summarize import summarize

    return Gist(
        summary=summarize(article.text, article.title, budget=length),
        keywords=top_keywords(article.text, keywords, idf=idf),
    )


def digest_of(archive: Searchable, request: SearchRequest, *, sample: int = DIGEST_SAMPLE) -> Digest:
    """What a result set says: counts over every matching article (copies included, so the
    timeline and sources add up to the count), keywords and summary from the top `sample`."""
    from bulletin.summarize import MonthCount, SourceCount, digest

    top = archive.search(request.with_page(limit=sample, offset=0))
    articles = [hit.article for hit in top.hits]
    result = digest(articles, idf=archive.idf(a.text for a in articles))
    every = request.with_page(limit=None, offset=0)
    months = dict(archive.facet(every, "month"))
    # Keys are "YYYY-MM", or "YYYY" (known to the year only) and "undated": neither can be charted.
    dated = sorted((k, n) for k, n in months.items() if len(k) == 7 and k[4] == "-")
    undated = sum(months.values()) - sum(n for _, n in dated)
    timeline = [MonthCount(month, count) for month, count in fill_months(dated)]
    sources = [SourceCount(source, count) for source, count in archive.facet(every, "source")[:10]]
    return replace(
        result,
        count=sum(months.values()),  # every match has one month, year or "undated" key
        distinct=top.total,
        sampled=len(articles),
        timeline=tuple(timeline),
        undated=undated,
        sources=tuple(sources),
    )


def fill_months(dated: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Month counts with the empty months between first and last added, so gaps show."""
    if not dated:
        return []
    counts = dict(dated)
    year, month = map(int, dated[0][0].split("-"))
    last = dated[-1][0]
    filled: list[tuple[str, int]] = []
    while True:
        key = f"{year:04d}-{month:02d}"
        filled.append((key, counts.get(key, 0)))
        if key >= last:
            return filled
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
