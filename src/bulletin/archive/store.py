"""The SQLite store: the archive's source of truth (originals, records, origins)."""

from __future__ import annotations

import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.archive import records
from bulletin.errors import ArchiveError, NotFoundError
from bulletin.models import Article

# v2: records may be packed (bulletin.archive.records), which a v1 reader cannot decode. A v1 archive
# stays v1 until this code writes a record into it; its plain JSON records stay as they are, read as such.
STORE_VERSION = 2
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
    record TEXT NOT NULL,  -- plain JSON text (v1), or a packed BLOB (v2; see bulletin.archive.records)
    raw BLOB NOT NULL,
    raw_size INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
-- For `stats`: summing raw_size from the table reads every page of originals (0.6 s at 100k).
CREATE INDEX IF NOT EXISTS articles_raw_size ON articles(raw_size);
CREATE TABLE IF NOT EXISTS origins (
    article_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (article_id, origin)
);
-- Near-duplicate detection (bulletin.archive.grouping): each article's anchor hashes, and the group of
-- every article that has a near-duplicate (group_id = the first archived member's id).
CREATE TABLE IF NOT EXISTS anchors (hash INTEGER NOT NULL, article_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS anchors_hash ON anchors(hash);
CREATE TABLE IF NOT EXISTS groups (article_id TEXT PRIMARY KEY, group_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS groups_group ON groups(group_id);
"""
# Candidates checked per new article: anchors of boilerplate-like text can be shared widely,
# and exact verification costs a few milliseconds each.
_MAX_CANDIDATES = 10
# Articles read per anchor hash when looking for near-duplicates (see anchor_candidates).
_ROWS_PER_ANCHOR = 16
# A record as selected: a packed one (a BLOB) comes with its original, which unpacking needs. Archives
# from before packing are not migrated: rewriting every record would double a large database's size in
# the write-ahead log for as long as it runs, and an archive on read-only media could not be migrated
# at all; each row says by its storage class how to read it, so old and new rows mix freely.
_RECORD = "record, CASE WHEN typeof(record) = 'blob' THEN raw END"


@dataclass(frozen=True)
class StoreStats:
    """Counts and ranges the `stats` command reports."""

    articles: int
    first_date: str | None
    last_date: str | None
    undated: int
    top_sources: list[tuple[str, int]]
    raw_bytes: int
    months: list[tuple[str, int]]
    duplicate_groups: int
    duplicate_articles: int


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection for a folder this process cannot write (a DVD, a shared drive)."""
    uri = path.resolve().as_uri()  # percent-encodes the characters a URI would misread (?, #)
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        # Commits still in the write-ahead log: SQLite reads them read-only when it can.
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.OperationalError:
            db.close()
    # Otherwise the file is the whole database: read it as it stands. In plain read-only mode SQLite
    # would create its shared-memory and log files beside it, which such a folder cannot take.
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)


class Store:
    """Articles and their original bytes in one SQLite file (WAL mode; `readonly`: queries only)."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        try:
            if readonly:
                self._db = _connect_readonly(path)
            else:
                self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            if not readonly:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                self._db.executescript(_SCHEMA)
            self._check_version(readonly)
        except sqlite3.DatabaseError as exc:
            if not os.access(path.parent, os.W_OK):  # SQLite needs to write beside the database
                raise ArchiveError(
                    f"{path}: cannot open the archive database ({exc}): its folder is on a read-only "
                    "disk or not writable by you; fix that, or copy the archive somewhere writable"
                ) from None
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
        # Every time, inside the caller's transaction: a rolled-back first write must not leave the
        # version behind while later packed records go in (older readers must refuse them).
        self._db.execute(
            "UPDATE meta SET value = ? WHERE key = 'store_version' AND CAST(value AS INTEGER) < ?",
            (str(STORE_VERSION), STORE_VERSION),
        )
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
                records.pack(article.to_dict(), raw),
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
        """Remove articles with their origins, anchors and group entries; returns how many."""
        removed = 0
        for article_id in ids:
            removed += self._db.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount
            for table in ("origins", "anchors", "groups"):
                self._db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        return removed

    # -- near-duplicate groups -------------------------------------------------------

    def add_anchors(self, article_id: str, anchors: Iterable[int]) -> None:
        """Remember an article's anchor hashes for near-duplicate lookups."""
        self._db.executemany(
            "INSERT INTO anchors VALUES (?, ?)", [(anchor, article_id) for anchor in anchors]
        )

    def anchor_candidates(
        self, anchors: tuple[int, ...], exclude: str, min_shared: int = 1
    ) -> list[tuple[str, str]]:
        """(id, text) of archived articles sharing `min_shared` anchor hashes, most shared first.

        Each anchor contributes at most _ROWS_PER_ANCHOR articles, the earliest that carry it:
        a hash common to thousands of articles (a stock sentence) would otherwise make every
        lookup, and so every import, slower as the archive grows. Copies of one bulletin carry
        the same anchors, so the earliest copies come back for each of them and still add up.
        """
        if not anchors:
            return []
        # One statement, counted inside SQLite: a bounded read per anchor, then the tally; ties
        # go to the earliest archived (a group's first member).
        one = "SELECT * FROM (SELECT article_id, rowid AS at FROM anchors WHERE hash = ? LIMIT ?)"
        per_anchor = " UNION ALL ".join([one] * len(anchors))
        bounded = [value for anchor in anchors for value in (anchor, _ROWS_PER_ANCHOR)]
        rows = self._db.execute(
            f"SELECT a.id, {_RECORD} FROM"
            f" (SELECT article_id, count(*) AS shared FROM ({per_anchor})"
            f"  WHERE article_id != ? GROUP BY article_id HAVING shared >= ?"
            f"  ORDER BY shared DESC, min(at) LIMIT ?) AS c"
            f" JOIN articles AS a ON a.id = c.article_id ORDER BY c.shared DESC",
            (*bounded, exclude, min_shared, _MAX_CANDIDATES),
        ).fetchall()
        return [(str(i), self._article(i, stored, blob).text) for i, stored, blob in rows]

    def group_of(self, article_id: str) -> str:
        """The group an article belongs to (its own id when it has no near-duplicate)."""
        row = self._db.execute("SELECT group_id FROM groups WHERE article_id = ?", (article_id,)).fetchone()
        return article_id if row is None else str(row[0])

    def join_group(self, article_id: str, group_id: str) -> None:
        """Put an article in a group; the group's first member is recorded too."""
        self._db.execute("INSERT OR IGNORE INTO groups VALUES (?, ?)", (group_id, group_id))
        self._db.execute("INSERT OR REPLACE INTO groups VALUES (?, ?)", (article_id, group_id))

    def group_map(self) -> dict[str, str]:
        """Article id -> group id for every grouped article."""
        return {str(a): str(g) for a, g in self._db.execute("SELECT article_id, group_id FROM groups")}

    def has_groups(self) -> bool:
        """Whether any article has a near-duplicate in the archive."""
        return self._db.execute("SELECT 1 FROM groups LIMIT 1").fetchone() is not None

    def duplicate_groups(self) -> Iterator[tuple[str, list[str]]]:
        """(group id, member ids in import order) for groups of two or more archived articles."""
        rows = self._db.execute(
            "SELECT g.group_id, g.article_id FROM groups AS g JOIN articles AS a ON a.id = g.article_id"
            " ORDER BY g.group_id, a.rowid"
        )
        current: str | None = None
        members: list[str] = []
        for group_id, article_id in rows:
            if group_id != current:
                if current is not None and len(members) > 1:
                    yield current, members
                current, members = str(group_id), []
            members.append(str(article_id))
        if current is not None and len(members) > 1:
            yield current, members

    def missing_anchors(self) -> list[str]:
        """Ids of articles archived before near-duplicate detection existed (no fingerprint yet)."""
        if self.get_meta("anchors") == "complete":
            return []
        return [
            str(r[0])
            for r in self._db.execute(
                "SELECT id FROM articles WHERE id NOT IN (SELECT DISTINCT article_id FROM anchors)"
                " ORDER BY rowid"
            )
        ]

    def get_meta(self, key: str) -> str | None:
        """A value from the meta table."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set a value in the meta table."""
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

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
        row = self._db.execute(f"SELECT {_RECORD} FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(
                f"no article with id {article_id!r} in the archive; find ids with `bulletin search`"
            )
        return self._article(article_id, *row)

    def get_many(self, ids: list[str]) -> dict[str, Article]:
        """Articles by id (missing ids are left out)."""
        found: dict[str, Article] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT id, {_RECORD} FROM articles WHERE id IN ({marks})"
            for article_id, stored, blob in self._db.execute(query, chunk):
                found[article_id] = self._article(article_id, stored, blob)
        return found

    def _article(self, article_id: str, stored: str | bytes, blob: bytes | None) -> Article:
        """An article from its stored record (and packed original, which a packed record needs)."""
        try:
            return Article.from_dict(records.unpack(stored, None if blob is None else zlib.decompress(blob)))
        except (ValueError, zlib.error) as exc:
            raise ArchiveError(
                f"{self.path}: the record of article {article_id} cannot be read ({exc}); "
                "run `bulletin check` to diagnose"
            ) from None

    def unreadable_records(self, batch: int = 200) -> Iterator[str]:
        """Ids of articles whose stored record cannot be read back (damaged), in import order."""
        for article_id, stored, blob in self._stored_records(batch):
            try:
                self._article(article_id, stored, blob)
            except ArchiveError:
                yield article_id

    def raw(self, article_id: str) -> bytes:
        """The original bytes of one article."""
        row = self._db.execute("SELECT raw FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(
                f"no article with id {article_id!r} in the archive; find ids with `bulletin search`"
            )
        try:
            return zlib.decompress(row[0])
        except zlib.error as exc:
            raise ArchiveError(
                f"{self.path}: the original of article {article_id} cannot be read ({exc}); "
                "run `bulletin check` to diagnose"
            ) from None

    def origins(self, article_id: str) -> list[str]:
        """Every origin an article was imported from, first one first."""
        # The article's own origin first: a copy met earlier in the same run is recorded before
        # the article's chunk is committed.
        rows = self._db.execute(
            "SELECT o.origin FROM origins AS o LEFT JOIN articles AS a ON a.id = o.article_id"
            " WHERE o.article_id = ? ORDER BY o.origin = a.origin DESC, o.rowid",
            (article_id,),
        ).fetchall()
        return [str(r[0]) for r in rows]

    def ids(self) -> list[str]:
        """Every article id, in import order."""
        return [str(r[0]) for r in self._db.execute("SELECT id FROM articles ORDER BY rowid")]

    def iter_articles(
        self, batch: int = 500, *, on_damaged: Callable[[str, str], None] | None = None
    ) -> Iterator[Article]:
        """Every article in import order, streamed in batches (constant memory).

        A record that cannot be read raises ArchiveError; with `on_damaged`, it is told
        (id, message) and the rest go on (a rebuild must not stop at one damaged article).
        """
        for article_id, stored, blob in self._stored_records(batch):
            try:
                yield self._article(article_id, stored, blob)
            except ArchiveError as exc:
                if on_damaged is None:
                    raise
                on_damaged(article_id, str(exc))

    def _stored_records(self, batch: int) -> Iterator[tuple[str, str | bytes, bytes | None]]:
        """(id, stored record, packed original when the record needs it) in import order, streamed."""
        last = 0
        while True:
            rows = self._db.execute(
                f"SELECT rowid, id, {_RECORD} FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            for rowid, article_id, stored, blob in rows:
                last = rowid
                yield str(article_id), stored, blob

    def iter_raw(self, batch: int = 200) -> Iterator[tuple[str, str, bytes | None]]:
        """(id, sha256, original bytes) for every article, streamed; None for an original that
        cannot be decompressed (damaged)."""
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
                try:
                    original: bytes | None = zlib.decompress(blob)
                except zlib.error:
                    original = None
                yield article_id, sha, original

    def stats(self, top: int = 10) -> StoreStats:
        """Counts, date range, top sources, articles per month and near-duplicate groups."""
        # Two statements so that each reads one small covering index, never the table.
        count, first, last, undated = self._db.execute(
            "SELECT count(*), min(date), max(date), sum(date IS NULL) FROM articles"
        ).fetchone()
        (raw_bytes,) = self._db.execute("SELECT coalesce(sum(raw_size), 0) FROM articles").fetchone()
        sources = self._db.execute(
            "SELECT source, count(*) AS n FROM articles WHERE source IS NOT NULL AND source != ''"
            " GROUP BY source ORDER BY n DESC, source LIMIT ?",
            (top,),
        ).fetchall()
        months = self._db.execute(
            "SELECT substr(date, 1, 7) AS month, count(*) FROM articles WHERE length(date) >= 7"
            " GROUP BY month ORDER BY month"
        ).fetchall()
        groups, grouped = self._db.execute(
            "SELECT count(*), coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM groups AS g"
            " JOIN articles AS a ON a.id = g.article_id GROUP BY g.group_id HAVING n > 1)"
        ).fetchone()
        return StoreStats(
            articles=int(count),
            first_date=first,
            last_date=last,
            undated=int(undated or 0),
            top_sources=[(str(s), int(n)) for s, n in sources],
            raw_bytes=int(raw_bytes),
            months=[(str(m), int(n)) for m, n in months],
            duplicate_groups=int(groups),
            duplicate_articles=int(grouped),
        )

    def integrity_problems(self) -> list[str]:
        """SQLite's own integrity check; an empty list when healthy."""
        rows = self._db.execute("PRAGMA integrity_check").fetchall()
        problems = [str(r[0]) for r in rows]
        return [] if problems == ["ok"] else problems

    @property
    def connection(self) -> sqlite3.Connection:
        """The SQLite connection, for library modules that keep tables of their own."""
        return self._db

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        """Run raw SQL (for maintenance code inside the library only)."""
        return self._db.execute(sql, params)
