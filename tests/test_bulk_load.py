"""Bulk loads (`Archive.add_articles`): analysed in worker processes, each original archived once."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import bulletin.archive.importer
from bulletin.archive import Archive
from bulletin.models import Article, article_id
from bulletin.search import SearchRequest


def _article(n: int, body: bytes) -> tuple[Article, bytes]:
    sha = hashlib.sha256(body).hexdigest()
    text = f"第{n}号通知。潼南区教育委员会部署防溺水安全教育，编号{n}。" + "各校落实安全责任。" * 5
    return Article(id=article_id(sha), sha256=sha, origin=f"page-{n}.html", text=text, title=f"通知{n}"), body


def test_bulk_load_archives_each_original_once_across_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        bulletin.archive.importer, "CHUNK", 4
    )  # several chunks, so workers run ahead of commits
    items = [_article(n, f"<p>{n}</p>".encode()) for n in range(11)]
    items.insert(7, items[2])  # the same original again, a chunk later
    with Archive(tmp_path / "a", create=True) as archive:
        assert archive.add_articles(items) == 11
        assert archive.add_articles(items[:3]) == 0  # already archived
        assert archive.store.count() == 11
        found = archive.search(SearchRequest(query="编号7", limit=None))
        assert [hit.article.title for hit in found.hits] == ["通知7"]
        assert archive.check() == []
