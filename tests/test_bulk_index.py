"""The bulk writer (pre-analysed postings, a term at a time) builds the same index as Whoosh's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bulletin.index import IndexDoc, SearchIndex

DOCS = [
    IndexDoc(
        "a1",
        "潼南区教育委员会通知",
        "五心强校，铸魂育人。教育教育 2023年3月",
        "潼南区",
        "王伟 李娜",
        "教育",
        "",
        20230301,
    ),
    IndexDoc("a2", "Hello World 2023", "a 1 b 22 c, 英文 mixed! 育人育人育人", "", "", "", "example.org", 0),
    IndexDoc("a3", "", "", "合川区人民政府", "", "", "", 2023),
]


def _dump(index: SearchIndex) -> Any:
    with index._ix.searcher() as searcher:
        reader = searcher.reader()
        postings = []
        for leaf, _offset in reader.leaf_readers():
            for field in sorted(leaf.indexed_field_names()):
                for term in leaf.lexicon(field):
                    info = leaf.term_info(field, term)
                    matcher = leaf.postings(field, term)
                    rows = []
                    while matcher.is_active():
                        rows.append((matcher.id(), matcher.weight(), matcher.value()))
                        matcher.next()
                    postings.append((field, term, info.weight(), info.min_length(), info.max_length(), rows))
        fields = ["title", "text", "source", "author", "tag", "site", "chars"]
        lengths = [reader.doc_field_length(d, f) for f in fields for d in range(reader.doc_count_all())]
        return postings, lengths, list(reader.all_stored_fields()), list(reader.column_reader("date"))


def _build(root: Path, bulk: bool) -> SearchIndex:
    index = SearchIndex.create(root)
    for part in (DOCS[:2], DOCS[2:]):
        with index.writer(bulk=bulk) as writer:
            for doc in part:
                writer.add(doc)
    return index


def test_bulk_writer_matches_whoosh(tmp_path: Path) -> None:
    assert _dump(_build(tmp_path / "bulk", True)) == _dump(_build(tmp_path / "plain", False))


def test_optimize_merges_small_segments(tmp_path: Path) -> None:
    index = _build(tmp_path / "bulk", True)
    before = _dump(index)
    index.optimize()
    index = SearchIndex.open(tmp_path / "bulk")
    assert len(index._ix._segments()) == 1
    assert _dump(index)[2] == before[2]
    assert index.doc_count() == 3
