"""One segment's positions read back from posting arrays, in the order Whoosh lists its postings.

Positions live only in the posting arrays (bulletin.index.whoosh.posting_arrays). When
Whoosh merges segments, or a segment's own arrays file is written again from the run that
held it, the new file's positions must come from the old arrays, in the order the postings
are filed there: terms in byte order (a Whoosh lexicon), each term's documents ascending.
The arrays keep terms in hash order, and a run holds other segments' documents too.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from bulletin.index.whoosh.posting_arrays import (
    EXTENSION,
    FieldArrays,
    SegmentArrays,
    open_arrays,
    segment_folder,
    spans,
    term_hash,
)

_CHUNK_POSTINGS = 1 << 22  # postings gathered at a time (bounds the memory a large run needs)


def positions_in(
    arrays: FieldArrays, first: int, stop: int, btexts: Sequence[bytes], live: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """(counts, positions) of the postings of documents [first, stop) of `arrays` (a segment
    inside them), for the terms `btexts` in that order, each term's documents ascending.

    `live` (a boolean per document of the segment) leaves out the postings of the others.
    None when the arrays have no positions or lack one of the terms.
    """
    if arrays.counts is None or arrays.positions is None or arrays.pos_starts is None:
        return None
    hashes = np.fromiter(map(term_hash, btexts), dtype="<u8", count=len(btexts))
    rows = np.minimum(arrays.hashes.searchsorted(hashes), max(arrays.hashes.size - 1, 0))
    if hashes.size and (not arrays.hashes.size or not np.array_equal(arrays.hashes[rows], hashes)):
        return None
    starts = arrays.starts[rows].astype(np.int64)
    lengths = arrays.ends[rows].astype(np.int64) - starts
    pos_starts = arrays.pos_starts[rows].astype(np.int64)
    counts_out: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    positions_out: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    cumulative = np.cumsum(lengths)
    at = 0
    while at < lengths.size:  # terms in chunks of about _CHUNK_POSTINGS postings
        done = int(cumulative[at] - lengths[at])
        end = max(int(np.searchsorted(cumulative, done + _CHUNK_POSTINGS, side="right")), at + 1)
        postings = spans(starts[at:end], lengths[at:end])
        ids = arrays.posting_ids(
            postings, np.repeat(rows[at:end], lengths[at:end]), np.repeat(starts[at:end], lengths[at:end])
        )
        counts = arrays.counts[postings].astype(np.int64)
        offsets = np.cumsum(lengths[at:end]) - lengths[at:end]
        per_term = np.add.reduceat(counts, offsets) if counts.size else offsets
        positions = arrays.positions[spans(pos_starts[at:end], per_term)]
        inside = (ids >= first) & (ids < stop)
        if live is not None:
            inside[inside] = live[ids[inside] - first]
        counts_out.append(counts[inside])
        positions_out.append(positions[np.repeat(inside, counts)].astype(np.int64))
        at = end
    return np.concatenate(counts_out), np.concatenate(positions_out)


def live_documents(reader: Any) -> np.ndarray | None:
    """A boolean per document of a Whoosh segment reader, False where deleted (None: none is)."""
    if not reader.has_deletions():
        return None
    live = np.ones(reader.doc_count_all(), dtype=bool)
    live[sorted(reader.deleted_docs_set)] = False
    return live


def own_arrays(reader: Any) -> SegmentArrays | None:
    """A segment reader's own posting-arrays file (None when it has none, e.g. inside a run)."""
    folder = segment_folder(reader)
    name = reader._segment.make_filename(EXTENSION)
    if folder is None or not os.path.exists(os.path.join(folder, name)):
        return None
    return open_arrays(folder, name)
