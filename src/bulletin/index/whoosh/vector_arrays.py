"""A searcher's segments as one array space: columns, lengths and every term's postings.

Each posting list is read whole (its ids, weights and, for phrases, positions): sliced from
the segments' posting arrays (bulletin.index.whoosh.posting_arrays, in runs where
bulletin.index.whoosh.array_runs merged them), or, for a segment without them (damage), its
words decoded from Whoosh's blocks, which hold no positions. The numpy engine
(bulletin.index.whoosh.vector) evaluates queries over these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from bulletin.index.protocol import IndexUnusable
from bulletin.index.whoosh import array_runs
from bulletin.index.whoosh.posting_arrays import (
    FieldArrays,
    SegmentArrays,
    boosted,
    segment_folder,
    term_hash,
)
from bulletin.index.whoosh.whoosh_files import block_weights as block_weights_of
from bulletin.index.whoosh.whoosh_files import (
    bytes_column,
    fixed_column_array,
    raw_column,
    term_blocks,
    value_codes,
)

# glibc's mallopt parameters (malloc.h): serve blocks below the threshold from the heap, and
# keep up to the trim threshold of freed heap instead of returning it to the kernel.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


def _reuse_freed_memory() -> None:
    """Let the arrays of one query reuse the memory the previous query's arrays freed.

    A query allocates and frees many arrays of 0.1–30 MB. By default glibc maps each from
    the kernel and unmaps it on free, so every one costs fresh page faults and zeroing:
    reading a common bigram's postings took 4.0 ms instead of 0.65 ms. Elsewhere (macOS,
    Windows, musl) there is no mallopt, or it does nothing, and nothing changes.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20)  # glibc's ceiling on 64-bit systems
        libc.mallopt(_M_TRIM_THRESHOLD, 256 << 20)
    except (ImportError, OSError, AttributeError, TypeError, ValueError):  # no C library to ask
        pass


_reuse_freed_memory()

_LENGTH_OF_BYTE = np.array([0] + [byte_to_length(b) for b in range(1, 256)], dtype=np.float64)


@dataclass
class Postings:
    """One term's postings over the whole index: global doc numbers (ascending), weights and,
    when asked for, each posting's positions (`counts` of them, all in `positions`)."""

    ids: np.ndarray
    weights: np.ndarray
    counts: np.ndarray | None
    positions: np.ndarray | None
    doc_frequency: int  # deleted documents included, as Whoosh's idf counts them


# (doc base, field arrays, row, first posting, end of postings) of a term in an arrays file.
_Row = tuple[int, FieldArrays, int, int, int]
# (ids, weights, counts, positions, doc frequency) of one term, before deleted documents go.
_Found = tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None, int]


