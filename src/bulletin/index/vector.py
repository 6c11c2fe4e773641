"""Whole-index query evaluation with numpy over the index's posting lists.

Whoosh's matchers walk the matching documents one at a time in Python (3–5 µs per
document per matcher), so a query that matches a fifth of a 100k archive takes a
second. Here each posting list is read whole (its ids, weights and, for phrases,
positions): sliced from the segment's posting arrays (bulletin.index.posting_arrays), or
decoded from Whoosh's blocks for a segment without them. Every query node becomes one
array operation over all documents: a boolean match vector and a BM25 score vector, the
same BM25F formula Whoosh uses. Phrases check positions only for documents holding every
bigram.

Every form of bulletin.query is evaluated here, with the same hits, totals and order as
Whoosh's matchers (tests/test_vector_engine.py). Loaded only for large indexes: importing
numpy costs about 0.1 s (see VECTOR_MIN_DOCS in bulletin.index).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from itertools import accumulate, repeat
from math import log, log2
from pickle import load, loads
from struct import Struct
from typing import Any
from zlib import decompress

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from bulletin.analysis import Unit, query_segments
from bulletin.index import array_runs
from bulletin.index.posting_arrays import (
    FieldArrays,
    SegmentArrays,
    boosted,
    positions_of,
    segment_folder,
    spans,
    term_hash,
)
from bulletin.query import Everything, Node, Not, Or, Word

# Whoosh's BM25F defaults (whoosh.scoring.BM25F).
K1 = 1.2
B = 0.75

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


@dataclass
class Matches:
    """Which documents a query node matches, and their scores."""

    mask: np.ndarray  # bool, one per document
    score: np.ndarray  # float64, one per document (0 where not matched)


class VectorIndex:
    """A searcher's segments seen as one array space of `size` documents."""

    def __init__(self, reader: Any, default_fields: tuple[str, ...], chars_field: str) -> None:
        self.leaves: list[tuple[Any, int]] = list(reader.leaf_readers())
        self.size = int(reader.doc_count_all())
        self.default_fields = default_fields
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
            found = self._columns[name] = self._fixed_width(lambda leaf: _raw_column(leaf, name), ">u4")
        return found

    def group_keys(self, column_name: str) -> np.ndarray:
        """One int per document; equal ints mark near-duplicates (cached).

        Every document stores its group id (its own id when alone), so the column is read
        whole: one slice per segment when all values have one width (article ids do), else
        value by value.
        """
        found = self._columns.get(column_name)
        if found is None:
            parts = [_bytes_column(_raw_column(s, column_name), s.doc_count_all()) for s, _ in self.leaves]
            values = np.concatenate(parts) if parts else np.zeros(0, dtype="S1")
            found = _codes(values)
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
            _fixed_column_array(open_column(leaf), leaf.doc_count_all(), dtype) for leaf, _ in self.leaves
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
        else segments' own (bulletin.index.array_runs); cached."""
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
        for base, arrays, _, start, end in rows:
            id_parts.append(arrays.ids[start:end])
            sizes.append(end - start)
            bases.append(base)
            if arrays.counts is not None:
                count_parts.append(arrays.counts[start:end])
            boosts.add(arrays.boost)
            if arrays.boost is None:
                assert arrays.weights is not None
                weight_parts.append(arrays.weights[start:end])
        # One arrays file holds most terms (runs): its slices are used as they are.
        ids = _joined(id_parts).astype(np.int64)
        if len(bases) > 1:
            ids += np.repeat(bases, sizes)
        elif bases[0]:
            ids += bases[0]
        raw_counts = _joined(count_parts) if count_parts else None
        counts = None if raw_counts is None else raw_counts.astype(np.int64)
        boost = next(iter(boosts))
        if len(boosts) == 1 and boost is not None:
            assert raw_counts is not None and counts is not None
            # Counts fit a byte almost always: look the weights up instead of computing them.
            byte_counts = raw_counts.dtype == np.uint8
            weights = _boost_table(boost)[raw_counts] if byte_counts else _weights(counts, boost)
        elif len(boosts) == 1:
            weights = _joined(weight_parts).astype(np.float64)
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
            positions = _joined(pos_parts)
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
        Whoosh's blocks (decoding a block unpickles all its positions, ~1 µs a posting)."""
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
        values: list[bytes] = []
        for block_ids, block_weights, block_values in _blocks(leaf._terms._postfile, info, wanted):
            ids.extend(block_ids)
            if block_weights is None:
                weights.extend(repeat(1.0, len(block_ids)))
            elif isinstance(block_weights, float):
                weights.extend(repeat(block_weights, len(block_ids)))
            else:
                weights.extend(block_weights)
            if with_positions:
                values.extend(block_values)
        counts = positions = None
        if with_positions:
            counts, positions = positions_of(values)
        id_array = np.array(ids, dtype=np.int64) + base
        return id_array, np.array(weights, dtype=np.float64), counts, positions, int(info.doc_frequency())

    def terms_with_prefix(self, field: str, prefix: str) -> set[bytes]:
        """Every term of `field` (in any segment) that starts with `prefix`."""
        found: set[bytes] = set()
        for leaf, _ in self.leaves:
            found.update(leaf.expand_prefix(field, prefix))
        return {t if isinstance(t, bytes) else t.encode("utf-8") for t in found}

    # -- evaluation -----------------------------------------------------------------------

    def evaluate(self, node: Node, among: np.ndarray | None = None) -> Matches | None:
        """Match and score one query node (None when it has nothing searchable).

        `among` (a boolean per document) says which documents the caller still cares about:
        matches outside it may be left out. An AND passes its cheap children's matches to the
        costly ones, so a phrase checks positions only where the other words already are.
        """
        if isinstance(node, Everything):
            return Matches(self.live.copy(), np.zeros(self.size))
        if isinstance(node, Word):
            return self._word(node, among)
        if isinstance(node, Not):
            inner = self.evaluate(node.item, among)
            if inner is None:
                return None
            return Matches(self.live & ~inner.mask, np.zeros(self.size))
        if isinstance(node, Or):
            matched = [m for m in (self.evaluate(item, among) for item in node.items) if m is not None]
            return _union(matched) if matched else None
        # AND: cheapest child first, each narrowing what the next must look at; combined in
        # the query's order, so scores add up exactly as Whoosh adds them.
        children: list[Matches | None] = [None] * len(node.items)
        narrowed = among
        for at in sorted(range(len(node.items)), key=lambda at: _cost(node.items[at])):
            item = node.items[at]
            children[at] = found = self.evaluate(item, narrowed)
            if found is not None and not isinstance(item, Not):
                narrowed = found.mask if narrowed is None else narrowed & found.mask
        present = [(item, m) for item, m in zip(node.items, children, strict=True) if m is not None]
        if not present:
            return None
        positives = [m for item, m in present if not isinstance(item, Not)]
        negatives = [m for item, m in present if isinstance(item, Not)]
        if not positives:
            positives = [Matches(self.live.copy(), np.zeros(self.size))]
        result = _intersection(positives)
        for excluded in negatives:  # a Not evaluates to live minus its child
            result.mask &= excluded.mask
        result.score[~result.mask] = 0.0
        return result

    def _word(self, word: Word, among: np.ndarray | None = None) -> Matches | None:
        segments = query_segments(word.text, phrase=word.phrase)
        if not segments:
            return None
        if not word.field and len(segments) == 1 and len(segments[0]) == 1 and segments[0][0].prefix:
            return self._term(self.chars_field, segments[0][0].text)
        fields = (word.field,) if word.field else self.default_fields
        per_field = [
            _intersection([self._units(field, units, among) for units in segments]) for field in fields
        ]
        return per_field[0] if len(per_field) == 1 else _union(per_field)

    def _units(self, field: str, units: list[Unit], among: np.ndarray | None = None) -> Matches:
        if len(units) == 1:
            unit = units[0]
            return self._prefix(field, unit.text) if unit.prefix else self._term(field, unit.text)
        return self._phrase(field, [unit.text for unit in units], among)

    def _scores(self, field: str, postings: Postings, at: np.ndarray | None = None) -> np.ndarray:
        """Whoosh's BM25F score of each posting (of those at the indexes `at`)."""
        ids, tf = (postings.ids, postings.weights) if at is None else (postings.ids[at], postings.weights[at])
        idf = log(self.size / (postings.doc_frequency + 1)) + 1
        norm = (1 - B) + B * self.lengths(field)[ids] / self.avg_length(field)
        scores: np.ndarray = idf * ((tf * (K1 + 1)) / (tf + K1 * norm))
        return scores

    def _term(self, field: str, text: str) -> Matches:
        btext = text.encode("utf-8")
        postings = self.postings(field, btext, with_positions=False)
        result = self._empty()
        result.mask[postings.ids] = True
        result.score[postings.ids] = self._scores(field, postings)
        return result

    def _prefix(self, field: str, prefix: str) -> Matches:
        """A lone CJK character: documents with any token starting with it, weighted by how
        many distinct such tokens they hold (as bulletin.index.CharPrefix scores it)."""
        result = self._empty()
        for btext in self.terms_with_prefix(field, prefix):
            if not btext:
                continue
            ids = self.postings(field, btext, with_positions=False).ids
            result.mask[ids] = True
            result.score[ids] += 1.0
        return result

    def _phrase(self, field: str, texts: list[str], among: np.ndarray | None = None) -> Matches:
        """Consecutive tokens: documents with every token (and `among`, if given), then their
        positions checked."""
        btexts = [text.encode("utf-8") for text in texts]
        read: dict[bytes, Postings] = {}
        if self._block_segments():
            # Rarest first, so Whoosh's blocks without a candidate are never decoded.
            frequency = {btext: self.doc_frequency(field, btext) for btext in btexts}
        else:  # slices cost next to nothing: read them all, then narrow from the shortest
            read = {btext: self.postings(field, btext, with_positions=True) for btext in set(btexts)}
            frequency = {btext: postings.ids.size for btext, postings in read.items()}
        candidates: np.ndarray | None = None
        for btext in sorted(set(btexts), key=frequency.__getitem__):  # rarest first
            postings = read.get(btext) or self.postings(field, btext, with_positions=True, within=candidates)
            read[btext] = postings
            candidates = (
                postings.ids if candidates is None else candidates[self._doc_mask(postings.ids)[candidates]]
            )
            if not candidates.size:
                return self._empty()
        assert candidates is not None
        if among is not None:
            candidates = candidates[among[candidates]]
            if not candidates.size:
                return self._empty()
        # A phrase starts at p when token k is at p + k: key each position by (document, p),
        # offset by the phrase's length so p - k stays non-negative. Tokens with the fewest
        # positions go first, and each later one reads only the documents still in the running:
        # a common bigram's hundreds of thousands of positions mostly never need a key.
        alive = self._doc_mask(candidates)
        starts: np.ndarray | None = None
        for k in sorted(range(len(btexts)), key=lambda k: _position_count(read[btexts[k]])):
            postings = read[btexts[k]]
            keys = _position_keys(postings, alive[postings.ids]) + (len(btexts) - k)
            starts = keys if starts is None else starts[_in_sorted(starts, keys)]
            if not starts.size:
                return self._empty()
            alive = self._doc_mask(starts >> _POSITION_BITS)
        assert starts is not None
        documents = starts >> _POSITION_BITS
        hits = documents[np.concatenate(([True], documents[1:] != documents[:-1]))]  # sorted: unique
        result = self._empty()
        result.mask[hits] = True
        for btext in btexts:  # every hit holds every token
            postings = read[btext]
            result.score[hits] += self._scores(field, postings, postings.ids.searchsorted(hits))
        return result

    def _doc_mask(self, ids: np.ndarray) -> np.ndarray:
        """A boolean per document, True at `ids`: membership by lookup, not by binary search."""
        mask = np.zeros(self.size, dtype=bool)
        mask[ids] = True
        return mask

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

    def more_like(
        self, field: str, terms: list[tuple[bytes, int]], *, exclude: int, top: int, numterms: int
    ) -> list[tuple[int, float]]:
        """(doc number, score) of the `top` documents most like a text made of these (term,
        count) pairs, best first, `exclude` (the text's own document) left out.

        What Whoosh's more_like does, as arrays: the text's `numterms` most distinctive terms
        by the Bo1 model (over the terms' weight in the collection) make a weighted OR, scored
        with BM25F.
        """
        ranked: list[tuple[float, bytes]] = []
        for btext, count in terms:
            frequency = self.collection_weight(field, btext)
            if frequency > 0:
                f = frequency / self.size
                ranked.append((count * log2((1.0 + f) / f) + log2(1.0 + f), btext))
        ranked.sort(key=lambda pair: (-pair[0], pair[1]))
        score = np.zeros(self.size)
        for weight, btext in ranked[:numterms]:
            postings = self.postings(field, btext, with_positions=False)
            # Boosts relative to the strongest term, as Whoosh's more_like sets them.
            score[postings.ids] += weight / ranked[0][0] * self._scores(field, postings)
        if 0 <= exclude < self.size:
            score[exclude] = 0.0
        docs = np.flatnonzero(score > 0)
        head = _head(-score[docs], docs, top)
        return _pairs(docs, score[docs], head)

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
                total += float(_boost_table(arrays.boost) @ np.bincount(counts, minlength=256))
            else:
                total += float(_weights(counts.astype(np.int64), arrays.boost).sum())
        return total + sum(float(info.weight()) for info in self._block_term_infos(field, btext))

    def _empty(self) -> Matches:
        return Matches(np.zeros(self.size, dtype=bool), np.zeros(self.size))


