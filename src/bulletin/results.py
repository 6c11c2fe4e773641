"""Search requests and results, and shown articles, as plain data with their JSON form.

Kept apart from bulletin.search (which runs searches and loads the index, Whoosh and the
store) so that rendering results, or asking a running `bulletin serve` for them, costs no
more imports than the data itself.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from bulletin.models import Article


@dataclass(frozen=True)
class SearchRequest:
    """A query with its filters, ordering and page."""

    query: str = ""
    since: str | None = None
    until: str | None = None
    source: str | None = None
    author: str | None = None
    tag: str | None = None
    sort: str = "relevance"
    limit: int | None = 10
    offset: int = 0
    all_copies: bool = False  # list every near-duplicate instead of one hit per group

    def with_page(self, *, limit: int | None, offset: int) -> SearchRequest:
        """The same request for another page."""
        return replace(self, limit=limit, offset=offset)

    def to_dict(self) -> dict[str, Any]:
        """The request as JSON-ready data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SearchRequest:
        """A request from `to_dict()` output (unknown keys are ignored)."""
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass(frozen=True)
class Marked:
    """A piece of text and the (start, end) spans inside it to highlight."""

    text: str
    spans: tuple[tuple[int, int], ...]

    def to_dict(self) -> dict[str, Any]:
        """The text and its spans as JSON-ready data."""
        return {"text": self.text, "spans": [list(span) for span in self.spans]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Marked:
        """A Marked from `to_dict()` output."""
        return cls(data["text"], tuple((int(start), int(end)) for start, end in data["spans"]))


@dataclass(frozen=True)
class Hit:
    """One search hit: the article, its rank and score, and highlighted title and snippet."""

    rank: int
    score: float
    article: Article
    title: Marked
    snippet: Marked
    copies: int = 0  # other near-duplicates of this article that also matched


@dataclass(frozen=True)
class SearchResult:
    """A page of hits and the total number of matching articles."""

    total: int
    hits: list[Hit] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data (articles as their public records)."""
        return {
            "total": self.total,
            "hits": [
                {
                    "rank": hit.rank,
                    "score": hit.score,
                    "article": hit.article.to_dict(),
                    "title": hit.title.to_dict(),
                    "snippet": hit.snippet.to_dict(),
                    "copies": hit.copies,
                }
                for hit in self.hits
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SearchResult:
        """A result from `to_dict()` output."""
        hits = [
            Hit(
                rank=int(item["rank"]),
                score=float(item["score"]),
                article=Article.from_dict(item["article"]),
                title=Marked.from_dict(item["title"]),
                snippet=Marked.from_dict(item["snippet"]),
                copies=int(item["copies"]),
            )
            for item in data["hits"]
        ]
        return cls(total=int(data["total"]), hits=hits)


@dataclass(frozen=True)
class ShownArticle:
    """What `bulletin show` prints: an article, where it came from, and its summary and keywords."""

    article: Article
    origins: list[str]
    summary: str | None = None  # None: not asked for
    keywords: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "article": self.article.to_dict(),
            "origins": list(self.origins),
            "summary": self.summary,
            "keywords": self.keywords,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ShownArticle:
        """A shown article from `to_dict()` output."""
        words = data.get("keywords")
        return cls(
            article=Article.from_dict(data["article"]),
            origins=[str(origin) for origin in data.get("origins") or ()],
            summary=data.get("summary"),
            keywords=None if words is None else [str(word) for word in words],
        )
