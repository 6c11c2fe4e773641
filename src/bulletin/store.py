"""The SQLite store: the archive's source of truth (originals, records, origins)."""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.errors import ArchiveError, NotFoundError
from bulletin.models import Article

STORE_VERSION = 1
_BUSY_TIMEOUT_MS = 30_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL UNIQUE,
    title TEXT,
    date TEXT,
    source TEXT,
    origin TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    record TEXT NOT NULL,
    raw BLOB NOT NULL,
    raw_size INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE TABLE IF NOT EXISTS origins (
    article_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (article_id, origin)
);
"""


@dataclass(frozen=True)
class StoreStats:
    """Counts and ranges the `stats` command reports."""

    articles: int
    first_date: str | None
    last_date: str | None
    undated: int
    top_sources: list[tuple[str, int]]
    raw_bytes: int


class Store:
    """Articles and their original bytes in one SQLite file (WAL mode)."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        try:
            if readonly:
                self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
            else:
                self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            if not readonly:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                self._db.executescript(_SCHEMA)
            self._check_version(readonly)
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(
                f"{path}: cannot open the archive database ({exc}); check the path, "
                "or run `bulletin check` to diagnose"
            ) from None

    def _check_version(self, readonly: bool) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'store_version'").fetchone()
        if row is None:
            if readonly:
                return
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('store_version', ?)", (str(STORE_VERSION),))
            return
        version = int(row[0])
        if version > STORE_VERSION:
            raise ArchiveError(
                f"{self.path}: archive format v{version} was written by a newer bulletin "
                f"(this one reads up to v{STORE_VERSION}); upgrade bulletin to use it"
            )

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes; everything inside commits together or not at all."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- writes ----------------------------------------------------------------------

    def id_for_sha(self, sha256: str) -> str | None:
        """The id of the article with these original bytes, if archived."""
        row = self._db.execute("SELECT id FROM articles WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else str(row[0])

    def add(self, article: Article, raw: bytes, *, packed: bytes | None = None) -> None:
        """Insert one article with its original bytes (zlib-compressed; `packed` if done already)."""
        record = article.to_dict()
        self._db.execute(
            "INSERT INTO articles (id, sha256, title, date, source, origin, imported_at, record, raw,"
            " raw_size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                article.sha256,
                article.title,
                article.date,
                article.source,
                article.origin,
                article.imported_at or "",
                json.dumps(record, ensure_ascii=False),
                zlib.compress(raw, 6) if packed is None else packed,
                len(raw),
            ),
        )
        self.add_origin(article.id, article.origin, article.imported_at or "")

    def add_origin(self, article_id: str, origin: str, when: str) -> bool:
        """Remember another origin of an article; True when it was new."""
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO origins VALUES (?, ?, ?)", (article_id, origin, when)
        )
        return cursor.rowcount > 0

    def delete(self, ids: Iterable[str]) -> int:
        """Remove articles and their origins; returns how many were removed."""
        removed = 0
        for article_id in ids:
            removed += self._db.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount
            self._db.execute("DELETE FROM origins WHERE article_id = ?", (article_id,))
        return removed

    # -- reads -----------------------------------------------------------------------

    def count(self) -> int:
        """Number of articles."""
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def resolve(self, prefix: str) -> str:
        """The full id for an id or a unique id prefix (at least 4 characters)."""
        key = prefix.strip().lower()
        if len(key) < 4 or not all(c in "0123456789abcdef" for c in key):
            raise NotFoundError(
                f"{prefix!r} is not an article id; ids are hex, as `bulletin search --ids` prints"
            )
        rows = self._db.execute(
            "SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 2", (key, key + "g")
        ).fetchall()
        if not rows:
            raise NotFoundError(
                f"no article with id {prefix!r} in the archive; find ids with `bulletin search`"
            )
        if len(rows) > 1:
            raise NotFoundError(f"id prefix {prefix!r} matches several articles; give more characters")
        return str(rows[0][0])

    def get(self, article_id: str) -> Article:
        """One article by full id."""
        row = self._db.execute("SELECT record FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(
                f"no article with id {article_id!r} in the archive; find ids with `bulletin search`"
            )
        return Article.from_dict(json.loads(row[0]))

    def get_many(self, ids: list[str]) -> dict[str, Article]:
        """Articles by id (missing ids are left out)."""
        found: dict[str, Article] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for (record,) in self._db.execute(f"SELECT record FROM articles WHERE id IN ({marks})", chunk):
                article = Article.from_dict(json.loads(record))
                found[article.id] = article
        return found

    def raw(self, article_id: str) -> bytes:
        """The original bytes of one article."""
        row = self._db.execute("SELECT raw FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(
                f"no article with id {article_id!r} in the archive; find ids with `bulletin search`"
            )
        return zlib.decompress(row[0])

    def origins(self, article_id: str) -> list[str]:
        """Every origin an article was imported from, first one first."""
        rows = self._db.execute(
            "SELECT origin FROM origins WHERE article_id = ? ORDER BY added_at, rowid", (article_id,)
        ).fetchall()
        return [str(r[0]) for r in rows]

    def ids(self) -> list[str]:
        """Every article id, in import order."""
        return [str(r[0]) for r in self._db.execute("SELECT id FROM articles ORDER BY rowid")]

    def iter_articles(self, batch: int = 500) -> Iterator[Article]:
        """Every article in import order, streamed in batches (constant memory)."""
        last = 0
        while True:
            rows = self._db.execute(
                "SELECT rowid, record FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            for rowid, record in rows:
                last = rowid
                yield Article.from_dict(json.loads(record))

    def iter_raw(self, batch: int = 200) -> Iterator[tuple[str, str, bytes]]:
        """(id, sha256, original bytes) for every article, streamed."""
        last = 0
        while True:
            rows = self._db.execute(
                "SELECT rowid, id, sha256, raw FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            for rowid, article_id, sha, blob in rows:
                last = rowid
                yield article_id, sha, zlib.decompress(blob)

    def stats(self, top: int = 10) -> StoreStats:
        """Counts, date range and top sources."""
        count, first, last, undated, raw_bytes = self._db.execute(
            "SELECT count(*), min(date), max(date), sum(date IS NULL), coalesce(sum(raw_size), 0)"
            " FROM articles"
        ).fetchone()
        sources = self._db.execute(
            "SELECT source, count(*) AS n FROM articles WHERE source IS NOT NULL AND source != ''"
            " GROUP BY source ORDER BY n DESC, source LIMIT ?",
            (top,),
        ).fetchall()
        return StoreStats(
            articles=int(count),
            first_date=first,
            last_date=last,
            undated=int(undated or 0),
            top_sources=[(str(s), int(n)) for s, n in sources],
            raw_bytes=int(raw_bytes),
        )

    def integrity_problems(self) -> list[str]:
        """SQLite's own integrity check; an empty list when healthy."""
        rows = self._db.execute("PRAGMA integrity_check").fetchall()
        problems = [str(r[0]) for r in rows]
        return [] if problems == ["ok"] else problems

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        """Run raw SQL (for maintenance code inside the library only)."""
        return self._db.execute(sql, params)
