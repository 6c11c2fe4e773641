"""Each segment's postings again as flat arrays, for the numpy engine to slice instead of decode.

Whoosh stores a term's postings as pickled blocks: reading them back costs about a
microsecond a posting in Python, and finding a term costs a hash-file probe per segment.
A bulk-written segment therefore also gets one file ("<segment id>.bpa", beside the
segment's compound file: Whoosh deletes it with the segment, as it matches the segment's
name) holding, per field, every posting as columns:

- `hashes`: the 64-bit BLAKE2b hash of each term, sorted (found with one binary search);
- `starts`, `ends`: each term's slice of the posting columns; `pos_starts`, of `positions`;
- `ids` (segment doc numbers), `weights`, and for fields with positions, `counts` (positions
  per posting) and `positions` (every posting's positions, in posting order). Integers take
  the narrowest unsigned type that holds them, and a positional field whose weights are its
  boost times the counts (always, for bulletin's fields) keeps only the boost.

The arrays are little-endian and 8-byte aligned, read in place from a memory map of the
file. (Inside the compound file they would sit at whatever offset the files before them
leave, and numpy copies a misaligned array whole on every search of it.)

Whoosh's blocks hold each posting's doc number and weight; the positions are here alone
(bulletin.index.analyzers.CountedTerms), so these files are the record of them: a segment
without its arrays can be searched for words but not for phrases, and `bulletin check`
says to reindex.
"""

from __future__ import annotations

import json
import mmap
import os
from collections.abc import Mapping, Set
from contextlib import suppress
from dataclasses import dataclass
from hashlib import blake2b
from struct import Struct
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from bulletin.index.whoosh.posting_columns import GroupedPostings

EXTENSION = ".bpa"
_MAGIC = b"BPA1"
_HEADER_LENGTH = Struct("<I")
_ALIGN = 8
# Doc numbers are stored in two bytes each; a run covering more documents than that holds
# keeps their low PAGE_BITS bits and, per term, how many of its postings lie below each
# multiple of 2**PAGE_BITS ("id_splits"): at 100,000 articles, 4 bytes a term instead of 2
# a posting.
PAGE_BITS = 16


def term_hash(btext: bytes) -> int:
    """The 64-bit key a term is filed under (stable across processes and versions)."""
    return int.from_bytes(blake2b(btext, digest_size=8).digest(), "little")


def encode_segment(fields: Mapping[str, GroupedPostings], with_positions: Set[str]) -> bytes:
    """The arrays file of one segment: `fields` maps a field name to its grouped postings.

    Returns b"" when two terms of a field share a hash (so improbable it never happens in
    practice), or when a field in `with_positions` came without them (only Whoosh's own
    indexing files postings so); the segment is then read from Whoosh's blocks, without
    positions.
    """
    arrays: dict[str, np.ndarray] = {}
    header: dict[str, Any] = {}
    for fieldname, grouped in fields.items():
        if not grouped.terms:
            continue
        hashes = np.fromiter(map(term_hash, grouped.terms), dtype="<u8", count=len(grouped.terms))
        order = np.argsort(hashes, kind="stable")
        sorted_hashes = hashes[order]
        if sorted_hashes.size > 1 and (sorted_hashes[1:] == sorted_hashes[:-1]).any():
            return b""
        ends = grouped.ends.astype(np.int64)
        starts = grouped.starts.astype(np.int64)
        prefix = f"{fieldname}/"
        arrays[prefix + "hashes"] = sorted_hashes
        arrays[prefix + "starts"] = starts[order].astype("<u8")
        arrays[prefix + "ends"] = ends[order].astype("<u8")
        arrays[prefix + "ids"] = _narrowest(grouped.docs)
        weights = grouped.weights
        meta: dict[str, Any] = {"terms": len(grouped.terms), "positions": fieldname in with_positions}
        if fieldname in with_positions:
            if grouped.counts is None or grouped.positions is None:
                return b""
            counts, positions = grouped.counts.astype(np.int64), grouped.positions
            arrays[prefix + "counts"] = _narrowest(counts)
            arrays[prefix + "positions"] = _narrowest(positions)
            per_term = np.add.reduceat(counts, starts) if counts.size else starts
            pos_ends = np.cumsum(per_term)
            arrays[prefix + "pos_starts"] = (pos_ends - per_term)[order].astype("<u8")
            # A weight is the field's boost times the count of positions: keep just the boost.
            boost = float(weights[0] / counts[0]) if counts.size else 1.0
            if np.array_equal(weights, boosted(counts, boost)):
                meta["boost"] = boost
        if "boost" not in meta:
            whole = weights.astype(np.int64)
            arrays[prefix + "weights"] = _narrowest(whole) if np.array_equal(whole, weights) else weights
        header[fieldname] = meta
    return _pack(header, arrays)


