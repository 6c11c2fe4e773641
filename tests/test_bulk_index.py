"""The bulk writer (pre-analysed postings, a term at a time) builds the same index as Whoosh's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bulletin.index import IndexDoc
from bulletin.index.whoosh import WhooshIndex
from bulletin.index.whoosh.documents import IndexWriter

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


def _dump(index: WhooshIndex) -> Any:
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
                        # `or None`: an inlined id posting's empty value reads back as "" (a block's as None)
                        rows.append((matcher.id(), matcher.weight(), matcher.value() or None))
                        matcher.next()
                    postings.append((field, term, info.weight(), info.min_length(), info.max_length(), rows))
        fields = ["title", "text", "source", "author", "tag", "site", "chars"]
        lengths = [reader.doc_field_length(d, f) for f in fields for d in range(reader.doc_count_all())]
        return postings, lengths, list(reader.all_stored_fields()), list(reader.column_reader("date"))


def _build(root: Path, bulk: bool, docs: list[IndexDoc] = DOCS) -> WhooshIndex:
    """The docs indexed in two commits by bulletin's writer, or by Whoosh's own (`bulk` False:
    Whoosh analyses with the schema's analyzers and formats, and writes no posting arrays)."""
    index = WhooshIndex.create(root)
    for part in (docs[:2], docs[2:]):
        if bulk:
            with index.writer() as writer:
                for doc in part:
                    writer.add(doc)
        else:
            raw = index._ix.writer()
            for doc in part:
                IndexWriter(raw).add(doc)
            raw.commit(merge=False)
    return index


def test_bulk_writer_matches_whoosh(tmp_path: Path) -> None:
    assert _dump(_build(tmp_path / "bulk", True)) == _dump(_build(tmp_path / "plain", False))


def test_bulk_writer_matches_whoosh_on_long_posting_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Terms in hundreds of documents span several blocks, some compressed and some not."""
    from bulletin.index.whoosh import bulk_writer

    monkeypatch.setattr(bulk_writer, "POSTINGS_PER_BLOCK", 64)  # several blocks a common term
    phrases = ["五心强校", "铸魂育人", "防溺水安全教育", "school board", "2023年3月"]
    docs = [
        IndexDoc(
            f"d{n}",
            phrases[n % 5] + f"第{n}号",
            "。".join(phrases[: 1 + n % 5] * (1 + n % 3)) + f" 编号{n}",
            "潼南区" if n % 2 else "",
            "",
            "教育" if n % 7 == 0 else "",
            "",
            20230000 + n,
        )
        for n in range(300)
    ]
    assert _dump(_build(tmp_path / "bulk", True, docs)) == _dump(_build(tmp_path / "plain", False, docs))


def _doc(n: int) -> IndexDoc:
    return IndexDoc(f"m{n}", f"通知{n}", f"第{n}条 五心强校", "", "", "", "", 20230101)


def test_optimize_merges_small_segments(tmp_path: Path) -> None:
    index = _build(tmp_path / "bulk", True)
    before = _dump(index)
    index.optimize()
    index = WhooshIndex.open(tmp_path / "bulk")
    assert len(index._ix._segments()) == 1
    assert _dump(index)[2] == before[2]
    assert index.doc_count() == 3


def test_optimize_merges_at_most_merge_docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A merge holds its postings in memory: after a big bulk load of small segments it folds
    only the smallest, up to MERGE_DOCS articles, so memory stays bounded."""
    from bulletin.index.whoosh import bulk_writer

    monkeypatch.setattr(bulk_writer, "MERGE_DOCS", 20)
    index = WhooshIndex.create(tmp_path / "index")
    for start, size in ((0, 10), (10, 10), (20, 10), (30, 4)):
        index.add_batch([_doc(n) for n in range(start, start + size)])
    index.optimize()
    sizes = sorted(s.doc_count_all() for s in WhooshIndex.open(tmp_path / "index")._ix._segments())
    assert sizes == [10, 10, 14]  # 4 + 10 merged; another 10 would pass 20
    assert WhooshIndex.open(tmp_path / "index").doc_count() == 34


def test_rebuild_analyses_in_workers_in_order(tmp_path: Path) -> None:
    """A rebuild analyses chunks in worker processes; documents come back in order, intact."""
    from bulletin.index import prepare
    from bulletin.pipeline import analysed

    docs = [
        IndexDoc(f"r{n}", f"通知{n}", f"第{n}条 五心强校 school {n}", "", "", "", "", 20230101 + n)
        for n in range(130)
    ]
    out = list(analysed(iter(docs), jobs=2, chunk=50))
    assert [p.doc.id for p in out] == [d.id for d in docs]
    assert out == [prepare(d) for d in docs]
    index = WhooshIndex.rebuild(tmp_path / "index", out, batch=60)
    assert index.doc_count() == 130 and len(index._ix._segments()) == 3


def test_word_frequencies_sample_many_segments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past IDF_SEGMENTS segments, document frequencies come from a sample scaled to the whole."""
    from bulletin.index.whoosh import backend

    index = WhooshIndex.create(tmp_path / "index")
    for start in range(0, 60, 10):  # six segments; 五心 in every document, 通知 in every third
        index.add_batch(
            [
                IndexDoc(f"w{n}", "", "五心强校" + ("通知" if n % 3 == 0 else ""), "", "", "", "", 0)
                for n in range(start, start + 10)
            ]
        )
    exact = index.word_frequencies(["五心", "通知", "没有"])
    assert exact == {"五心": 60, "通知": 20, "没有": 0}
    monkeypatch.setattr(backend, "IDF_SEGMENTS", 2)
    sampled = index.word_frequencies(["五心", "通知", "没有"])
    assert sampled["五心"] == 60 and sampled["没有"] == 0
    # Segments 0 and 3 are read (w0-w9, w30-w39): 8 of their 20 documents, scaled by 60/20.
    assert sampled["通知"] == 24
    index.engine = "vector"  # a big archive's: posting arrays count every segment, quickly
    assert index.word_frequencies(["五心", "通知", "没有", "五心强"]) == {**exact, "五心强": 60}


def _phrase_hits(index: WhooshIndex, text: str) -> dict[str, list[str]]:
    """The ids each engine finds for a quoted phrase."""
    from bulletin.query import parse_query

    found = {}
    for engine in ("whoosh", "vector"):
        index.engine = engine
        hits = index.search(parse_query(f'"{text}"'), limit=None).hits
        found[engine] = sorted(article_id for article_id, _ in hits)
    return found


def test_a_merge_carries_positions_over_from_the_posting_arrays(tmp_path: Path) -> None:
    """Whoosh's blocks hold no positions: a merged segment gets them from its sources' arrays,
    deleted documents left out, so phrases still match exactly after `optimize`."""
    index = WhooshIndex.create(tmp_path / "index")
    index.add_batch([IndexDoc(f"a{n}", "", f"五心强校 第{n}条", "", "", "", "", 0) for n in range(4)])
    index.add_batch(
        [IndexDoc(f"b{n}", "", f"强校五心 第{n}条 五心强校", "", "", "", "", 0) for n in range(3)]
    )
    index.delete(["a1", "b0"])
    before = {text: _phrase_hits(index, text) for text in ("五心强校", "强校五心", "第2条", "校五")}
    index.optimize()
    merged = WhooshIndex.open(tmp_path / "index")
    assert len(merged._ix._segments()) == 1
    after = {text: _phrase_hits(merged, text) for text in before}
    assert after == before
    assert after["五心强校"]["whoosh"] == ["a0", "a2", "a3", "b1", "b2"]
    assert after["强校五心"]["vector"] == ["b1", "b2"]
    assert after["校五"]["whoosh"] == ["b1", "b2"]  # across the two words of 强校五心: adjacent


def test_counts_follow_deletions_in_the_same_process(tmp_path: Path) -> None:
    index = WhooshIndex.create(tmp_path / "index")
    index.add_batch([_doc(n) for n in range(5)])
    assert index.doc_count() == 5
    with index.writer() as writer:
        writer.delete("m2")
    assert index.doc_count() == 4
    assert "m2" not in index.all_ids()
