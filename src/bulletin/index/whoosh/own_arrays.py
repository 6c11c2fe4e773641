"""A segment's own posting-arrays file written again from its Whoosh blocks.

Once a run covers a segment, the segment's own arrays file is removed (a run must not be a
second full copy of them). When that run stops fitting (a merge replaced some of the
segments it covers), the segments still live would be read from Whoosh's blocks, slowly,
and never join a run again: this gives them their file back. It costs Python per posting
(about as much as reading them for a search), but only after a merge, once a segment.
"""

from __future__ import annotations

import os
from array import array
from typing import Any

import numpy as np

from bulletin.index.whoosh import posting_arrays
from bulletin.index.whoosh.array_runs import PARTIAL
from bulletin.index.whoosh.documents import ARRAY_FIELDS
from bulletin.index.whoosh.posting_columns import GroupedPostings, PostingValues
from bulletin.index.whoosh.whoosh_files import block_weights as block_weights_of
from bulletin.index.whoosh.whoosh_files import term_blocks


def _field_postings(reader: Any, fieldname: str) -> GroupedPostings:
    """Every posting of a field in one segment, terms in byte order, read from Whoosh's blocks."""
    terms: list[bytes] = []
    ends: list[int] = []
    docs = array("I")
    weights = array("f")
    values: list[bytes] = []
    terms_reader = reader._terms
    for btext in reader.lexicon(fieldname):
        info = terms_reader.term_info(fieldname, btext)
        for block_ids, block_weights, block_values in term_blocks(terms_reader._postfile, info, None):
            docs.extend(block_ids)
            weights.extend(block_weights_of(block_weights, len(block_ids)))
            if isinstance(block_values, (list, tuple)):
                values.extend(block_values)
        terms.append(btext)
        ends.append(len(docs))
    return GroupedPostings(
        terms,
        np.array(ends, dtype=np.int64),
        np.frombuffer(docs, dtype=np.uint32),
        np.frombuffer(weights, dtype=np.float32),
        PostingValues.of(values),
    )


def write_own_arrays(ix: Any, segment: Any) -> bool:
    """Write `segment`'s arrays file from its blocks; False when it cannot have one."""
    from whoosh.reading import SegmentReader

    schema = ix.schema
    reader = SegmentReader(ix.storage, schema, segment)
    try:
        fields = {name: _field_postings(reader, name) for name in sorted(ARRAY_FIELDS) if name in schema}
        with_positions = {name for name in fields if schema[name].format.supports("positions")}
        encoded = posting_arrays.encode_segment(fields, with_positions)
    finally:
        reader.close()
    if not encoded:
        return False
    # Written aside, then renamed: a crash leaves no truncated file to be read as the segment's.
    final = os.path.join(ix.storage.folder, segment.make_filename(posting_arrays.EXTENSION))
    partial = final + PARTIAL
    with open(partial, "wb") as handle:
        handle.write(encoded)
    os.replace(partial, final)
    return True
