"""The Whoosh schema and its version; bump SCHEMA_VERSION whenever fields or analysis change."""

from __future__ import annotations

from typing import Any

from whoosh import columns
from whoosh.fields import COLUMN, ID, TEXT, Schema

from bulletin.index.analyzers import CountedTerms, bigram_analyzer, char_analyzer

# 5: postings keep counts only (CountedTerms); positions live in the posting arrays alone.
SCHEMA_VERSION = 5

# Title matches outrank body matches (BM25F field boost); measured by the known-item
# benchmark in benchmarks/search.py.
TITLE_BOOST = 3.0


def _text(analyzer: Any, field_boost: float = 1.0) -> TEXT:
    """A searchable text field whose postings hold weights only (see CountedTerms)."""
    field = TEXT(analyzer=analyzer, phrase=False, field_boost=field_boost)
    field.format = CountedTerms(field_boost=field_boost)
    return field


# The bigram-analysed text fields, in the order they are analysed; the posting arrays keep
# their positions (phrases are matched there).
TEXT_FIELDS = ("title", "text", "source", "author", "tag", "site")
POSITION_FIELDS = frozenset(TEXT_FIELDS)


def make_schema() -> Schema:
    """Only what matching, ranking, filtering and sorting need; records live in SQLite."""
    analyzer = bigram_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=_text(analyzer, TITLE_BOOST),
        text=_text(analyzer),
        source=_text(analyzer),
        author=_text(analyzer),
        tag=_text(analyzer),
        site=_text(analyzer),
        # Every CJK character of title and text, no positions: a one-character query is one
        # term here instead of a union of the hundreds of bigrams that start with it.
        chars=_text(char_analyzer()),
        # Columns (not indexed): date as yyyymmdd (0 = unknown) for filters and sorting, time of
        # day as seconds + 1 (0 = unknown) to order one day's articles, source bytes for facets,
        # near-duplicate group id for one hit per group.
        date=COLUMN(columns.NumericColumn("I", default=0)),
        time=COLUMN(columns.NumericColumn("I", default=0)),
        source_key=COLUMN(columns.VarBytesColumn()),
        group=COLUMN(columns.VarBytesColumn()),
    )
