"""Runs: consecutive segments' posting arrays merged into one file, exactly their postings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bulletin.index import IndexDoc, IndexUnusable
from bulletin.index.whoosh import WhooshIndex, array_runs
from bulletin.index.whoosh.posting_arrays import term_hash
from bulletin.query import parse_query

from .shared_data import needs_shared
from .test_posting_arrays import QUERIES, _docs
from .test_posting_arrays import _whoosh_postings as _reader_postings

Posting = tuple[int, float, list[int] | None]


def _build(tmp_path: Path, segments: int, per_segment: int = 6) -> tuple[WhooshIndex, list[Any]]:
    index = WhooshIndex.create(tmp_path / "index")
    docs = _docs(segments * per_segment)
    for start in range(0, len(docs), per_segment):
        index.add_batch(docs[start : start + per_segment])
    return index, docs


def _folder(index: WhooshIndex) -> str:
    return str(index.root / index.generation)


def _units(index: WhooshIndex) -> tuple[list[array_runs.ArrayUnit], list[int]]:
    return array_runs.array_units(_folder(index), array_runs.segment_infos(index._ix._segments()))


def _whoosh_postings(index: WhooshIndex, docs: list[IndexDoc]) -> dict[tuple[str, bytes], list[Posting]]:
    """Every term's postings over the whole index, global doc numbers, as Whoosh reads them
    (positions found again from `docs`, the index's documents in order)."""
    with index._searching() as searcher:
        reader = searcher.reader()
        return {
            (field, btext): _reader_postings(reader, field, btext, docs)
            for field in ("title", "text", "author", "source", "chars")
            for btext in reader.lexicon(field)
        }


def _unit_postings(index: WhooshIndex, field: str, btext: bytes) -> list[Posting]:
    """A term's postings read from the arrays files alone (runs and segments' own)."""
    units, without = _units(index)
    assert not without
    infos = array_runs.segment_infos(index._ix._segments())
    bases = np.cumsum([0] + [info.documents for info in infos])
    rows: list[Posting] = []
    for unit in units:
        found = unit.arrays.term(field, term_hash(btext))
        if found is None:
            continue
        base = int(bases[unit.first])
        at = 0
        for n, (doc, weight) in enumerate(zip(found.ids.tolist(), found.weights.tolist(), strict=True)):
            positions = None
            if found.counts is not None and found.positions is not None:
                count = int(found.counts[n])
                positions = found.positions[at : at + count].tolist()
                at += count
            rows.append((base + doc, weight, positions))
    return rows


def _small_pages(monkeypatch: pytest.MonkeyPatch, bits: int) -> None:
    """Runs split doc numbers at multiples of 2**bits instead of 65,536 (tiny indexes then
    have runs of several pages, as a 100,000-article archive has)."""
    from bulletin.index.whoosh import posting_arrays

    monkeypatch.setattr(posting_arrays, "PAGE_BITS", bits)
    monkeypatch.setattr(array_runs, "PAGE_BITS", bits)


@needs_shared
@pytest.mark.parametrize(
    ("chunk", "page_bits"), [(1 << 22, 16), (7, 16), (1 << 22, 3), (7, 4)]
)  # one gather per unit, or many small ones; ids in one page, or in several
def test_runs_hold_exactly_the_postings_of_their_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, page_bits: int
) -> None:
    monkeypatch.setattr(array_runs, "FAN_IN", 2)
    monkeypatch.setattr(array_runs, "_CHUNK_POSTINGS", chunk)
    _small_pages(monkeypatch, page_bits)
    index, docs = _build(tmp_path, segments=9)
    (Path(_folder(index)) / "MAIN_leftover.bpr.partial").write_bytes(b"half a run")
    assert index.compact_arrays() == 4 + 2 + 1  # two segments a run, two runs a run...
    assert not list(Path(_folder(index)).glob("*.partial"))  # what a crash left is removed
    units, _ = _units(index)
    # 8 segments in one level-3 run, the ninth on its own file.
    assert [(unit.level, unit.count) for unit in units] == [(3, 8), (0, 1)]
    paged = units[0].arrays.fields["text"].id_splits
    assert (paged is not None) == (page_bits < 16)  # 48 documents: several pages of 8 or 16
    expected = _whoosh_postings(index, docs)
    assert len(expected) > 1000
    for (field, btext), rows in expected.items():
        assert _unit_postings(index, field, btext) == rows, (field, btext.decode())
    # Runs the level-3 run made redundant are gone: one run file remains.
    assert len(list(Path(_folder(index)).glob("*" + array_runs.RUN_EXTENSION))) == 1


def _results(index: WhooshIndex, query: str) -> tuple[int, list[tuple[str, float]]]:
    hits = index.search(parse_query(query), limit=None)
    return hits.total, [(i, 0.0 if " -" in query else round(s, 6)) for i, s in hits.hits]


@needs_shared
@pytest.mark.parametrize("page_bits", [16, 3])
def test_engine_over_runs_finds_what_whoosh_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page_bits: int
) -> None:
    monkeypatch.setattr(array_runs, "FAN_IN", 3)
    _small_pages(monkeypatch, page_bits)
    index, docs = _build(tmp_path, segments=7)
    with index.writer() as writer:  # deletions inside a run: masked, not rewritten
        for doc in docs[::5]:
            writer.delete(doc.id)
    index.compact_arrays()
    index.close()
    index = WhooshIndex.open(tmp_path / "index")
    units, without = _units(index)
    assert [unit.level for unit in units] == [1, 1, 0] and not without
    index.engine = "vector"
    with index._searching() as searcher:
        assert len(index._vector_index(searcher).array_units()) == 3  # what the engine reads
    queries = [*QUERIES, f'"{docs[3].text[5:60]}"']
    index.engine = "whoosh"
    expected = {q: _results(index, q) for q in queries}
    assert expected['"教育教育"'][0] >= 5
    index.engine = "vector"
    assert {q: _results(index, q) for q in queries} == expected