class ArrayView:
    """A searcher's segments seen as one array space of `size` documents."""

    def __init__(
        self,
        reader: Any,
        default_fields: tuple[str, ...],
        chars_field: str,
        default_boosts: dict[str, float] | None = None,
    ) -> None:
        self.leaves: list[tuple[Any, int]] = list(reader.leaf_readers())
        self.size = int(reader.doc_count_all())
        self.default_fields = default_fields
        # Query-time boosts of default fields (a word without a field), as translate applies them.
        self.default_boosts = default_boosts or {}
        self.chars_field = chars_field
        self._lengths: dict[str, np.ndarray] = {}
        self._avg_length: dict[str, float] = {}
        self._columns: dict[str, np.ndarray] = {}
        self._array_files: list[tuple[int, SegmentArrays]] | None = None
        self._without_arrays: list[int] = []
        self._rows: dict[tuple[str, bytes], list[_Row]] = {}
        self._by_field: dict[str, list[tuple[int, FieldArrays]]] = {}
        self.live = np.ones(self.size, dtype=bool)
        for leaf, base in self.leaves:
            for docnum in leaf.deleted_docs_set if leaf.has_deletions() else ():
                self.live[base + docnum] = False

    # -- columns --------------------------------------------------------------------------

    def numeric_column(self, name: str) -> np.ndarray:
        """A Whoosh NumericColumn("I") of every document as one array (cached)."""
        found = self._columns.get(name)
        if found is None:
            found = self._columns[name] = self._fixed_width(lambda leaf: raw_column(leaf, name), ">u4")
        return found

    def group_keys(self, column_name: str) -> np.ndarray:
        """One int per document; equal ints mark near-duplicates (cached).

        Every document stores its group id (its own id when alone), so the column is read
        whole: one slice per segment when all values have one width (article ids do), else
        value by value.
        """
        found = self._columns.get(column_name)
        if found is None:
            parts = [bytes_column(raw_column(s, column_name), s.doc_count_all()) for s, _ in self.leaves]
            values = np.concatenate(parts) if parts else np.zeros(0, dtype="S1")
            found = value_codes(values)
            alone = np.flatnonzero(values == b"")  # no value: the document is its own group
            found[alone] = values.size + alone
            self._columns[column_name] = found
        return found

    def lengths(self, field: str) -> np.ndarray:
        """Each document's length in `field`, as Whoosh's scorer reads it (quantised; 1 if none)."""
        found = self._lengths.get(field)
        if found is None:
            name = _lenfield(field)
            quantised = self._fixed_width(lambda seg: seg._perdoc._cached_reader(name, LENGTHS_COLUMN), "u1")
            found = _LENGTH_OF_BYTE[quantised]
            found[found == 0] = 1.0  # Whoosh's doc_field_length(..., default=1)
            self._lengths[field] = found
        return found

    def _fixed_width(self, open_column: Callable[[Any], Any], dtype: str) -> np.ndarray:
        """One fixed-width column of every segment (opened by `open_column`) as one array."""
        parts = [
            fixed_column_array(open_column(leaf), leaf.doc_count_all(), dtype) for leaf, _ in self.leaves
        ]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

    def avg_length(self, field: str) -> float:
        """Whoosh's average field length: total length over all documents, deleted included."""
        found = self._avg_length.get(field)
        if found is None:
            total = sum(leaf.field_length(field) for leaf, _ in self.leaves)
            found = self._avg_length[field] = (total / self.size) if self.size else 1.0
        return found or 1.0

    # -- postings -------------------------------------------------------------------------

    def array_units(self) -> list[tuple[int, SegmentArrays]]:
        """(doc base, arrays) of each arrays file to read: runs of segments where they fit,
        else segments' own (bulletin.index.whoosh.array_runs); cached."""
        if self._array_files is None:
            folder = segment_folder(self.leaves[0][0]) if self.leaves else None
            units: list[array_runs.ArrayUnit] = []
            if folder is None:
                without = list(range(len(self.leaves)))
            else:
                infos = array_runs.segment_infos([leaf for leaf, _ in self.leaves])
                units, without = array_runs.array_units(folder, infos)
            self._array_files = [(self.leaves[unit.first][1], unit.arrays) for unit in units]
            self._without_arrays = without
        return self._array_files

    def _field_arrays(self, field: str) -> list[tuple[int, FieldArrays]]:
        """(doc base, arrays) of every arrays file with `field` (cached)."""
        found = self._by_field.get(field)
        if found is None:
            units = self.array_units()
            found = [(base, arrays.fields[field]) for base, arrays in units if field in arrays.fields]
            self._by_field[field] = found
        return found

    def _array_rows(self, field: str, btext: bytes) -> list[_Row]:
        """(doc base, the field's arrays, row, first and last posting) in each arrays file
        holding the term.

        One binary search per file, cached: a phrase asks for its tokens' frequencies and
        then their postings, and many files make this the costliest step of a small query.
        """
        found = self._rows.get((field, btext))
        if found is None:
            key = np.uint64(term_hash(btext))
            found = []
            for base, field_arrays in self._field_arrays(field):
                located = field_arrays.find(key)
                if located is not None:
                    found.append((base, field_arrays, *located))
            if len(self._rows) > 10_000:
                self._rows.clear()
            self._rows[field, btext] = found
        return found

    def _block_segments(self) -> list[int]:
        """Numbers of the segments without posting arrays."""
        self.array_units()
        return self._without_arrays

    def postings(
        self, field: str, btext: bytes, *, with_positions: bool, within: np.ndarray | None = None
    ) -> Postings:
        """The live postings of one term across the segments.

        Segments with posting arrays are sliced. Others are decoded from Whoosh's blocks,
        where `within` (sorted doc numbers) lets blocks holding none of them be skipped:
        their postings may then be left out.
        """
        if self._block_segments():
            found = self._mixed_postings(field, btext, with_positions, within)
        else:
            found = self._array_postings(field, btext, with_positions)
        if found is None:
            empty = np.zeros(0, dtype=np.int64)
            nothing = empty if with_positions else None
            return Postings(empty, np.zeros(0), nothing, nothing, 0)
        ids, weights, counts, positions, frequency = found
        live = self.live[ids]
        if not live.all():
            if with_positions:
                assert counts is not None and positions is not None
                positions = positions[np.repeat(live, counts)]
                counts = counts[live]
            ids, weights = ids[live], weights[live]
        return Postings(ids, weights, counts, positions, frequency)

    def _array_postings(self, field: str, btext: bytes, with_positions: bool) -> _Found | None:
        """A term's postings when every segment has posting arrays: a slice per segment,
        then one array operation for all of them (per-segment steps cost the most here)."""
        rows = self._array_rows(field, btext)
        if not rows:
            return None
        id_parts, sizes, bases, count_parts, weight_parts = [], [], [], [], []
        boosts = set()
        for base, arrays, row, start, end in rows:
            id_parts.append(arrays.term_ids(row, start, end))
            sizes.append(end - start)
            bases.append(base)
            if arrays.counts is not None:
                count_parts.append(arrays.counts[start:end])
            boosts.add(arrays.boost)
            if arrays.boost is None:
                assert arrays.weights is not None
                weight_parts.append(arrays.weights[start:end])
        # One arrays file holds most terms (runs): its slices are used as they are.
        ids = joined(id_parts).astype(np.int64)
        if len(bases) > 1:
            ids += np.repeat(bases, sizes)
        elif bases[0]:
            ids += bases[0]
        raw_counts = joined(count_parts) if count_parts else None
        counts = None if raw_counts is None else raw_counts.astype(np.int64)
        boost = next(iter(boosts))
        if len(boosts) == 1 and boost is not None:
            assert raw_counts is not None and counts is not None
            # Counts fit a byte almost always: look the weights up instead of computing them.
            byte_counts = raw_counts.dtype == np.uint8
            weights = boost_table(boost)[raw_counts] if byte_counts else posting_weights(counts, boost)
        elif len(boosts) == 1:
            weights = joined(weight_parts).astype(np.float64)
        else:  # segments written differently: one at a time
            weights = np.concatenate([arrays.term(row).weights for _, arrays, row, _, _ in rows]).astype(
                np.float64
            )
        positions = None
        if with_positions:
            assert counts is not None
            size_array = np.asarray(sizes, dtype=np.int64)
            offsets = np.cumsum(size_array) - size_array
            totals = np.add.reduceat(counts, offsets).tolist()
            pos_parts = []
            for (_, arrays, row, _, _), total in zip(rows, totals, strict=True):
                assert arrays.positions is not None and arrays.pos_starts is not None
                first = arrays.pos_starts.item(row)
                pos_parts.append(arrays.positions[first : first + total])
            positions = joined(pos_parts)
        return ids, weights, counts if with_positions else None, positions, ids.size

    def _mixed_postings(
        self, field: str, btext: bytes, with_positions: bool, within: np.ndarray | None
    ) -> _Found | None:
        """A term's postings segment by segment, some from arrays and some from Whoosh's blocks."""
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]] = []
        frequency = 0
        for base, field_arrays, row, _, _ in self._array_rows(field, btext):
            found = field_arrays.term(row)
            frequency += found.ids.size
            parts.append((found.ids.astype(np.int64) + base, found.weights, found.counts, found.positions))
        for number in self._block_segments():
            leaf, base = self.leaves[number]
            blocks = self._block_postings(leaf, base, field, btext, with_positions, within)
            if blocks is not None:
                frequency += blocks[4]
                parts.append(blocks[:4])
        if not parts:
            return None
        # Segments in index order, so doc numbers ascend.
        parts.sort(key=lambda part: int(part[0][0]) if part[0].size else 0)
        ids = np.concatenate([part[0] for part in parts])
        weights = np.concatenate([part[1] for part in parts]).astype(np.float64)
        counts = positions = None
        if with_positions:
            counts = np.concatenate([part[2] for part in parts]).astype(np.int64)
            positions = np.concatenate([part[3] for part in parts])
        return ids, weights, counts, positions, frequency

    def _block_postings(
        self, leaf: Any, base: int, field: str, btext: bytes, with_positions: bool, within: np.ndarray | None
    ) -> _Found | None:
        """(ids, weights, counts, positions, doc frequency) of a term in one segment, read from
        Whoosh's blocks (~1 µs a posting). Blocks hold no positions: a phrase cannot be
        checked in a segment without its arrays, and the index must be rebuilt."""
        if with_positions:
            raise IndexUnusable(
                f"search index segment {leaf._segment.segment_id()} has lost its posting arrays, "
                "so phrases cannot be matched in it; run `bulletin reindex`"
            )
        try:
            info = leaf._terms.term_info(field, btext)
        except TermNotFound:
            return None
        wanted = None
        if within is not None:
            lo, hi = np.searchsorted(within, (base, base + leaf.doc_count_all()))
            wanted = (within[lo:hi] - base).tolist()
            if not wanted:  # no postings wanted here, but the term's frequency counts for its idf
                nothing = np.zeros(0, dtype=np.int64)
                return nothing, np.zeros(0), nothing, nothing, int(info.doc_frequency())
        ids: list[int] = []
        weights: list[float] = []
        for block_ids, block_weights, _ in term_blocks(leaf._terms._postfile, info, wanted):
            ids.extend(block_ids)
            weights.extend(block_weights_of(block_weights, len(block_ids)))
        id_array = np.array(ids, dtype=np.int64) + base
        return id_array, np.array(weights, dtype=np.float64), None, None, int(info.doc_frequency())

    def terms_with_prefix(self, field: str, prefix: str) -> set[bytes]:
        """Every term of `field` (in any segment) that starts with `prefix`."""
        found: set[bytes] = set()
        for leaf, _ in self.leaves:
            found.update(leaf.expand_prefix(field, prefix))
        return {t if isinstance(t, bytes) else t.encode("utf-8") for t in found}

    def doc_frequency(self, field: str, btext: bytes) -> int:
        """Documents holding the term, deleted ones included (as Whoosh's idf counts them)."""
        total = sum(end - start for _, _, _, start, end in self._array_rows(field, btext))
        return total + sum(int(info.doc_frequency()) for info in self._block_term_infos(field, btext))

    def _block_term_infos(self, field: str, btext: bytes) -> Iterator[Any]:
        """Whoosh's TermInfo of the term in each segment without posting arrays that holds it."""
        for number in self._block_segments():
            try:
                yield self.leaves[number][0]._terms.term_info(field, btext)
            except TermNotFound:
                continue

    def collection_weight(self, field: str, btext: bytes) -> float:
        """A term's total weight over the collection, deleted documents included (Whoosh's
        `frequency`): summed from counts, without building the term's postings."""
        total = 0.0
        for _, arrays, row, start, end in self._array_rows(field, btext):
            if arrays.counts is None or arrays.boost is None:
                total += float(arrays.term(row).weights.sum())
                continue
            counts = arrays.counts[start:end]
            if counts.dtype == np.uint8:  # a histogram of the counts, times each count's weight
                total += float(boost_table(arrays.boost) @ np.bincount(counts, minlength=256))
            else:
                total += float(posting_weights(counts.astype(np.int64), arrays.boost).sum())
        return total + sum(float(info.weight()) for info in self._block_term_infos(field, btext))


def joined(parts: list[np.ndarray]) -> np.ndarray:
    """The arrays as one (a lone one as it is: no copy)."""
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


@lru_cache(maxsize=8)
def boost_table(boost: float) -> np.ndarray:
    """The weight of a posting with 0–255 positions in a field of this boost."""
    return posting_weights(np.arange(256), boost)


def posting_weights(counts: np.ndarray, boost: float) -> np.ndarray:
    """Posting weights as Whoosh stores them (float32), widened for scoring."""
    weights: np.ndarray = boosted(counts, boost).astype(np.float64)
    return weights
