"""An archived article's indexed form: the one mapping from Article to IndexDoc."""

from __future__ import annotations

from bulletin.datekeys import date_key, time_key
from bulletin.index import IndexDoc
from bulletin.models import Article


def to_index_doc(article: Article, group: str = "") -> IndexDoc:
    """The indexed form of an article (`group`: its near-duplicate group, if not its own)."""
    names = list(article.authors) + [c.name for c in article.credits if c.name not in article.authors]
    return IndexDoc(
        id=article.id,
        title=article.title or "",
        text=article.text,
        source=article.source or "",
        author=" ".join(names),
        tag=" ".join(article.tags),
        site=article.site or "",
        date_key=date_key(article.date),
        group=group if group != article.id else "",
        time_key=time_key(article.date),
    )
