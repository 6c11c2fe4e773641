"""Records are stored packed; archives whose records are plain JSON text (format v1) still read,
search, show, export, check and take more imports, read-only too, without being rewritten."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from bulletin.archive import facade
from bulletin.models import Article

from .conftest import EXAMPLES, Cli

READS = [
    ("search", "--json", "潼南"),
    ("search", "--jsonl", ""),
    ("show", "--json", "40809cd1eb10"),
    ("export", "--format", "jsonl"),
    ("similar", "--json", "40809cd1eb10"),
    ("duplicates", "--json"),
    ("summarize", "--json"),
]


@contextmanager
def _database(cli: Cli) -> Iterator[sqlite3.Connection]:
    """The archive's database, committed and closed on leaving (closing checkpoints its log)."""
    with closing(sqlite3.connect(cli.archive / "archive.sqlite")) as db, db:
        yield db


def _as_v1(cli: Cli) -> None:
    """Rewrite the archive's records as bulletin before packing wrote them: JSON text, format v1."""
    with _database(cli) as db:
        for article_id in [row[0] for row in db.execute("SELECT id FROM articles")]:
            shown = json.loads(cli("show", "--json", "--no-summary", article_id).stdout)
            text = json.dumps(Article.from_dict(shown).to_dict(), ensure_ascii=False)
            db.execute("UPDATE articles SET record = ? WHERE id = ?", (text, article_id))
        db.execute("UPDATE meta SET value = '1' WHERE key = 'store_version'")
    with _database(cli) as db:
        db.execute("VACUUM")


def _storage(cli: Cli) -> dict[str, int]:
    """How many records are stored as plain text and as packed blobs, and the format version."""
    with _database(cli) as db:
        kinds = dict(db.execute("SELECT typeof(record), count(*) FROM articles GROUP BY 1").fetchall())
        (version,) = db.execute("SELECT value FROM meta WHERE key = 'store_version'").fetchone()
    return {"text": kinds.get("text", 0), "blob": kinds.get("blob", 0), "version": int(version)}


def _outputs(cli: Cli) -> list[str]:
    results = [cli(*args) for args in READS]
    assert all(r.exit_code in (0, 1) for r in results), [r.stderr for r in results]
    return [r.stdout for r in results]


def test_new_records_are_packed_and_smaller_than_their_json(filled: Cli) -> None:
    storage = _storage(filled)
    assert storage["text"] == 0 and storage["blob"] > 0
    assert storage["version"] == 2  # older bulletins refuse a version above theirs: they cannot unpack
    with _database(filled) as db:
        (stored,) = db.execute(
            "SELECT length(record) FROM articles WHERE origin LIKE '%tongnan-education-2023.txt'"
        ).fetchone()
    shown = filled("search", "--jsonl", "五心强校").stdout.splitlines()[0]
    article_id = json.loads(shown)["id"]
    record = json.loads(filled("show", "--json", "--no-summary", article_id).stdout)
    assert stored < len(record["text"].encode("utf-8")) / 2


def test_a_v1_archive_reads_as_before_and_takes_more_imports(filled: Cli, tmp_path: Path) -> None:
    before = _outputs(filled)
    _as_v1(filled)
    articles = _storage(filled)["blob"] + _storage(filled)["text"]
    assert _storage(filled) == {"text": articles, "blob": 0, "version": 1}
    assert _outputs(filled) == before
    assert filled("check").exit_code == 0
    assert _storage(filled)["version"] == 1  # reading never rewrites

    again = filled("import", str(EXAMPLES))
    assert again.exit_code == 0 and "unchanged" in again.stderr and " 0 added" in again.stderr
    assert _storage(filled)["version"] == 1

    more = tmp_path / "more.txt"
    more.write_text("潼南区召开新学期教育工作推进会\n2023-09-01\n会议部署了新学期的重点工作。\n", "utf-8")
    assert filled("import", "--quiet", str(more)).exit_code == 0
    assert _storage(filled) == {"text": articles, "blob": 1, "version": 2}  # rows of both kinds
    assert filled("search", "--count", "新学期").stdout.strip() == "1"
    added = json.loads(filled("search", "--jsonl", "新学期").stdout.splitlines()[0])["id"]
    assert "重点工作" in json.loads(filled("show", "--json", added).stdout)["text"]
    assert filled("check").exit_code == 0

    # A copy of a v1 article: near-duplicate detection reads the plain record it is compared with.
    copy = tmp_path / "copy.txt"
    copy.write_text((EXAMPLES / "tongnan-education-2023.txt").read_text(encoding="utf-8") + "\n（完）\n")
    assert filled("import", "--quiet", str(copy)).exit_code == 0
    assert len(json.loads(filled("duplicates", "--json").stdout)) == 1
    assert filled("export", "--format", "jsonl").stdout.count("\n") == articles + 2


def test_a_read_only_v1_archive_is_read_without_migrating(
    filled: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _outputs(filled)
    _as_v1(filled)
    monkeypatch.setattr(facade, "folder_is_writable", lambda folder: False)
    database = (filled.archive / "archive.sqlite").read_bytes()
    assert _outputs(filled) == before
    assert filled("check").exit_code == 0
    assert (filled.archive / "archive.sqlite").read_bytes() == database


def _damage(filled: Cli, column: str, start: int, stop: int) -> str:
    """Flip the bytes [start, stop) of one archived article's `column`; returns its id."""
    article_id = json.loads(filled("search", "--jsonl", "五心强校").stdout.splitlines()[0])["id"]
    with _database(filled) as db:
        (stored,) = db.execute(f"SELECT {column} FROM articles WHERE id = ?", (article_id,)).fetchone()
        damaged = stored[:start] + bytes(b ^ 0x5A for b in stored[start:stop]) + stored[stop:]
        db.execute(f"UPDATE articles SET {column} = ? WHERE id = ?", (damaged, article_id))
    return str(article_id)


def test_a_damaged_record_is_found_by_check_and_is_an_error_not_a_crash(filled: Cli) -> None:
    article_id = _damage(filled, "record", 20, 40)
    check = filled("check")
    assert check.exit_code == 1 and f"the record of {article_id} cannot be read" in check.stdout
    shown = filled("show", article_id)
    assert shown.exit_code == 2 and "bulletin check" in shown.stderr


def test_a_damaged_original_is_found_by_check_and_raw_is_an_error_not_a_crash(filled: Cli) -> None:
    article_id = _damage(filled, "raw", 10, 60)
    check = filled("check")
    assert check.exit_code == 1 and f"original of {article_id} is damaged" in check.stdout
    raw = filled("show", "--raw", article_id)
    assert raw.exit_code == 2 and "bulletin check" in raw.stderr and not raw.stdout


def test_reindex_goes_on_past_a_damaged_article_and_names_it(filled: Cli) -> None:
    article_id = json.loads(filled("search", "--jsonl", "五心强校").stdout.splitlines()[0])["id"]
    before = set(filled("search", "--ids", "--limit", "0", "").stdout.split())
    with _database(filled) as db:
        (blob,) = db.execute("SELECT raw FROM articles WHERE id = ?", (article_id,)).fetchone()
        damaged = blob[:10] + b"\0" * 50 + blob[60:]
        db.execute("UPDATE articles SET raw = ? WHERE id = ?", (damaged, article_id))
    rebuilt = filled("reindex")
    assert rebuilt.exit_code == 1 and "left out of the index" in rebuilt.stderr
    assert article_id in rebuilt.stderr and "bulletin check" in rebuilt.stderr
    assert set(filled("search", "--ids", "--limit", "0", "").stdout.split()) == before - {article_id}
