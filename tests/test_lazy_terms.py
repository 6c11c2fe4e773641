"""Segments open without reading their term dictionaries; queries that need one open it."""

from __future__ import annotations

from pathlib import Path

from bulletin.index import IndexDoc
from bulletin.index.whoosh import WhooshIndex
from bulletin.query import parse_query

DOCS = [
    IndexDoc(
        f"a{n}", f"潼南区通知{n}", "五心强校，铸魂育人。" * (n % 3 + 1), "潼南区", "", "", "", 20230301 + n
    )
    for n in range(30)
]


def _leaves(index: WhooshIndex) -> list:
    with index._searching() as searcher:
        return [leaf for leaf, _ in searcher.reader().leaf_readers()]


def _built(tmp_path: Path) -> WhooshIndex:
    index = WhooshIndex.create(tmp_path / "index")
    index.add_batch(DOCS[:15])
    index.add_batch(DOCS[15:])
    index.close()
    return WhooshIndex.open(tmp_path / "index")


def test_opening_reads_no_term_dictionary(tmp_path: Path) -> None:
    index = _built(tmp_path)
    leaves = _leaves(index)
    assert len(leaves) == 2
    assert not any(leaf._terms.is_open for leaf in leaves)
    # The numpy engine reads the segments' posting arrays: still no dictionary opened.
    index.engine = "vector"
    assert index.search(parse_query('"铸魂育人"'), limit=5).total == 30
    assert not any(leaf._terms.is_open for leaf in leaves)
    index.close()  # closing unopened dictionaries is fine


def test_whoosh_matchers_open_the_dictionary_on_first_use(tmp_path: Path) -> None:
    index = _built(tmp_path)
    index.engine = "whoosh"
    hits = index.search(parse_query("强校 通知7"), limit=5)
    assert hits.hits[0][0] == "a7"
    leaves = _leaves(index)
    assert all(leaf._terms.is_open for leaf in leaves)
    assert ("text", "强校".encode()) in leaves[0]._terms
    assert ("text", "不在".encode()) not in leaves[0]._terms
    index.close()