def boosted(counts: np.ndarray, boost: float) -> np.ndarray:
    """The weights of postings in a field whose weight is its boost times the count of
    positions, rounded to float32 as Whoosh and the writer store them."""
    weights: np.ndarray = (counts * boost).astype(np.float32)
    return weights


def _narrowest(values: np.ndarray) -> np.ndarray:
    """Non-negative integers in the smallest unsigned little-endian type that holds them all:
    segment doc numbers and positions fit two bytes almost always, counts one."""
    top = int(values.max()) if values.size else 0
    dtype = "<u1" if top < 1 << 8 else "<u2" if top < 1 << 16 else "<u4"
    return values.astype(dtype)


def _pack(header: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    """Magic, header length, JSON header (fields and array offsets), then 8-byte-aligned arrays."""
    head, _, _ = file_layout(header, {name: (a.dtype.str, a.size) for name, a in arrays.items()})
    parts = [head]
    for values in arrays.values():
        raw = values.tobytes()
        parts.append(raw)
        parts.append(b"\0" * (-len(raw) % _ALIGN))
    return b"".join(parts)


def file_layout(
    fields: dict[str, Any], shapes: dict[str, tuple[str, int]], **extra: Any
) -> tuple[bytes, dict[str, int], int]:
    """(the file's head, each array's offset in the file, the file's size) of an arrays file
    holding arrays of the given (dtype, length), in that order. `extra` goes into the header."""
    layout: dict[str, list[Any]] = {}
    offset = 0
    for name, (dtype, count) in shapes.items():
        layout[name] = [offset, dtype, int(count)]
        offset += -(-np.dtype(dtype).itemsize * int(count) // _ALIGN) * _ALIGN
    encoded = json.dumps({"fields": fields, "arrays": layout, **extra}).encode("utf-8")
    head_size = len(_MAGIC) + _HEADER_LENGTH.size + len(encoded)
    padding = -head_size % _ALIGN
    head = b"".join([_MAGIC, _HEADER_LENGTH.pack(len(encoded) + padding), encoded, b" " * padding])
    return head, {name: len(head) + at for name, (at, _, _) in layout.items()}, len(head) + offset


@dataclass
class TermSlice:
    """One term's postings in one segment (views into the segment's arrays)."""

    ids: np.ndarray  # segment doc numbers
    weights: np.ndarray
    counts: np.ndarray | None  # positions per posting (None: the field has none)
    positions: np.ndarray | None  # every posting's positions, in order


class FieldArrays:
    """One field's arrays in one segment."""

    def __init__(self, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        self.hashes = arrays["hashes"]
        self.starts = arrays["starts"]
        self.ends = arrays["ends"]
        self.ids = arrays["ids"]
        self.weights = arrays.get("weights")
        self.boost: float | None = meta.get("boost")
        self.counts = arrays.get("counts") if meta["positions"] else None
        self.positions = arrays.get("positions")
        self.pos_starts = arrays.get("pos_starts")
        # A run of more than 65,536 documents keeps each id's low 16 bits, and for each term
        # where its postings cross each multiple of 65,536 (see PAGE_BITS).
        splits = arrays.get("id_splits")
        self.id_splits = None if splits is None else splits.reshape(self.hashes.size, -1)

    def term_ids(self, row: int, start: int, end: int) -> np.ndarray:
        """The doc numbers of the term at `row`, whose postings are [start, end)."""
        ids: np.ndarray = self.ids[start:end]
        if self.id_splits is None:
            return ids
        whole = ids.astype(np.int64)
        for split in self.id_splits[row].tolist():  # each page boundary the postings cross
            whole[split:] += 1 << PAGE_BITS
        return whole

    def posting_ids(self, postings: np.ndarray, rows: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Doc numbers (int64) of the postings at indexes `postings`, each of the term at the
        same place in `rows`, whose postings begin at the same place in `starts`."""
        ids: np.ndarray = self.ids[postings].astype(np.int64)
        if self.id_splits is not None:
            local = postings - starts
            crossed = (local[:, None] >= self.id_splits[rows].astype(np.int64)).sum(axis=1)
            ids += crossed << PAGE_BITS
        return ids

    def find(self, key: np.uint64) -> tuple[int, int, int] | None:
        """(row, first posting, end of postings) of the term hashed to `key` (see term_hash),
        or None if absent."""
        at = int(self.hashes.searchsorted(key))
        if at < self.hashes.size and self.hashes[at] == key:
            return at, self.starts.item(at), self.ends.item(at)
        return None

    def term(self, row: int) -> TermSlice:
        """The postings of the term at `row`."""
        start, end = int(self.starts[row]), int(self.ends[row])
        ids = self.term_ids(row, start, end)
        if self.counts is None:
            assert self.weights is not None
            return TermSlice(ids, self.weights[start:end], None, None)
        assert self.positions is not None and self.pos_starts is not None
        counts = self.counts[start:end]
        if self.boost is not None:
            weights = boosted(counts, self.boost)
        else:
            assert self.weights is not None
            weights = self.weights[start:end]
        first = int(self.pos_starts[row])
        return TermSlice(ids, weights, counts, self.positions[first : first + int(counts.sum())])


class SegmentArrays:
    """The posting arrays of one segment, read in place."""

    def __init__(self, buffer: Any) -> None:
        self._buffer = buffer
        view = memoryview(buffer)
        if bytes(view[: len(_MAGIC)]) != _MAGIC:
            raise ValueError("not a posting-arrays file")
        (length,) = _HEADER_LENGTH.unpack(view[len(_MAGIC) : len(_MAGIC) + _HEADER_LENGTH.size])
        start = len(_MAGIC) + _HEADER_LENGTH.size
        meta = json.loads(bytes(view[start : start + length]))
        body = start + length
        per_field: dict[str, dict[str, np.ndarray]] = {}
        for name, (offset, dtype, count) in meta["arrays"].items():
            fieldname, array_name = name.split("/")
            per_field.setdefault(fieldname, {})[array_name] = np.frombuffer(
                view, dtype=dtype, count=count, offset=body + offset
            )
        self.fields = {name: FieldArrays(meta["fields"][name], per_field[name]) for name in meta["fields"]}
        self.field_meta: dict[str, dict[str, Any]] = meta["fields"]
        # A run (bulletin.index.whoosh.array_runs): the segments it covers, as [segment id, documents].
        self.segments: list[list[Any]] | None = meta.get("segments")
        self.level: int = meta.get("level", 0)

    def release(self) -> None:
        """Drop the pages read so far from this process's memory (a mapped file keeps them in
        the page cache; the next read maps them again). Nothing happens for other buffers."""
        release_pages(self._buffer)

    def term(self, fieldname: str, key: int) -> TermSlice | None:
        """The postings of the term hashed to `key` (see term_hash), or None if absent."""
        found = self.fields.get(fieldname)
        located = None if found is None else found.find(np.uint64(key))
        return None if found is None or located is None else found.term(located[0])


def release_pages(buffer: Any) -> None:
    """madvise(MADV_DONTNEED) on a memory map, where the platform has it: its pages leave the
    process's resident set (a shared file mapping loses nothing; dirty pages must be flushed
    first). A compaction reads and writes gigabytes through maps at 100k articles, and every
    page it touched would otherwise count as the process's memory until the end."""
    advise = getattr(buffer, "madvise", None)
    dont_need = getattr(mmap, "MADV_DONTNEED", None)
    if advise is not None and dont_need is not None:
        with suppress(OSError, ValueError):
            advise(dont_need)


def segment_folder(leaf: Any) -> str | None:
    """The folder holding a Whoosh segment reader's files (None: not on disk)."""
    storage = leaf._storage
    folder: str | None = getattr(getattr(storage, "b", storage), "folder", None)  # compound: an overlay
    return folder


def open_arrays(folder: str, filename: str) -> SegmentArrays | None:
    """The arrays file `filename` in `folder`, memory-mapped; None when it is missing or
    unreadable (the engine then reads Whoosh's blocks)."""
    try:
        with open(os.path.join(folder, filename), "rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return SegmentArrays(mapped)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def open_segment_arrays(leaf: Any) -> SegmentArrays | None:
    """The posting arrays of a Whoosh segment reader, or None when it has none."""
    folder = segment_folder(leaf)
    return None if folder is None else open_arrays(folder, leaf._segment.make_filename(EXTENSION))


def spans(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Every index of the ranges [start, start + length), ranges in order (one array operation).

    Made as a running sum of steps (1 within a range, a jump to the next range's start at its
    first index) in one array: a chunk's positions are millions, and no other array of
    their size is made on the way."""
    lengths = lengths.astype(np.int64)
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    used = lengths > 0
    firsts, sizes = starts.astype(np.int64)[used], lengths[used]
    steps = np.ones(total, dtype=np.int64)
    heads = np.cumsum(sizes) - sizes  # where each range begins in the output
    steps[heads[1:]] = firsts[1:] - (firsts[:-1] + sizes[:-1] - 1)
    steps[0] = firsts[0]
    return np.cumsum(steps, out=steps)
