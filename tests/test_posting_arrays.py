"""Posting arrays: each bulk-written segment's postings again as flat arrays, exactly Whoosh's."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from bulletin.index import IndexDoc
from bulletin.index.whoosh import WhooshIndex, posting_arrays
from bulletin.index.whoosh.posting_arrays import SegmentArrays, open_segment_arrays, term_hash
from bulletin.query import parse_query

from .shared_data import SEED, needs_shared


def _docs(count: int, seed: int = 5) -> list[IndexDoc]:
    rng = random.Random(seed)
    text = SEED.read_text(encoding="utf-8").replace("\n", "")
    docs = []
    for n in range(count):
        start = rng.randrange(len(text) - 400)
        body = text[start : start + rng.randint(50, 400)]
        if n % 4 == 0:
            body += " 教育教育教育 School board 2023年 教育"  # repeated tokens: several positions
        docs.append(
            IndexDoc(
                f"d{n:03d}", body[:12], body, "潼南区", "石珊" if n % 3 else "", "教育", "", 20230101 + n
            )
        )
    return docs


def _whoosh_postings(leaf: Any, field: str, btext: bytes) -> list[tuple[int, float, list[int] | None]]:
    matcher = leaf.postings(field, btext)
    positional = leaf.schema[field].format.supports("positions")
    rows = []
    while matcher.is_active():
        positions = list(matcher.value_as("positions")) if positional else None
        rows.append((matcher.id(), matcher.weight(), positions))
        matcher.next()
    return rows


def _array_postings(
    arrays: SegmentArrays, field: str, btext: bytes
) -> list[tuple[int, float, list[int] | None]]:
    found = arrays.term(field, term_hash(btext))
    assert found is not None, (field, btext)
    if found.counts is None or found.positions is None:
        return [(int(i), float(w), None) for i, w in zip(found.ids, found.weights, strict=True)]
    rows = []
    at = 0
    for doc, weight, count in zip(found.ids, found.weights, found.counts, strict=True):
        rows.append((int(doc), float(weight), [int(p) for p in found.positions[at : at + int(count)]]))
        at += int(count)
    return rows


def _segments(index: WhooshIndex) -> list[Any]:
    with index._searching() as searcher:
        return [leaf for leaf, _ in searcher.reader().leaf_readers()]


@needs_shared
def test_bulk_segments_hold_every_posting_as_arrays(tmp_path: Path) -> None:
    index = WhooshIndex.create(tmp_path / "index")
    docs = _docs(60)
    index.add_batch(docs[:30])
    index.add_batch(docs[30:])
    leaves = _segments(index)
    assert len(leaves) == 2
    for leaf in leaves:
        arrays = open_segment_arrays(leaf)
        assert arrays is not None
        for field in ("title", "text", "author", "chars"):
            for btext in leaf.lexicon(field):
                assert _array_postings(arrays, field, btext) == _whoosh_postings(leaf, field, btext)
        assert arrays.term("text", term_hash("不在索引里的词".encode())) is None


@needs_shared
def test_merged_segments_get_arrays_and_leave_no_files_behind(tmp_path: Path) -> None:
    index = WhooshIndex.create(tmp_path / "index")
    for start in range(0, 40, 10):
        index.add_batch(_docs(40)[start : start + 10])
    index.optimize()
    index.close()
    index = WhooshIndex.open(tmp_path / "index")
    leaves = _segments(index)
    assert len(leaves) == 1
    arrays = open_segment_arrays(leaves[0])
    assert arrays is not None
    for btext in leaves[0].lexicon("text"):
        assert _array_postings(arrays, "text", btext) == _whoosh_postings(leaves[0], "text", btext)
    # One arrays file a live segment, beside it: the merged segments' went with them.
    folder = tmp_path / "index" / index.generation
    assert [p.stem for p in folder.glob("*" + posting_arrays.EXTENSION)] == [
        p.stem for p in folder.glob("*.seg")
    ]


def _results(index: WhooshIndex, query: str) -> tuple[int, list[tuple[str, float]]]:
    hits = index.search(parse_query(query), limit=None)
    # Whoosh adds 1 to every hit's score for each NOT it passes: the same order, other values.
    return hits.total, [(i, 0.0 if " -" in query else round(s, 6)) for i, s in hits.hits]


QUERIES = ['"教育教育"', "教育", "潼南", "school", '"教育教育教育"', "育 -潼南", "author:石珊", "教"]


@needs_shared
def test_engine_reads_arrays_and_blocks_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whoosh's matchers, the numpy engine over arrays, and over decoded blocks agree."""
    index = WhooshIndex.create(tmp_path / "index")
    docs = _docs(80)
    index.add_batch(docs[:40])
    index.add_batch(docs[40:])
    queries = [*QUERIES, f'"{docs[3].text[5:90]}"']  # a phrase of some 80 tokens
    index.engine = "whoosh"
    expected = {q: _results(index, q) for q in queries}
    assert expected[queries[-1]][0] >= 1
    index.engine = "vector"
    assert {q: _results(index, q) for q in queries} == expected
    with index._searching() as searcher:
        vector = index._vector_index(searcher)
        assert len(vector.array_units()) == 2 and not vector._block_segments()
    index.close()
    monkeypatch.setattr("bulletin.index.whoosh.array_runs.open_arrays", lambda folder, name: None)
    index = WhooshIndex.open(tmp_path / "index")
    index.engine = "vector"
    assert {q: _results(index, q) for q in queries} == expected


@needs_shared
def test_colliding_hashes_fall_back_to_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(posting_arrays, "term_hash", lambda btext: 7)
    index = WhooshIndex.create(tmp_path / "index")
    docs = _docs(20)
    index.add_batch(docs)
    assert all(open_segment_arrays(leaf) is None for leaf in _segments(index))
    index.engine = "whoosh"
    expected = _results(index, '"教育教育"')
    assert expected[0] >= 5
    index.engine = "vector"
    assert _results(index, '"教育教育"') == expected


def test_unreadable_arrays_are_ignored(tmp_path: Path) -> None:
    """A damaged or empty arrays file is skipped: the segment is read from Whoosh's blocks."""

    class Storage:
        folder = str(tmp_path)

    class Segment:
        def make_filename(self, ext: str) -> str:
            return "MAIN_x" + ext

    class Leaf:
        _segment = Segment()
        _storage = Storage()

    path = tmp_path / ("MAIN_x" + posting_arrays.EXTENSION)
    for damaged in (b"not arrays at all", b"", b"BPA1\xff\xff\xff\x7f{"):
        path.write_bytes(damaged)
        assert open_segment_arrays(Leaf()) is None
    path.unlink()
    assert open_segment_arrays(Leaf()) is None


@needs_shared
def test_deleting_keeps_every_segment_on_arrays(tmp_path: Path) -> None:
    """A delete commits without Whoosh's own merge, which would write segments without arrays."""
    index = WhooshIndex.create(tmp_path / "index")
    docs = _docs(30)
    for start in range(0, 30, 5):  # six small segments: Whoosh's merge policy would fold them
        index.add_batch(docs[start : start + 5])
    with index.writer() as writer:
        for doc in docs[::4]:
            writer.delete(doc.id)
    index.close()
    index = WhooshIndex.open(tmp_path / "index")
    leaves = _segments(index)
    assert len(leaves) == 6 and all(open_segment_arrays(leaf) is not None for leaf in leaves)
    index.engine = "whoosh"
    expected = _results(index, '"教育教育"')
    index.engine = "vector"
    assert _results(index, '"教育教育"') == expected
    assert not {doc.id for doc in docs[::4]} & {i for i, _ in expected[1]}
