"""Learned cleaning at import: each site's own furniture leaves articles archived after it is learned.

Only the archive sees a site's own furniture (a fixed disclaimer, a slogan under every post)
often enough to learn it; bulletin.extract.learned has the counting and the thresholds. This is
the one place an import applies it, once per article, in archive order.
"""

from __future__ import annotations

from collections.abc import Iterable

from bulletin.archive.store import Store
from bulletin.extract.learned import LineMemory
from bulletin.models import Article


class LearnedCleaning:
    """Per-site learned boilerplate, counted in the store's own tables (joins its transaction)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lines: LineMemory | None = None

    def apply(self, article: Article) -> Article:
        """Count the article's lines for its site, then return it without the site's learned lines.

        The same object comes back when nothing was removed.
        """
        if not article.site or not article.text:
            return article
        if self._lines is None:  # the tables are created on first use, inside the import's transaction
            self._lines = LineMemory(self._store.connection)
        self._lines.observe(article.site, article.text)
        cleaned = self._lines.strip(article.site, article.text)
        return article if cleaned == article.text else article.with_changes(text=cleaned)

    def apply_all(self, articles: Iterable[Article]) -> list[Article]:
        """`apply` to each article in turn (each one learns from those before it)."""
        return [self.apply(article) for article in articles]
