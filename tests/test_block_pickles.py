"""Posting blocks pickled with protocol 5 are smaller, and indexes with older blocks read the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.index import IndexDoc
from bulletin.index.whoosh import WhooshIndex, patches
from bulletin.query import parse_query

from .shared_data import SEED, needs_shared


def _build(folder: Path, docs: list[IndexDoc]) -> WhooshIndex:
    index = WhooshIndex.create(folder)
    index.add_batch(list(docs[: len(docs) // 2]))
    with index.writer() as writer:  # Whoosh's own writer too
        for doc in docs[len(docs) // 2 :]:
            writer.add(doc)
    return index


@needs_shared
def test_old_and_new_blocks_find_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if len(line) > 10]
    docs = [
        IndexDoc(f"d{n}", lines[n % len(lines)][:20], "".join(lines[n % 7 :: 3]), "潼南区教委", "", "", "", 0)
        for n in range(60)
    ]
    new = _build(tmp_path / "new", docs)
    monkeypatch.setattr(patches, "PROTOCOL", 2)  # what Whoosh itself writes
    old = _build(tmp_path / "old", docs)
    assert new.size_bytes() < old.size_bytes() * 0.8
    for query in ["潼南", "教育 工作", '"五心强校"', "区", "学校 -学生"]:
        for engine in ("whoosh", "vector"):
            old.engine = new.engine = engine
            expected = old.search(parse_query(query), limit=None)
            found = new.search(parse_query(query), limit=None)
            assert found.total == expected.total > 0, query
            assert found.hits == expected.hits, query