def _cost(node: Node) -> int:
    """A rough order of evaluation cost: plain words, then phrases, then the rest, NOTs last."""
    if isinstance(node, Word):
        segments = query_segments(node.text, phrase=node.phrase)
        return 0 if all(len(units) == 1 for units in segments) else 1
    return 3 if isinstance(node, Not) else 2


def _union(parts: list[Matches]) -> Matches:
    mask = parts[0].mask.copy()
    score = parts[0].score.copy()
    for part in parts[1:]:
        mask |= part.mask
        score += part.score
    return Matches(mask, score)


def _intersection(parts: list[Matches]) -> Matches:
    if len(parts) == 1:
        return parts[0]
    mask = parts[0].mask.copy()
    score = parts[0].score.copy()
    for part in parts[1:]:
        mask &= part.mask
        score += part.score
    score[~mask] = 0.0
    return Matches(mask, score)


def _blocks(postfile: Any, info: Any, wanted: list[int] | None) -> Iterator[tuple[Any, Any, Any]]:
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


def _codes(values: np.ndarray) -> np.ndarray:
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


def _raw_column(leaf: Any, name: str) -> Any:
    """A segment's column reader without Whoosh's translating wrapper (None if never written)."""
    if not leaf._perdoc.has_column(name):
        return None
    return leaf._perdoc.column_reader(name, leaf.schema[name].column_type)


