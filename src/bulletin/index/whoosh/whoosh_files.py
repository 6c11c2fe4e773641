"""Whoosh 3's postings blocks and per-document columns, read straight from their files.

Whoosh's own readers make several small file reads and Python calls per block or value; the
numpy engine reads whole slices instead (bulletin.index.whoosh.vector_arrays).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from io import BytesIO
from itertools import accumulate, repeat
from pickle import load, loads
from struct import Struct
from typing import Any, cast
from zlib import decompress

import numpy as np


def block_weights(weights: Any, count: int) -> Iterable[float]:
    """A block's posting weights one per posting: Whoosh stores None (all 1.0) or one float
    when every posting of the block weighs the same."""
    if weights is None:
        return repeat(1.0, count)
    if isinstance(weights, float):
        return repeat(weights, count)
    return cast(Iterable[float], weights)


def term_blocks(postfile: Any, info: Any, wanted: list[int] | None) -> Iterator[tuple[Any, Any, Any]]:
    """(ids, weights, values) of each block of a term's postings, ids decoded; with `wanted`
    (sorted doc numbers), only the blocks whose id range holds one of them.

    Reads Whoosh 3's block layout (W3PostingsWriter) from one slice of the postings file:
    a signed int length (negative for the last block), a pickled info tuple whose second
    item is the block's last id, then the pickled (compressed if info[3]) data tuple.
    W3LeafMatcher reads the same with several small file reads a block.
    """
    if info.is_inlined():
        ids, weights, values = info.inlined_postings()
        yield list(ids), weights, list(values or ())
        return
    offset, length = info.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes keeps struct.unpack's tuple
        length = length[0]
    buffer = BytesIO(postfile.get(offset, length))
    buffer.seek(_HEADER_SIZE)
    lowest = 0
    while True:
        (size,) = _BLOCK_LENGTH.unpack(buffer.read(_BLOCK_LENGTH.size))
        start = buffer.tell()
        block = load(buffer)  # (count, last id, max weight, compression, min length, max length)
        top = block[1]
        end = start + abs(size)
        if wanted is None or _any_between(wanted, lowest, top):
            data = buffer.getbuffer()[buffer.tell() : end]
            deltas, weights, values = loads(decompress(data) if block[3] else data)
            yield list(accumulate(deltas)), weights, values
        if size < 0:
            return
        lowest = top + 1
        buffer.seek(end)


_HEADER_SIZE = 4  # WHOOSH3_HEADER_MAGIC
_BLOCK_LENGTH = Struct("!i")


def _any_between(ordered: list[int], lo: int, hi: int) -> bool:
    at = bisect_left(ordered, lo)
    return at < len(ordered) and ordered[at] <= hi


def value_codes(values: np.ndarray) -> np.ndarray:
    """One int per byte string, equal for equal strings.

    Sorting 100k strings costs ~50 ms a process; ids of up to 16 bytes are first folded to
    one 64-bit number each and those are sorted (~8 ms). A fold is checked, not trusted: if
    two different strings share one, the strings themselves are sorted.
    """
    if values.dtype.itemsize <= 16 and values.size:
        halves = values.astype("S16").view("<u8").reshape(-1, 2)
        folded = halves[:, 0] ^ (halves[:, 1] * np.uint64(0x9E3779B97F4A7C15))
        _, first, inverse = np.unique(folded, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        if (values[first[inverse]] == values).all():
            folded_codes: np.ndarray = inverse.astype(np.int64)
            return folded_codes
    codes: np.ndarray = np.unique(values, return_inverse=True)[1].astype(np.int64).reshape(-1)
    return codes


def raw_column(leaf: Any, name: str) -> Any:
    """A segment's column reader without Whoosh's translating wrapper (None if never written)."""
    if not leaf._perdoc.has_column(name):
        return None
    return leaf._perdoc.column_reader(name, leaf.schema[name].column_type)


def bytes_column(column: Any, count: int) -> np.ndarray:
    """A Whoosh VarBytesColumn of `count` documents as an array of byte strings."""
    if column is None:
        return np.zeros(count, dtype="S1")
    lengths = np.asarray(column._lengths)
    offsets = np.asarray(column._offsets)
    width = int(lengths[0]) if lengths.size else 0
    if lengths.size == count and width and (lengths == width).all() and offsets[-1] == (count - 1) * width:
        return np.frombuffer(column._dbfile.get(column._basepos, count * width), dtype=f"S{width}")
    return np.array([column[docnum] for docnum in range(count)], dtype=bytes)


def fixed_column_array(column: Any, count: int, dtype: str) -> np.ndarray:
    """A fixed-width Whoosh column as an array of `count` values (unwritten tail = 0)."""
    out = np.zeros(count, dtype=np.dtype(dtype).newbyteorder("=") if dtype != "u1" else np.uint8)
    if column is None or count == 0:
        return out
    width = np.dtype(dtype).itemsize
    written = min(getattr(column, "_count", count), count)
    if written:
        raw = column._dbfile.get(column._basepos, written * width)
        out[:written] = np.frombuffer(raw, dtype=dtype)
    default = getattr(column, "_default", 0)
    if default and written < count:
        out[written:] = default
    return out
