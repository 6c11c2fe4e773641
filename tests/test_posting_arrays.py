"""Posting arrays: each bulk-written segment's postings as flat arrays, Whoosh's doc numbers and
weights with the positions Whoosh's Positions format would find (the arrays are their home)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh.formats import Positions

from bulletin.index import IndexDoc, IndexUnusable
from bulletin.index.schema import POSITION_FIELDS, make_schema
from bulletin.index.whoosh import WhooshIndex, posting_arrays
from bulletin.index.whoosh.documents import whoosh_fields
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


_REFERENCE: dict[tuple[tuple[str, ...], str], dict[tuple[int, bytes], list[int]]] = {}


def _reference_positions(docs: list[IndexDoc], field: str) -> dict[tuple[int, bytes], list[int]]:
    """(segment doc number, term) -> positions, as Whoosh's own Positions format finds them."""
    key = (tuple(doc.id + doc.text for doc in docs), field)
    if key in _REFERENCE:
        return _REFERENCE[key]
    schema_field = make_schema()[field]
    positional = Positions(field_boost=schema_field.format.field_boost)
    found = {}
    for docnum, doc in enumerate(docs):
        for text, _, _, vbytes in positional.word_values(whoosh_fields(doc)[field], schema_field.analyzer):
            found[docnum, text.encode("utf-8")] = positional.decode_positions(vbytes)
    _REFERENCE[key] = found
    return found


def _whoosh_postings(
    leaf: Any, field: str, btext: bytes, docs: list[IndexDoc]
) -> list[tuple[int, float, list[int] | None]]:
    """Whoosh's doc numbers and weights from its blocks; positions (in fields that have them)
    found again from the documents the segment holds, in order."""
    matcher = leaf.postings(field, btext)
    positions = _reference_positions(docs, field) if field in POSITION_FIELDS else None
    rows = []
    while matcher.is_active():
        rows.append(
            (matcher.id(), matcher.weight(), None if positions is None else positions[matcher.id(), btext])
        )
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
    for leaf, held in zip(leaves, (docs[:30], docs[30:]), strict=True):
        arrays = open_segment_arrays(leaf)
        assert arrays is not None
        for field in ("title", "text", "author", "chars"):
            for btext in leaf.lexicon(field):
                assert _array_postings(arrays, field, btext) == _whoosh_postings(leaf, field, btext, held)
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
        assert _array_postings(arrays, "text", btext) == _whoosh_postings(leaves[0], "text", btext, _docs(40))
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


WORD_QUERIES = [q for q in QUERIES if '"' not in q]


@needs_shared
def test_engine_reads_arrays_and_blocks_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whoosh's matchers and the numpy engine agree, over arrays, and over Whoosh's blocks for
    words when the arrays are gone; a phrase then says to reindex (blocks hold no positions)."""
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
    assert {q: _results(index, q) for q in WORD_QUERIES} == {q: expected[q] for q in WORD_QUERIES}
    with pytest.raises(IndexUnusable, match="bulletin reindex"):
        _results(index, '"教育教育"')


@needs_shared
def test_colliding_hashes_fall_back_to_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two terms of a segment sharing a hash leave it without arrays: words are read from
    Whoosh's blocks, and a phrase, by either engine, says to reindex."""
    monkeypatch.setattr(posting_arrays, "term_hash", lambda btext: 7)
    index = WhooshIndex.create(tmp_path / "index")
    docs = _docs(20)
    index.add_batch(docs)
    assert all(open_segment_arrays(leaf) is None for leaf in _segments(index))
    index.engine = "whoosh"
    expected = _results(index, "教育")
    assert expected[0] >= 5
    index.engine = "vector"
    assert _results(index, "教育") == expected
    for engine in ("whoosh", "vector"):
        index.engine = engine
        with pytest.raises(IndexUnusable, match="bulletin reindex"):
            _results(index, '"教育教育"')


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
