"""The bulk writer's term writer puts down the bytes Whoosh's own postings writer would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter

from bulletin.index import IndexDoc
from bulletin.index.whoosh import WhooshIndex, bulk_writer
from bulletin.index.whoosh.documents import whoosh_fields

PHRASES = ["五心强校", "铸魂育人", "防溺水安全教育", "school board", "2023年3月", "潼南区教育委员会"]


def _docs(count: int) -> list[IndexDoc]:
    return [
        IndexDoc(
            f"d{n:04d}",
            PHRASES[n % 6] + f"第{n}号",
            "。".join(PHRASES[: 1 + n % 6] * (1 + n % 4)) + f" 编号{n}" + " 教育" * (n % 9),
            "潼南区" if n % 2 else "",
            "王伟" if n % 5 == 0 else "",
            "教育" if n % 7 == 0 else "",
            "",
            20230000 + n,
        )
        for n in range(count)
    ]


def _entries(index: WhooshIndex) -> dict[tuple[str, bytes], tuple[bytes, bytes]]:
    """Each term's raw entry in the terms file and the postings bytes it points to, by field
    and term."""
    from whoosh.codec.whoosh3 import W3TermInfo

    found: dict[tuple[str, bytes], tuple[bytes, bytes]] = {}
    (segment,) = index._ix._segments()
    with index._ix.searcher() as searcher:
        (leaf,) = [leaf for leaf, _ in searcher.reader().leaf_readers()]
        terms = leaf._terms
        postings = terms._postfile
        for field in sorted(leaf.indexed_field_names()):
            for btext in leaf.lexicon(field):
                raw = terms._tindex[terms._keycoder(field, btext)]
                info = W3TermInfo.from_bytes(raw)
                if info.is_inlined():
                    blocks = b""
                else:
                    offset, length = info.extent()
                    length = length[0] if isinstance(length, tuple) else length  # read back as a 1-tuple
                    blocks = postings.get(offset, length)
                found[(field, btext)] = (raw, blocks)
    assert segment.doc_count_all() > 0
    return found


def _whoosh_built(root: Path, docs: list[IndexDoc]) -> WhooshIndex:
    """One segment written by Whoosh's own writer, with the block and inline sizes bulletin uses."""
    index = WhooshIndex.create(root)
    codec = W3Codec(blocklimit=bulk_writer.POSTINGS_PER_BLOCK, inlinelimit=bulk_writer.INLINE_POSTINGS)
    writer: Any = SegmentWriter(index._ix, codec=codec)
    for doc in docs:
        writer.add_document(**whoosh_fields(doc))
    writer.commit(merge=False)
    return WhooshIndex.open(root)


def test_term_entries_and_blocks_are_whooshs_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Whoosh compresses every block; common terms fill several blocks of 64, rare ones are inlined.
    monkeypatch.setattr(bulk_writer, "COMPRESS_MIN_POSTINGS", 1)
    monkeypatch.setattr(bulk_writer, "POSTINGS_PER_BLOCK", 64)
    docs = _docs(400)
    bulk = WhooshIndex.create(tmp_path / "bulk")
    bulk.add_batch(docs)
    ours, theirs = _entries(bulk), _entries(_whoosh_built(tmp_path / "whoosh", docs))
    assert ours.keys() == theirs.keys()
    assert any(blocks for _, blocks in ours.values()) and any(not blocks for _, blocks in ours.values())
    assert ours == theirs
