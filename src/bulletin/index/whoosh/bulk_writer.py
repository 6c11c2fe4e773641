"""A bulk segment writer: the same on-disk format as Whoosh's, written a term at a time.

Whoosh's SegmentWriter costs ~15 µs of pure Python per posting: a pool entry, a global sort,
a per-posting length lookup and add_posting() call at commit. With CJK bigrams an article has
~2,000 postings, so that was ~30 ms an article. BulkSegmentWriter keeps the same on-disk
format but inverts into compact per-term arrays and writes each term's blocks in one step,
and writes the segment's posting arrays beside it (bulletin.index.whoosh.posting_arrays).
Imported only when writing (whoosh.writing loads lazily).
"""

from __future__ import annotations

import os
from array import array
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, _lenfield
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from bulletin.index.analyzers import FieldPostings
from bulletin.index.protocol import PreparedDoc
from bulletin.index.schema import POSITION_FIELDS
from bulletin.index.whoosh import posting_arrays, segment_positions, term_writer
from bulletin.index.whoosh.documents import ARRAY_FIELDS, whoosh_fields
from bulletin.index.whoosh.posting_arrays import EXTENSION
from bulletin.index.whoosh.posting_columns import FieldColumns, GroupedPostings, grouped_postings

_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)


def _return_freed_memory() -> None:
    """Have glibc map every allocation of 1 MB or more on its own, and unmap it when freed.

    By default glibc raises its mapping threshold to the size of each large block freed, up
    to 32 MB, so the writer's next arrays of a few megabytes come from the heap, which
    freed arrays fragment and which is rarely handed back: measured on 10,000 benchmark
    articles in chunks of 2,000, the writing process held some 120 MB more at its peak. A fixed threshold
    turns the adjustment off. Elsewhere (no glibc) nothing changes.
    """
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, 1 << 20)
    except (ImportError, OSError, AttributeError, TypeError, ValueError):  # no C library to ask
        pass


_return_freed_memory()


