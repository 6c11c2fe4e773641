"""Boilerplate learned from the archive: lines that recur across many articles of the same site.

The rule table (rules.py) names furniture every site prints; each site also has its own (a fixed
disclaimer, "欢迎投稿：…@…", a slogan under every post). No rule can name those, but the archive
sees them again and again. `LineMemory` counts, per site, in how many distinct articles each
normalised line occurs, in SQLite tables it creates on the connection it is given:

    learned_lines(site, line_hash, line, articles)   one row per site and line
    learned_articles(site, text_hash)                the articles already counted

A line is boilerplate for a site when it is at least `MIN_CHARS` long and occurs in at least
`MIN_ARTICLES` articles *and* in at least `MIN_SHARE` of the site's observed articles. Short lines
("会议指出", "（完）") are never learned: they recur because they are common words, not furniture.
Digits are folded before counting, so "浏览次数：1024" and "浏览次数：88" are one line.

`strip` refuses to remove more than `MAX_STRIP_SHARE` of a text: when most of an article recurs,
the site has published it several times (reprints, near-duplicates) and the text is the article.

Writes join the caller's transaction; commit on the connection when it suits the import.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable

from bulletin.text.normalize import drop_blanks, fold

MIN_ARTICLES = 5  # a line seen in fewer articles of a site is never boilerplate
MIN_SHARE = 0.3  # ... nor one seen in fewer than this share of the site's articles
MIN_CHARS = 6  # normalised lines shorter than this are not learned
MAX_CHARS = 400  # nor longer ones: a repeated long paragraph is quoted text, not page furniture
MAX_STRIP_SHARE = 0.5  # strip never removes more than this share of a text's characters
_IN_CHUNK = 500  # bound on SQL parameters per query (SQLite's default limit is 999)

_DIGITS = re.compile(r"\d+")

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS learned_lines("
    "site TEXT NOT NULL, line_hash TEXT NOT NULL, line TEXT NOT NULL, articles INTEGER NOT NULL, "
    "PRIMARY KEY(site, line_hash))",
    "CREATE TABLE IF NOT EXISTS learned_articles("
    "site TEXT NOT NULL, text_hash TEXT NOT NULL, PRIMARY KEY(site, text_hash))",
)


def normalize(line: str) -> str:
    """The form a line is counted in: NFKC, lower case, digits folded to #, no whitespace."""
    return _DIGITS.sub("#", drop_blanks(fold(line)))


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _learnable(key: str) -> bool:
    return MIN_CHARS <= len(key) <= MAX_CHARS


class LineMemory:
    """Per-site counts of recurring lines, kept in SQLite (in memory unless given a connection)."""

    def __init__(self, conn: sqlite3.Connection | None = None) -> None:
        """Use `conn` (creating the two tables if missing), or a private in-memory database."""
        self.conn = conn if conn is not None else sqlite3.connect(":memory:")
        for statement in _SCHEMA:
            self.conn.execute(statement)

    def observe(self, site: str, text: str) -> bool:
        """Count the distinct lines of one article of `site`; False when this text was counted before."""
        text_hash = _hash(text)
        cursor = self.conn.execute(
            "INSERT OR IGNORE INTO learned_articles(site, text_hash) VALUES (?, ?)", (site, text_hash)
        )
        if cursor.rowcount == 0:
            return False
        lines: dict[str, str] = {}
        for raw in text.splitlines():
            key = normalize(raw)
            if _learnable(key):
                lines.setdefault(_hash(key), key)
        self.conn.executemany(
            "INSERT INTO learned_lines(site, line_hash, line, articles) VALUES (?, ?, ?, 1) "
            "ON CONFLICT(site, line_hash) DO UPDATE SET articles = articles + 1",
            [(site, h, key) for h, key in lines.items()],
        )
        return True

    def articles(self, site: str) -> int:
        """How many distinct articles of `site` have been observed."""
        row = self.conn.execute("SELECT COUNT(*) FROM learned_articles WHERE site = ?", (site,)).fetchone()
        return int(row[0])

    def _threshold(self, site: str) -> float:
        return max(float(MIN_ARTICLES), MIN_SHARE * self.articles(site))

    def _counts(self, site: str, hashes: Iterable[str]) -> dict[str, int]:
        wanted = list(dict.fromkeys(hashes))
        counts: dict[str, int] = {}
        for i in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[i : i + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT line_hash, articles FROM learned_lines WHERE site = ? AND line_hash IN ({marks})",
                [site, *chunk],
            )
            counts.update((h, int(n)) for h, n in rows)
        return counts

    def is_boilerplate(self, site: str, line: str) -> bool:
        """True when `line` recurs across enough of `site`'s articles (see the module docstring)."""
        key = normalize(line)
        if not _learnable(key):
            return False
        count = self._counts(site, [_hash(key)]).get(_hash(key), 0)
        return count >= self._threshold(site)

    def boilerplate(self, site: str) -> list[str]:
        """The learned boilerplate lines of `site` (normalised), most frequent first."""
        rows = self.conn.execute(
            "SELECT line FROM learned_lines WHERE site = ? AND articles >= ? ORDER BY articles DESC, line",
            (site, self._threshold(site)),
        )
        return [str(line) for (line,) in rows]

    def strip(self, site: str, text: str) -> str:
        """`text` without the lines learned as boilerplate for `site` (unchanged if most would go)."""
        lines = text.splitlines()
        keys = [normalize(line) for line in lines]
        hashes = [_hash(k) if _learnable(k) else "" for k in keys]
        counts = self._counts(site, [h for h in hashes if h])
        threshold = self._threshold(site)
        drop = [bool(h) and counts.get(h, 0) >= threshold for h in hashes]
        dropped = sum(len(k) for k, d in zip(keys, drop, strict=True) if d)
        if not any(drop) or dropped > MAX_STRIP_SHARE * sum(len(k) for k in keys):
            return text
        return "\n".join(line for line, d in zip(lines, drop, strict=True) if not d)

    def forget(self, site: str) -> None:
        """Drop everything learned about `site` (after a redesign its old furniture is gone)."""
        self.conn.execute("DELETE FROM learned_lines WHERE site = ?", (site,))
        self.conn.execute("DELETE FROM learned_articles WHERE site = ?", (site,))
