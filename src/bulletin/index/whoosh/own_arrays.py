"""A segment's own posting-arrays file written again: postings from its Whoosh blocks,
positions from the run that held them.

Once a run covers a segment, the segment's own arrays file is removed (a run must not be a
second full copy of them). Should that run stop fitting (the segments it lists are no longer
the live ones, in order), the segments still live would be read from Whoosh's blocks,
slowly and without positions, and never join a run again: this gives them their file back
while the run is still on disk. It costs Python per posting (about as much as reading them
for a search), but only once a segment.
"""

from __future__ import annotations

import os
from array import array
from typing import Any

import numpy as np

from bulletin.index.schema import POSITION_FIELDS
from bulletin.index.whoosh import posting_arrays
from bulletin.index.whoosh.array_runs import PARTIAL, RUN_EXTENSION
from bulletin.index.whoosh.documents import ARRAY_FIELDS
from bulletin.index.whoosh.posting_arrays import SegmentArrays
from bulletin.index.whoosh.posting_columns import GroupedPostings
from bulletin.index.whoosh.segment_positions import positions_in
from bulletin.index.whoosh.whoosh_files import block_weights as block_weights_of
from bulletin.index.whoosh.whoosh_files import term_blocks


def _field_postings(reader: Any, fieldname: str) -> GroupedPostings:
    """Every posting of a field in one segment, terms in byte order, read from Whoosh's blocks."""
    terms: list[bytes] = []
    ends: list[int] = []
    docs = array("I")
    weights = array("f")
    terms_reader = reader._terms
    for btext in reader.lexicon(fieldname):
        info = terms_reader.term_info(fieldname, btext)
        for block_ids, block_weights, _ in term_blocks(terms_reader._postfile, info, None):
            docs.extend(block_ids)
            weights.extend(block_weights_of(block_weights, len(block_ids)))
        terms.append(btext)
        ends.append(len(docs))
    return GroupedPostings(
        terms,
        np.array(ends, dtype=np.int64),
        np.frombuffer(docs, dtype=np.uint32),
        np.frombuffer(weights, dtype=np.float32),
    )


def _holding_run(folder: str, segment_id: str, documents: int) -> tuple[SegmentArrays, int] | None:
    """A run on disk that lists the segment, and the segment's first document in it."""
    for name in sorted(os.listdir(folder)):
        if not name.endswith(RUN_EXTENSION):
            continue
        run = posting_arrays.open_arrays(folder, name)
        if run is None:
            continue
        first = 0
        for listed_id, listed_documents in run.segments or []:
            if listed_id == segment_id and listed_documents == documents:
                return run, first
            first += int(listed_documents)
    return None


def _with_positions(folder: str, segment: Any, fields: dict[str, GroupedPostings]) -> bool:
    """Give the positional fields their positions from a run holding the segment; False
    when no run holds them all."""
    documents = int(segment.doc_count_all())
    held = _holding_run(folder, segment.segment_id(), documents)
    for name in POSITION_FIELDS & set(fields):
        grouped = fields[name]
        if not grouped.docs.size:
            continue  # nothing to position (a field no document of the segment has)
        if held is None or name not in held[0].fields:
            return False
        run, first = held
        found = positions_in(run.fields[name], first, first + documents, grouped.terms)
        if found is None or found[0].size != grouped.docs.size:
            return False
        grouped.counts, grouped.positions = found
    return True


def write_own_arrays(ix: Any, segment: Any) -> bool:
    """Write `segment`'s arrays file from its blocks and a run that held it; False when it
    cannot have one (no run on disk holds its positions: only a reindex brings them back)."""
    from whoosh.reading import SegmentReader

    schema = ix.schema
    reader = SegmentReader(ix.storage, schema, segment)
    try:
        fields = {name: _field_postings(reader, name) for name in sorted(ARRAY_FIELDS) if name in schema}
    finally:
        reader.close()
    if not _with_positions(ix.storage.folder, segment, fields):
        return False
    encoded = posting_arrays.encode_segment(fields, POSITION_FIELDS & set(fields))
    if not encoded:
        return False
    # Written aside, then renamed: a crash leaves no truncated file to be read as the segment's.
    final = os.path.join(ix.storage.folder, segment.make_filename(posting_arrays.EXTENSION))
    partial = final + PARTIAL
    with open(partial, "wb") as handle:
        handle.write(encoded)
    os.replace(partial, final)
    return True