class _TermPool:
    """Stands in for Whoosh's PostingPool: each field's postings as flat columns, in arrival order.

    Filing a document's rows is a few C-level extends a field (not a Python step a posting);
    grouping by term happens once a segment, as array work (see grouped_postings). Memory
    is bounded by the caller: a bulk writer holds one chunk of articles.
    """

    def __init__(self) -> None:
        self.fields: dict[str, FieldColumns] = {}

    def columns(self, fieldname: str) -> FieldColumns:
        """The columns of one field (created on first use)."""
        found = self.fields.get(fieldname)
        if found is None:
            found = self.fields[fieldname] = FieldColumns()
        return found

    def file(self, fieldname: str, docnum: int, rows: FieldPostings) -> int:
        """Add one document's posting rows of a field; returns the field length."""
        if rows.weights:
            columns = self.columns(fieldname)
            columns.add_keyed(rows.keys, rows.words)
            columns.docs.extend(array("I", (docnum,)) * len(rows.weights))
            columns.weights.extend(rows.weights)
            if rows.counts:
                columns.counts.frombytes(rows.counts)
                columns.positions.frombytes(rows.positions)
        return rows.length

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Whoosh's pool interface (used by add_document and merges); a posting's value is
        always empty (no format of the schema stores one), and its positions, if its field
        has them, are filed apart (BulkSegmentWriter.add_postings_to_pool)."""
        fieldname, btext, docnum, weight, _ = item
        columns = self.columns(fieldname)
        columns.add_terms((btext,))
        columns.docs.append(docnum)
        columns.weights.append(weight)

    def save(self) -> None:
        """Nothing to spill: everything stays in memory."""

    def cleanup(self) -> None:
        """Drop the postings."""
        self.fields.clear()


class BulkSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """A SegmentWriter that takes pre-analysed documents and writes postings a term at a time."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(
            ix, codec=W3Codec(blocklimit=POSTINGS_PER_BLOCK, inlinelimit=INLINE_POSTINGS), **kwargs
        )
        self.pool = _TermPool()
        self._arrays_file = b""

    def add_prepared(self, prepared: PreparedDoc) -> None:
        """Add one document whose text fields were analysed beforehand."""
        self._check_state()
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        values = whoosh_fields(prepared.doc)
        perdoc.start_doc(docnum)
        for fieldname in sorted(values):
            value = values[fieldname]
            field = schema[fieldname]
            length = 0
            if field.indexed:
                if fieldname in prepared.fields:
                    length = pool.file(fieldname, docnum, prepared.fields[fieldname])
                    if not field.scorable:
                        length = 0
                else:
                    for btext, freq, weight, vbytes in field.index(value):
                        if field.scorable:
                            length += freq
                        pool.add((fieldname, btext, docnum, weight, vbytes))
            perdoc.add_field(fieldname, field, value if field.stored else None, length)
            if field.column_type and value is not None:
                perdoc.add_column_value(fieldname, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def add_postings_to_pool(self, reader: Any, startdoc: int, docmap: Any) -> None:
        """Whoosh's merge of a segment's postings, and their positions from the segment's
        posting arrays (Whoosh's blocks hold none), in the same order: terms in byte order,
        each term's live documents ascending."""
        pool = self.pool
        before = {name: len(pool.columns(name)) for name in POSITION_FIELDS}
        super().add_postings_to_pool(reader, startdoc, docmap)
        arrays = segment_positions.own_arrays(reader)
        live = segment_positions.live_documents(reader)
        for name in sorted(POSITION_FIELDS):
            columns = pool.columns(name)
            added = len(columns) - before[name]
            if not added or arrays is None or name not in arrays.fields:
                continue  # without them the field's positions stay incomplete: no arrays file
            found = segment_positions.positions_in(
                arrays.fields[name], 0, reader.doc_count_all(), list(reader.lexicon(name)), live
            )
            if found is not None and found[0].size == added:
                columns.counts.frombytes(found[0].astype("<u4").tobytes())
                columns.positions.frombytes(found[1].astype("<u4").tobytes())

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths_reader = self.per_document_reader() if self.codec.length_stats else None
        writer = self.fieldwriter
        # Each field's columns go once grouped: the two never exist together for all fields.
        pooled = self.pool.fields
        terms = {name: grouped_postings(pooled.pop(name)) for name in sorted(pooled) if len(pooled[name])}
        for fieldname, grouped in terms.items():
            writer.start_field(fieldname, self.schema[fieldname])
            term_writer.write_field(
                writer,
                grouped,
                _field_lengths(lengths_reader, fieldname),
                compress_min=COMPRESS_MIN_POSTINGS,
                level=_COMPRESSION,
            )
            writer.finish_field()
        writer.close()
        if lengths_reader is not None:
            lengths_reader.close()
        self._arrays_file = self._posting_arrays(terms)

    def _posting_arrays(self, terms: dict[str, GroupedPostings]) -> bytes:
        """The segment's postings as flat arrays too (see bulletin.index.whoosh.posting_arrays)."""
        fields = {name: entries for name, entries in terms.items() if name in ARRAY_FIELDS}
        return posting_arrays.encode_segment(fields, POSITION_FIELDS & set(fields))

    def _assemble_segment(self) -> None:
        # The arrays file goes beside the compound file, written after it: inside, its
        # arrays would lose their alignment.
        super()._assemble_segment()
        if self._arrays_file:
            handle = self.storage.create_file(self.newsegment.make_filename(EXTENSION))
            handle.write(self._arrays_file)
            handle.close()
            self._arrays_file = b""


# Terms with fewer postings than this in a segment keep them in the term's own entry
# (Whoosh's "inlined" postings) instead of a block in the postings file: most bigrams of a
# segment occur in a few documents, and a block costs a header, a pickle and bookkeeping.
INLINE_POSTINGS = 8

# Postings a block holds (Whoosh's default is 128). Only Whoosh's own matchers read blocks
# (numpy reads the posting arrays), and they decode a block whole either way; a bigger block
# pays its header, info pickle and zlib set-up once for more postings and compresses better:
# on 2,000 benchmark articles the index is 10% smaller and the writer 5-8% faster.
POSTINGS_PER_BLOCK = 512


MERGE_DOCS = 2000


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: fold the smallest segments, up to MERGE_DOCS articles in all, into
    the new one (a merge holds its postings in memory, so it stays bounded however many
    small segments a bulk load of 100k articles left).

    Only segments with their own posting-arrays file are merged: positions are read from
    there. A segment inside a run stays (Whoosh would delete the run with the run's first
    segment, and with it the positions of every segment the run covers).
    """
    chosen: list[Any] = []
    total = 0
    folder = writer.storage.folder
    own = [s for s in segments if os.path.exists(os.path.join(folder, s.make_filename(EXTENSION)))]
    for segment in sorted(own, key=lambda s: s.doc_count_all()):
        size = segment.doc_count_all()
        if size >= MERGE_DOCS or total + size > MERGE_DOCS:
            break
        chosen.append(segment)
        total += size
    if len(chosen) < 2:
        return segments
    for segment in sorted(chosen, key=segments.index):  # keep the documents' order
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in chosen]


def _field_lengths(reader: Any, fieldname: str) -> list[int]:
    """Each doc's field length as the codec reads it back (quantised to a byte; 0 = none)."""
    if reader is None:
        return []
    column = reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return []
    table = [0] + [byte_to_length(b) for b in range(1, 256)]
    return [table[b] for b in column]


# Blocks with fewer postings are written uncompressed (each block records its own level): a
# lone posting's pickle has nothing to compress. From two postings on, doc deltas and weights
# repeat enough that zlib pays for itself.
COMPRESS_MIN_POSTINGS = 2


_COMPRESSION = 3  # Whoosh's default level for postings blocks
