"""A bulk segment writer: the same on-disk format as Whoosh's, written a term at a time.

Whoosh's SegmentWriter costs ~15 µs of pure Python per posting: a pool entry, a global sort,
a per-posting length lookup and add_posting() call at commit. With CJK bigrams an article has
~2,000 postings, so that was ~30 ms an article. BulkSegmentWriter keeps the same on-disk
format but inverts into compact per-term arrays and writes each term's blocks in one step,
and writes the segment's posting arrays beside it (bulletin.index.whoosh.posting_arrays).
Imported only when writing (whoosh.writing loads lazily).
"""

from __future__ import annotations

from array import array
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from itertools import repeat
from operator import attrgetter
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, _lenfield
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from bulletin.index.analyzers import FieldPostings
from bulletin.index.protocol import PreparedDoc
from bulletin.index.whoosh import posting_arrays
from bulletin.index.whoosh.documents import ARRAY_FIELDS, whoosh_fields
from bulletin.index.whoosh.posting_arrays import EXTENSION


class _TermPostings:
    """One term's postings in a segment: doc numbers, weights and encoded values."""

    __slots__ = ("docs", "values", "weights")

    def __init__(self) -> None:
        self.docs = array("I")
        self.weights = array("f")
        self.values: list[bytes] = []  # empty when the field's format stores no values


_DOCS = attrgetter("docs")
_WEIGHTS = attrgetter("weights")
_VALUES = attrgetter("values")
# Runs an iterator of calls to the end, at C speed.
_exhaust: Callable[[Iterable[Any]], None] = deque(maxlen=0).extend


def _file_postings(table: defaultdict[bytes, _TermPostings], docnum: int, rows: FieldPostings) -> int:
    """Add one document's posting rows to a field's term table; returns the field length.

    ~4,000 postings an article pass through here: each column is filed by map() over C
    methods rather than a Python loop, several times faster.
    """
    if not rows.values:
        return rows.length
    entries = list(map(table.__getitem__, rows.terms.split(b"\n")))
    _exhaust(map(array.append, map(_DOCS, entries), repeat(docnum, len(entries))))
    _exhaust(map(array.append, map(_WEIGHTS, entries), rows.weights))
    _exhaust(map(list.append, map(_VALUES, entries), rows.values))
    return rows.length


class _TermPool:
    """Stands in for Whoosh's PostingPool: postings grouped by field and term, in memory.

    Memory is bounded by the caller: a bulk writer holds one chunk of articles.
    """

    def __init__(self) -> None:
        self.fields: dict[str, defaultdict[bytes, _TermPostings]] = {}
        self.fieldnames: set[str] = set()

    def terms(self, fieldname: str) -> defaultdict[bytes, _TermPostings]:
        """The term table of one field (created on first use)."""
        table = self.fields.get(fieldname)
        if table is None:
            table = self.fields[fieldname] = defaultdict(_TermPostings)
            self.fieldnames.add(fieldname)
        return table

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Whoosh's pool interface (used by add_document and merges)."""
        fieldname, btext, docnum, weight, vbytes = item
        entry = self.terms(fieldname)[btext]
        entry.docs.append(docnum)
        entry.weights.append(weight)
        if vbytes:
            entry.values.append(vbytes)

    def save(self) -> None:
        """Nothing to spill: everything stays in memory."""

    def cleanup(self) -> None:
        """Drop the postings."""
        self.fields.clear()


class BulkSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """A SegmentWriter that takes pre-analysed documents and writes postings a term at a time."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, codec=W3Codec(inlinelimit=INLINE_POSTINGS), **kwargs)
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
                    length = _file_postings(pool.terms(fieldname), docnum, prepared.fields[fieldname])
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

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths_reader = self.per_document_reader() if self.codec.length_stats else None
        writer = self.fieldwriter
        terms = {
            name: [(btext, table[btext]) for btext in sorted(table)]
            for name, table in sorted(self.pool.fields.items())
            if table
        }
        for fieldname, entries in terms.items():
            writer.start_field(fieldname, self.schema[fieldname])
            lengths = _field_lengths(lengths_reader, fieldname)
            for btext, entry in entries:
                _write_term(writer, btext, entry, lengths)
            writer.finish_field()
        writer.close()
        if lengths_reader is not None:
            lengths_reader.close()
        self._arrays_file = self._posting_arrays(terms)

    def _posting_arrays(self, terms: dict[str, list[tuple[bytes, _TermPostings]]]) -> bytes:
        """The segment's postings as flat arrays too (see bulletin.index.whoosh.posting_arrays)."""
        fields = {name: entries for name, entries in terms.items() if name in ARRAY_FIELDS}
        with_positions = {name for name in fields if self.schema[name].format.supports("positions")}
        return posting_arrays.encode_segment(fields, with_positions)

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


MERGE_DOCS = 2000


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: fold the smallest segments, up to MERGE_DOCS articles in all, into
    the new one (a merge holds its postings in memory, so it stays bounded however many
    small segments a bulk load of 100k articles left)."""
    chosen: list[Any] = []
    total = 0
    for segment in sorted(segments, key=lambda s: s.doc_count_all()):
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


# Blocks with fewer postings are written uncompressed (each block records its own level):
# zlib's set-up dominates on a few dozen bytes, saving little space and costing a tenth of
# an import, and reading them back skips a decompression.
COMPRESS_MIN_POSTINGS = 16


def _write_term(writer: Any, btext: bytes, entry: _TermPostings, lengths: list[int]) -> None:
    """Write one term's postings in blocks, as W3FieldWriter.add() would one by one."""
    writer.start_term(btext)
    postings = writer._postwriter
    limit = postings._blocklimit
    docs, weights, values = entry.docs, entry.weights, entry.values
    total = len(docs)
    has_values = len(values) == total
    length_of = lengths.__getitem__
    for start in range(0, total, limit):
        end = start + limit
        block_docs = docs[start:end]
        postings._ids = block_docs
        postings._weights = weights[start:end]
        # A format without values (the id field) still needs one empty value a posting when the
        # postings are inlined: Whoosh's merge reads them back and requires bytes.
        postings._values = values[start:end] if has_values else [b""] * len(block_docs)
        found = list(filter(None, map(length_of, block_docs))) if lengths else []
        postings._minlength = min(found) if found else None
        postings._maxlength = max(found) if found else 0
        postings._maxweight = max(0, max(postings._weights))
        postings._compression = _COMPRESSION if len(block_docs) >= COMPRESS_MIN_POSTINGS else 0
        if end < total:
            postings._write_block()
    writer.finish_term()


_COMPRESSION = 3  # Whoosh's default level for postings blocks
