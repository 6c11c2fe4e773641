"""The Whoosh schema and its version; bump SCHEMA_VERSION whenever fields or analysis change."""

from __future__ import annotations

from whoosh import columns
from whoosh.fields import COLUMN, ID, TEXT, Schema

from bulletin.index.analyzers import bigram_analyzer, char_analyzer

SCHEMA_VERSION = 4

# Title matches outrank body matches (BM25F field boost); measured by the known-item
# benchmark in benchmarks/search.py.
TITLE_BOOST = 3.0


def make_schema() -> Schema:
    """Only what matching, ranking, filtering and sorting need; records live in SQLite."""
    analyzer = bigram_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, phrase=True, field_boost=TITLE_BOOST),
        text=TEXT(analyzer=analyzer, phrase=True),
        source=TEXT(analyzer=analyzer, phrase=True),
        author=TEXT(analyzer=analyzer, phrase=True),
        tag=TEXT(analyzer=analyzer, phrase=True),
        site=TEXT(analyzer=analyzer, phrase=True),
        # Every CJK character of title and text, frequencies only: a one-character query is one
        # term here instead of a union of the hundreds of bigrams that start with it.
        chars=TEXT(analyzer=char_analyzer(), phrase=False),
        # Columns (not indexed): date as yyyymmdd (0 = unknown) for filters and sorting, time of
        # day as seconds + 1 (0 = unknown) to order one day's articles, source bytes for facets,
        # near-duplicate group id for one hit per group.
        date=COLUMN(columns.NumericColumn("I", default=0)),
        time=COLUMN(columns.NumericColumn("I", default=0)),
        source_key=COLUMN(columns.VarBytesColumn()),
        group=COLUMN(columns.VarBytesColumn()),
    )
