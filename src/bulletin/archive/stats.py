"""What `bulletin stats` reports: counts, dates, sources, months, duplicate groups and sizes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bulletin.archive.layout import DB_NAME
from bulletin.archive.store import Store
from bulletin.index import IndexBackend


@dataclass(frozen=True)
class ArchiveStats:
    """What `bulletin stats` reports."""

    path: str
    articles: int
    first_date: str | None
    last_date: str | None
    undated: int
    top_sources: list[tuple[str, int]]
    originals_bytes: int
    disk_bytes: int
    index_documents: int
    months: list[tuple[str, int]]
    duplicate_groups: int
    duplicate_articles: int
    database_bytes: int
    index_bytes: int


def archive_stats(folder: Path, store: Store, index: IndexBackend) -> ArchiveStats:
    """Counts, dates, sources (all of them), months, duplicate groups and sizes of one archive."""
    base = store.stats(top=-1)
    disk = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    database = sum(p.stat().st_size for p in folder.glob(DB_NAME + "*") if p.is_file())  # with the WAL
    return ArchiveStats(
        path=str(folder),
        articles=base.articles,
        first_date=base.first_date,
        last_date=base.last_date,
        undated=base.undated,
        top_sources=base.top_sources,
        originals_bytes=base.raw_bytes,
        disk_bytes=disk,
        index_documents=index.doc_count(),
        months=base.months,
        duplicate_groups=base.duplicate_groups,
        duplicate_articles=base.duplicate_articles,
        database_bytes=database,
        index_bytes=index.size_bytes(),
    )