def _bytes_column(column: Any, count: int) -> np.ndarray:
    """A Whoosh VarBytesColumn of `count` documents as an array of byte strings."""
    if column is None:
        return np.zeros(count, dtype="S1")
    lengths = np.asarray(column._lengths)
    offsets = np.asarray(column._offsets)
    width = int(lengths[0]) if lengths.size else 0
    if lengths.size == count and width and (lengths == width).all() and offsets[-1] == (count - 1) * width:
        return np.frombuffer(column._dbfile.get(column._basepos, count * width), dtype=f"S{width}")
    return np.array([column[docnum] for docnum in range(count)], dtype=bytes)


def _fixed_column_array(column: Any, count: int, dtype: str) -> np.ndarray:
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


def _in_sorted(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Which of `values` occur in the ascending `sorted_keys` (a binary search each: no sort,
    unlike np.isin and np.intersect1d)."""
    if not sorted_keys.size:
        return np.zeros(values.size, dtype=bool)
    at = np.minimum(sorted_keys.searchsorted(values), sorted_keys.size - 1)
    found: np.ndarray = sorted_keys[at] == values
    return found


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """The arrays as one (a lone one as it is: no copy)."""
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


@lru_cache(maxsize=8)
def _boost_table(boost: float) -> np.ndarray:
    """The weight of a posting with 0–255 positions in a field of this boost."""
    return _weights(np.arange(256), boost)


def _weights(counts: np.ndarray, boost: float) -> np.ndarray:
    """Posting weights as Whoosh stores them (float32), widened for scoring."""
    weights: np.ndarray = boosted(counts, boost).astype(np.float64)
    return weights


# Position keys: document number above, position (offset by the phrase length) below.
_POSITION_BITS = 32


def _position_keys(postings: Postings, chosen: np.ndarray) -> np.ndarray:
    """document << 32 | position, for every position of the `chosen` postings (a boolean each)."""
    assert postings.counts is not None and postings.positions is not None
    ids, counts, positions = postings.ids, postings.counts, postings.positions
    rows = np.flatnonzero(chosen)
    if rows.size * 4 >= ids.size:  # most of them: select positions with a mask
        if rows.size < ids.size:
            positions = positions[np.repeat(chosen, counts)]
            ids, counts = ids[rows], counts[rows]
    else:  # a few: gather their positions, each posting's from its first on
        firsts = (np.cumsum(counts) - counts)[rows]
        counts = counts[rows]
        positions = positions[spans(firsts, counts)]
        ids = ids[rows]
    keys: np.ndarray = (np.repeat(ids, counts) << _POSITION_BITS) + positions.astype(np.int64)
    return keys


def _position_count(postings: Postings) -> int:
    """How many positions a term's postings hold."""
    return 0 if postings.positions is None else int(postings.positions.size)


@dataclass
class Page:
    """One page of ranked documents (global doc numbers), the total, and group copies."""

    total: int
    docs: list[tuple[int, float]]
    copies: dict[int, int]


def ranked_page(
    index: VectorIndex,
    matches: Matches,
    *,
    date_range: tuple[int, int] | None,
    sort: str,
    offset: int,
    wanted: int | None,
    group_column: str | None,
) -> Page:
    """Filter, order and cut one page; with `group_column`, one hit per near-duplicate group.

    Only the head of the ranking is sorted: the page's hits and, when grouping, enough
    further hits to find a leader for each group on the page.
    """
    docs = matching_docs(index, matches, date_range)
    if sort == "relevance":
        scores = matches.score[docs]
        primary = -scores  # best score first; equal scores in index order, as Whoosh keeps them
    else:
        dates = index.numeric_column("date")[docs].astype(np.int64)
        primary = dates if sort == "date" else -dates
        scores = np.zeros(docs.size)
    if group_column is None:
        head = _head(primary, docs, docs.size if wanted is None else wanted)
        chosen = head[offset:]
        return Page(int(docs.size), _pairs(docs, scores, chosen), {})
    keys = index.group_keys(group_column)[docs]
    members = np.bincount(keys)
    total = int(np.count_nonzero(members))
    page_end = total if wanted is None else min(wanted, total)
    depth = page_end * 3 + 20
    while True:
        head = _head(primary, docs, min(depth, docs.size))
        _, first = np.unique(keys[head], return_index=True)
        if first.size >= page_end or head.size == docs.size:
            break
        depth *= 4
    leaders = head[np.sort(first)][offset:page_end]
    copies = {int(docs[at]): int(members[keys[at]]) - 1 for at in leaders.tolist() if members[keys[at]] > 1}
    return Page(total, _pairs(docs, scores, leaders), copies)


def _head(primary: np.ndarray, docs: np.ndarray, count: int) -> np.ndarray:
    """Indexes of the first `count` entries in (primary, doc number) order."""
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    if count < primary.size:
        # Everything up to the count-th smallest value, ties included, then sorted.
        bound = np.partition(primary, count - 1)[count - 1]
        candidates = np.flatnonzero(primary <= bound)
    else:
        candidates = np.arange(primary.size)
    order = np.lexsort((docs[candidates], primary[candidates]))
    return candidates[order][:count]


def _pairs(docs: np.ndarray, scores: np.ndarray, chosen: np.ndarray) -> list[tuple[int, float]]:
    return list(zip(docs[chosen].tolist(), scores[chosen].tolist(), strict=True))


def matching_docs(index: VectorIndex, matches: Matches, date_range: tuple[int, int] | None) -> np.ndarray:
    """Doc numbers of every live match inside the date range (for facets)."""
    mask = matches.mask & index.live
    if date_range is not None:
        dates = index.numeric_column("date")
        mask &= (dates >= date_range[0]) & (dates <= date_range[1])
    return np.flatnonzero(mask)


def date_buckets(index: VectorIndex, docs: np.ndarray, scale: int) -> list[tuple[int, int]]:
    """(date key rounded down to a multiple of `scale`, how many of `docs`) per bucket."""
    keys = index.numeric_column("date")[docs].astype(np.int64) // scale * scale
    values, counts = np.unique(keys, return_counts=True)
    return list(zip(values.tolist(), counts.tolist(), strict=True))
