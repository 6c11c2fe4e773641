"""A field's posting blocks and term entries in Whoosh's W3 format, written in one loop a field.

Whoosh's writer runs a dozen Python method calls a term and a block (a TermInfo object, its
statistics block by block, tell() on the postings file, the hash file's bookkeeping); with
some 70,000 distinct terms in a 1,000-article segment that was most of the writer's time.
This writes the same bytes from a field's grouped postings (doc numbers and weights: the
schema's formats store no values): each block's pickles as Whoosh makes them, the postings
file's bytes joined and written once a field, and each term's entry filed in the terms hash
file with the offsets computed here. tests/test_term_writer.py checks the files against
Whoosh's own postings writer byte for byte.
"""

from __future__ import annotations

import zlib
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from hashlib import md5
from itertools import chain
from operator import sub
from pickle import dumps
from struct import Struct
from typing import Any

from whoosh.codec import whoosh3
from whoosh.filedb.filetables import _lengths
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte

from bulletin.index.whoosh.posting_columns import GroupedPostings

_TERM_INFO: Struct = (
    whoosh3.W3TermInfo._struct
)  # flags, weight, doc freq, min/max length, max weight, min/max id


@dataclass
class _Field:
    """What writing one field's terms needs, and the postings bytes gathered so far."""

    limit: int  # postings a block
    inline_limit: int  # fewer postings than this go into the term's entry
    lengths: list[int]  # each document's field length (empty: none recorded)
    compress_min: int
    level: int
    at: int  # the postings file's offset after the parts gathered
    parts: list[bytes] = field(default_factory=list)

    def add(self, *parts: bytes) -> None:
        """Gather bytes for the postings file."""
        self.parts += parts
        self.at += sum(map(len, parts))


def write_field(
    fieldwriter: Any, grouped: GroupedPostings, lengths: list[int], *, compress_min: int, level: int
) -> None:
    """Write every term of a started field (W3FieldWriter.start_field was called) as its
    start_term/add/finish_term would, blocks of `compress_min` postings or more compressed."""
    postwriter, tindex = fieldwriter._postwriter, fieldwriter._tindex
    if tindex.hashtype != 0:
        raise ValueError("the terms file must use Whoosh's MD5 hash")
    if fieldwriter._format.fixed_value_size() != 0:
        raise ValueError("postings with values are not written here (every field's format has none)")
    postfile, termfile = fieldwriter._postfile, tindex.dbfile
    out = _Field(
        postwriter._blocklimit,
        postwriter._inlinelimit,
        lengths,
        compress_min,
        level,
        postfile.tell(),
    )
    prefix = pack_ushort(fieldwriter._fieldid)
    index_append, buckets = tindex.index.append, tindex.buckets
    entries: list[bytes] = []
    entry_at = termfile.tell()
    key = tindex.lastkey
    for btext, docs, weights in _terms_in_lists(grouped):
        info = _term(out, docs, weights)
        # OrderedHashWriter.add: the entry's position in the order index and in its hash bucket.
        key = prefix + btext
        index_append(entry_at)
        hashed = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")  # Whoosh's md5_hash
        buckets[hashed & 255].append((hashed, entry_at))
        entries.append(_lengths.pack(len(key), len(info)) + key + info)
        entry_at += len(entries[-1])
    postfile.write(b"".join(out.parts))
    termfile.write(b"".join(entries))
    tindex.lastkey = key


# Postings turned into Python lists at a time: a whole field's would be ~60 bytes a posting at
# once, and one term's at a time pays numpy's slicing and conversion for each of ~70,000 terms.
LIST_POSTINGS = 1 << 16


def _terms_in_lists(grouped: GroupedPostings) -> Iterator[tuple[bytes, list[int], list[float]]]:
    """Each term with its doc numbers and weights as lists, converted a batch at a time."""
    ends = grouped.ends.tolist()
    term = 0
    while term < len(ends):
        first = ends[term - 1] if term else 0
        # The batch: terms up to LIST_POSTINGS postings on (at least one term).
        last_term = max(term + 1, bisect_right(ends, first + LIST_POSTINGS, lo=term))
        stop = ends[last_term - 1]
        docs = grouped.docs[first:stop].tolist()
        weights = grouped.weights[first:stop].tolist()
        at = 0
        for k in range(term, last_term):
            end = ends[k] - first
            yield grouped.terms[k], docs[at:end], weights[at:end]
            at = end
        term = last_term


def _term(out: _Field, docs: list[int], weights: list[float]) -> bytes:
    """A term's W3TermInfo bytes, its blocks gathered in `out` (none when it is inlined)."""
    count = len(docs)
    inlined = count < out.inline_limit
    weight = 0.0
    min_length: int | None = None
    max_length = 0
    max_weight: float = 0
    first_offset = out.at
    if not inlined:
        out.add(whoosh3.WHOOSH3_HEADER_MAGIC)
    for first in range(0, count, out.limit):
        end = min(first + out.limit, count)
        block_docs, block_weights = docs[first:end], weights[first:end]
        found = list(filter(None, map(out.lengths.__getitem__, block_docs))) if out.lengths else []
        low = min(found) if found else None
        high = max(found) if found else 0
        top = max(0, max(block_weights))
        # W3TermInfo.add_block, in its order (a block without lengths after one with them
        # fails there as here).
        weight += sum(block_weights)
        min_length = low if min_length is None else min(min_length, low)  # type: ignore[type-var]
        max_length, max_weight = max(max_length, high), max(max_weight, top)
        if inlined:
            break
        level = out.level if end - first >= out.compress_min else 0
        # Values: None, as Whoosh writes them for a format of fixed size 0 (every field's).
        data = dumps((_deltas(block_docs), _mini_weights(block_weights), None), 2)
        if level:
            data = zlib.compress(data, level)
        info = dumps((end - first, block_docs[-1], top, level, length_to_byte(low), length_to_byte(high)), 2)
        size = len(info) + len(data)
        out.add(pack_int(-size if end == count else size), info, data)
    lows = 0 if min_length is None else length_to_byte(min_length)
    stats = _TERM_INFO.pack(
        inlined, weight, count, lows, length_to_byte(max_length), max_weight, docs[0], docs[-1]
    )
    if inlined:
        return stats + dumps((tuple(docs), tuple(weights), ()), 2)  # no values, as Whoosh inlines them
    extent: bytes = pack_long(first_offset) + pack_int(out.at - first_offset)
    return stats + extent


def _deltas(ids: list[int]) -> tuple[int, ...]:
    """Whoosh's delta_encode of a block's ids: each id minus the one before."""
    return tuple(map(sub, ids, chain((0,), ids)))


def _mini_weights(weights: list[float]) -> tuple[float, ...] | float | None:
    """W3PostingsWriter._mini_weights: None when all are 1, one float when all are equal."""
    if weights.count(1.0) == len(weights):
        return None
    if weights.count(weights[0]) == len(weights):
        return float(weights[0])
    return tuple(weights)