@needs_shared
def test_segments_inside_a_run_are_not_merged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run is the only home of its segments' positions, and Whoosh deletes it with its first
    segment: merges take only segments with arrays of their own, and the run stays whole."""
    monkeypatch.setattr(array_runs, "FAN_IN", 4)
    index, docs = _build(tmp_path, segments=6)
    assert index.compact_arrays() == 1
    run = next(Path(_folder(index)).glob("*" + array_runs.RUN_EXTENSION))
    index.optimize()  # the two segments outside the run merge; the run's four stay
    index.close()
    index = WhooshIndex.open(tmp_path / "index")
    units, without = _units(index)
    assert [(unit.level, unit.count) for unit in units] == [(1, 4), (0, 1)] and not without
    assert run.exists()
    for (field, btext), rows in _whoosh_postings(index, docs).items():
        assert _unit_postings(index, field, btext) == rows, (field, btext.decode())
    index.engine = "whoosh"
    expected = {q: _results(index, q) for q in QUERIES}
    assert expected['"教育教育"'][0] >= 5
    index.engine = "vector"
    assert {q: _results(index, q) for q in QUERIES} == expected


def _drop_segment(index: WhooshIndex, number: int) -> None:
    """Commit a table of contents without segment `number`, as a merge done outside bulletin
    would leave it (Whoosh then deletes the segment's files, not the run named after another)."""

    def without(writer: Any, segments: list[Any]) -> list[Any]:
        return [segment for n, segment in enumerate(segments) if n != number]

    index._ix.writer().commit(mergetype=without)
    index.close()


@needs_shared
@pytest.mark.parametrize("page_bits", [16, 2])
def test_segments_of_a_stale_run_get_their_arrays_back_from_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page_bits: int
) -> None:
    """When a run no longer fits the live segments, the ones still live get their own arrays
    again (postings from Whoosh's blocks, positions from the run) before the run goes."""
    monkeypatch.setattr(array_runs, "FAN_IN", 2)
    _small_pages(monkeypatch, page_bits)
    index, docs = _build(tmp_path, segments=3)
    assert index.compact_arrays() == 1
    _drop_segment(index, 1)
    index = WhooshIndex.open(tmp_path / "index")
    assert _units(index)[1] == [0]  # the run fits no more: the first segment has no arrays
    assert index.compact_arrays() == 1  # the first and third segments: a new run
    folder = Path(_folder(index))
    assert len(list(folder.glob("*.bpr"))) == 1 and not list(folder.glob("*.bpa"))
    live = docs[:6] + docs[12:]
    for (field, btext), rows in _whoosh_postings(index, live).items():
        assert _unit_postings(index, field, btext) == rows, (field, btext.decode())
    index.engine = "whoosh"
    expected = {q: _results(index, q) for q in QUERIES}
    assert expected['"教育教育"'][0] >= 2
    index.engine = "vector"
    assert {q: _results(index, q) for q in QUERIES} == expected


@needs_shared
def test_a_damaged_run_loses_only_phrases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Positions live in the run alone: damaged, its segments are read from Whoosh's blocks
    for words, a phrase says to reindex, and `problems` names the segments."""
    monkeypatch.setattr(array_runs, "FAN_IN", 2)
    index, _ = _build(tmp_path, segments=2)
    assert index.compact_arrays() == 1
    run = next(Path(_folder(index)).glob("*" + array_runs.RUN_EXTENSION))
    index.engine = "whoosh"
    expected = _results(index, "教育")
    assert not index.problems()
    good = run.read_bytes()
    for damaged in (good[: len(good) // 2], b"BPA1" + b"\xff" * 20, b""):
        run.write_bytes(damaged)
        units, without = _units(index)
        assert not units and without == [0, 1]
        index.close()
        index = WhooshIndex.open(tmp_path / "index")
        for engine in ("whoosh", "vector"):
            index.engine = engine
            assert _results(index, "教育") == expected
            with pytest.raises(IndexUnusable, match="bulletin reindex"):
                _results(index, '"教育教育"')
        assert len(index.problems()) == 2 and "bulletin reindex" in index.problems()[0]
    assert index.compact_arrays() == 0  # nothing left to rebuild them from
    # A run recording other segments than the live ones does not fit either.
    run.write_bytes(good)
    infos = array_runs.segment_infos(index._ix._segments())
    assert [unit.level for unit in array_runs.array_units(_folder(index), infos)[0]] == [1]
    shifted = [array_runs.SegmentInfo(infos[0].segment_id, infos[0].documents + 1), infos[1]]
    assert array_runs.array_units(_folder(index), shifted) == ([], [0, 1])


@needs_shared
def test_import_leaves_the_archive_compacted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An archive built by imports, one segment each, gets its runs at the end of an import."""
    from bulletin.archive import Archive
    from bulletin.readers import RawInput

    monkeypatch.setattr(array_runs, "FAN_IN", 3)
    archive = Archive(tmp_path / "archive", create=True)
    for n, doc in enumerate(_docs(3)):
        page = f"<html><head><title>{doc.title}</title></head><body><p>{doc.text}</p></body></html>"
        events = list(archive.import_inputs([RawInput(page.encode(), f"page{n}.html")], jobs=1))
        assert [event.status for event in events] == ["added"]
    index = archive.index
    units, without = _units(index)
    assert [unit.level for unit in units] == [1] and not without
