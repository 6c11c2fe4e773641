"""Posting arrays of consecutive segments merged into one file (a run), read as one segment.

Finding a word costs the numpy engine one binary search and a slice per arrays file, about
17 µs of Python each; with a segment per thousand articles, that is 1.7 ms a word per field
at 100k articles, and a six-character phrase reads ten such words. A run holds the postings
of consecutive segments, doc numbers counted from its first segment's first document, so
those segments cost one search. Runs are built in tiers, as a log-structured merge would:
FAN_IN segments make a level-1 run, FAN_IN level-1 runs a level-2 run, and so on; every
posting is rewritten once per level.

A run is named after its first segment ("<segment id>.bpr") and records the segments it
covers with their document counts. It is used only while exactly those segments are live,
consecutive and in that order (deletions do not matter: the engine masks deleted documents).
A run that no longer fits is ignored, and the next compaction removes it. Whoosh deletes a
run with its first segment (the name matches the segment's), so segments inside a run are
never merged (bulletin.index.whoosh.bulk_writer.merge_small_segments). Once a run covers a
segment, the segment's own arrays file is removed: the run is the single home of those
postings, positions included. If the run stops fitting, the caller writes the live segments'
own files again, positions from the run, before compacting (bulletin.index.whoosh.own_arrays).
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import numpy as np

from bulletin.index.whoosh.posting_arrays import (
    EXTENSION,
    PAGE_BITS,
    FieldArrays,
    SegmentArrays,
    file_layout,
    open_arrays,
    release_pages,
    spans,
)

RUN_EXTENSION = ".bpr"
FAN_IN = 10  # units of one level merged into a run of the next
_CHUNK_POSTINGS = 1 << 22  # postings gathered at a time while merging (bounds the memory)
PARTIAL = ".partial"  # the suffix of a file being written (a run, or a segment's arrays)


@dataclass
class ArrayUnit:
    """Posting arrays covering `count` consecutive segments from segment number `first`."""

    first: int
    count: int
    arrays: SegmentArrays
    level: int  # 0: a segment's own arrays file; n: a run merged from level n - 1 units
    filename: str


@dataclass(frozen=True)
class SegmentInfo:
    """What a run must know of a live segment: its id and its number of documents."""

    segment_id: str
    documents: int


def segment_infos(segments: Sequence[Any]) -> list[SegmentInfo]:
    """SegmentInfo of Whoosh segments (or segment readers), in index order."""
    found = []
    for item in segments:
        segment = getattr(item, "_segment", item)
        found.append(SegmentInfo(segment.segment_id(), int(segment.doc_count_all())))
    return found


def array_units(folder: str, segments: list[SegmentInfo]) -> tuple[list[ArrayUnit], list[int]]:
    """The arrays to read for `segments` (runs where they still fit, else each segment's own
    file), and the numbers of segments with neither (read from Whoosh's blocks)."""
    names = set(os.listdir(folder))
    units: list[ArrayUnit] = []
    without: list[int] = []
    number = 0
    while number < len(segments):
        info = segments[number]
        run_name = info.segment_id + RUN_EXTENSION
        run = open_arrays(folder, run_name) if run_name in names else None
        if run is not None and _fits(run, segments, number):
            assert run.segments is not None
            units.append(ArrayUnit(number, len(run.segments), run, run.level, run_name))
            number += len(run.segments)
            continue
        own_name = info.segment_id + EXTENSION
        own = open_arrays(folder, own_name) if own_name in names else None
        if own is None:
            without.append(number)
        else:
            units.append(ArrayUnit(number, 1, own, 0, own_name))
        number += 1
    return units, without


def _fits(run: SegmentArrays, segments: list[SegmentInfo], first: int) -> bool:
    """Whether the run covers exactly the live segments from `first` on, in order."""
    covered = run.segments or []
    live = segments[first : first + len(covered)]
    try:
        return len(live) == len(covered) and all(
            info.segment_id == segment_id and info.documents == documents
            for info, (segment_id, documents) in zip(live, covered, strict=True)
        )
    except (TypeError, ValueError):  # a damaged header: not a list of [segment id, documents]
        return False


def compact(folder: str, segments: list[SegmentInfo]) -> int:
    """Merge every FAN_IN consecutive units of one level into a run of the next level, and
    remove runs that fit no longer; returns how many runs were written. The caller holds the
    archive's writer lock: two compactions at once would write the same files."""
    written = 0
    while True:
        units, _ = array_units(folder, segments)
        window = _mergeable(units)
        if window is None:
            break
        if not write_run(folder, window, segments):
            break  # the units cannot be merged (they differ in layout): leave them as they are
        written += 1
    used = {unit.filename for unit in units}
    # A run is its segments' arrays' single home: their own files go once it is written.
    inside_runs = {
        segments[number].segment_id + EXTENSION
        for unit in units
        if unit.level
        for number in range(unit.first, unit.first + unit.count)
    }
    for name in os.listdir(folder):  # runs that fit no more, and any a crash left half-written
        stale = name.endswith((RUN_EXTENSION, PARTIAL)) and name not in used
        if stale or name in inside_runs:
            with suppress(OSError):
                os.remove(os.path.join(folder, name))
    return written


def _mergeable(units: list[ArrayUnit]) -> list[ArrayUnit] | None:
    """The first FAN_IN consecutive units of one level, with no segment between them (one
    without arrays leaves a gap in the numbers the units cover)."""
    streak: list[ArrayUnit] = []
    for unit in units:
        follows = streak and streak[-1].first + streak[-1].count == unit.first
        if follows and unit.level == streak[-1].level:
            streak.append(unit)
        else:
            streak = [unit]
        if len(streak) == FAN_IN:
            return streak
    return None


def write_run(folder: str, units: list[ArrayUnit], segments: list[SegmentInfo]) -> bool:
    """Write the run of `units` (consecutive) beside their segments; False if they cannot be
    merged (a field stored differently in two of them)."""
    covered = segments[units[0].first : units[-1].first + units[-1].count]
    bases = np.cumsum([0] + [info.documents for info in covered])
    unit_bases = [int(bases[unit.first - units[0].first]) for unit in units]
    plans = {}
    for name in sorted({name for unit in units for name in unit.arrays.fields}):
        plan = _FieldMerge.of(name, [(u.arrays, base) for u, base in zip(units, unit_bases, strict=True)])
        if plan is None:
            return False
        plans[name] = plan
    shapes: dict[str, tuple[str, int]] = {}
    for name, plan in plans.items():
        shapes.update({f"{name}/{array}": shape for array, shape in plan.shapes(int(bases[-1])).items()})
    head, offsets, size = file_layout(
        {name: plan.meta for name, plan in plans.items()},
        shapes,
        segments=[[info.segment_id, info.documents] for info in covered],
        level=max(unit.level for unit in units) + 1,
    )
    final = os.path.join(folder, covered[0].segment_id + RUN_EXTENSION)
    partial = final + PARTIAL
    try:
        with open(partial, "w+b") as handle:
            handle.write(head)
            handle.truncate(size)
            handle.flush()
            with mmap.mmap(handle.fileno(), size) as mapped:

                def release() -> None:  # after each chunk: the memory a run's merge holds stays bounded
                    mapped.flush()
                    release_pages(mapped)
                    for unit in units:
                        unit.arrays.release()

                for name, plan in plans.items():
                    outputs = {
                        array: np.frombuffer(mapped, dtype, count, offsets[f"{name}/{array}"])
                        for array, (dtype, count) in plan.shapes(int(bases[-1])).items()
                    }
                    plan.fill(outputs, release)
                    del outputs  # views into the map: it cannot close while they live
                mapped.flush()
            os.fsync(handle.fileno())
        os.replace(partial, final)
    finally:
        with suppress(OSError):
            os.remove(partial)
    return True


class _FieldMerge:
    """How one field's postings of several units are laid out in their run."""

    def __init__(self, name: str, parts: list[tuple[FieldArrays, int]], meta: dict[str, Any]) -> None:
        self.name = name
        self.parts = parts
        self.meta = meta
        hashes = np.concatenate([part.hashes for part, _ in parts])
        self.order = np.argsort(hashes, kind="stable")  # equal hashes stay in unit order
        sorted_hashes = hashes[self.order]
        first = np.ones(sorted_hashes.size, dtype=bool)
        first[1:] = sorted_hashes[1:] != sorted_hashes[:-1]
        self.hashes = sorted_hashes[first]
        self.term_firsts = np.flatnonzero(first)  # each term's first entry (entries: sorted rows)
        self.entry_term = np.cumsum(first) - 1  # each entry's term in the run
        self.meta["terms"] = int(self.hashes.size)
        sizes = np.array([part.hashes.size for part, _ in parts], dtype=np.int64)
        self.entry_part = np.repeat(np.arange(len(parts)), sizes)[self.order]
        self.entry_row = np.concatenate([np.arange(size) for size in sizes.tolist()])[self.order]
        self.entry_start = np.concatenate([part.starts for part, _ in parts]).astype(np.int64)[self.order]
        ends = np.concatenate([part.ends for part, _ in parts]).astype(np.int64)[self.order]
        self.entry_length = ends - self.entry_start
        self.out_start = np.cumsum(self.entry_length) - self.entry_length
        self.postings = int(self.entry_length.sum())
        self.positional = bool(meta["positions"])
        if self.positional:
            pos_lengths = []
            for part, _ in parts:
                assert part.counts is not None
                running = np.concatenate(([0], np.cumsum(part.counts, dtype=np.int64)))
                ends, starts = part.ends.astype(np.int64), part.starts.astype(np.int64)
                pos_lengths.append(running[ends] - running[starts])
            pos_starts = np.concatenate([part.pos_starts for part, _ in parts]).astype(np.int64)
            self.entry_pos_start = pos_starts[self.order]
            self.entry_pos_length = np.concatenate(pos_lengths)[self.order]
            self.out_pos_start = np.cumsum(self.entry_pos_length) - self.entry_pos_length

    @classmethod
    def of(cls, name: str, units: list[tuple[SegmentArrays, int]]) -> _FieldMerge | None:
        """The merge of field `name` over (arrays, doc base) units; None when they disagree on
        whether it has positions, on its boost, or on how its weights are kept."""
        metas = [arrays.field_meta[name] for arrays, _ in units if name in arrays.fields]
        kinds = {(meta["positions"], meta.get("boost")) for meta in metas}
        if len(kinds) != 1:
            return None
        meta = {key: value for key, value in metas[0].items() if key != "terms"}
        parts = [(arrays.fields[name], base) for arrays, base in units if name in arrays.fields]
        return cls(name, parts, meta)

    def shapes(self, documents: int) -> dict[str, tuple[str, int]]:
        """(dtype, length) of each of the field's arrays in the run, in file order."""
        terms = int(self.hashes.size)
        shapes = {
            "hashes": ("<u8", terms),
            "starts": ("<u8", terms),
            "ends": ("<u8", terms),
            "ids": ("<u2", self.postings),
        }
        boundaries = -(-documents // (1 << PAGE_BITS)) - 1  # multiples of 65,536 the ids cross
        if boundaries > 0:
            shapes["id_splits"] = ("<u4", terms * boundaries)
        if "boost" not in self.meta:
            shapes["weights"] = (self._widest("weights"), self.postings)
        if self.positional:
            shapes["counts"] = (self._widest("counts"), self.postings)
            shapes["positions"] = (self._widest("positions"), int(self.entry_pos_length.sum()))
            shapes["pos_starts"] = ("<u8", terms)
        return shapes

    def _widest(self, array: str) -> str:
        types = [getattr(part, array).dtype for part, _ in self.parts]
        return np.result_type(*types).newbyteorder("<").str

    def fill(self, out: dict[str, np.ndarray], release: Callable[[], None] = lambda: None) -> None:
        """Write the field's arrays into `out` (views of the run file), calling `release`
        after each chunk of postings."""
        out["hashes"][:] = self.hashes
        if not self.hashes.size:
            return
        out["ends"][:] = np.cumsum(np.add.reduceat(self.entry_length, self.term_firsts))
        out["starts"][:] = self.out_start[self.term_firsts]
        if self.positional:
            out["pos_starts"][:] = self.out_pos_start[self.term_firsts]
        cumulative = np.cumsum(self.entry_length)
        at = 0
        while at < self.entry_length.size:  # entries in chunks of about _CHUNK_POSTINGS postings
            done = int(cumulative[at]) - int(self.entry_length[at])
            stop = max(int(np.searchsorted(cumulative, done + _CHUNK_POSTINGS, side="right")), at + 1)
            self._fill_entries(out, at, stop)
            release()
            at = stop

    def _fill_entries(self, out: dict[str, np.ndarray], first: int, stop: int) -> None:
        """Copy the postings of sorted entries [first, stop), unit by unit."""
        chunk_parts = self.entry_part[first:stop]
        for number in np.unique(chunk_parts).tolist():
            part, base = self.parts[number]
            chosen = first + np.flatnonzero(chunk_parts == number)
            lengths = self.entry_length[chosen]
            source = spans(self.entry_start[chosen], lengths)
            target = spans(self.out_start[chosen], lengths)
            ids = part.posting_ids(
                source,
                np.repeat(self.entry_row[chosen], lengths),
                np.repeat(self.entry_start[chosen], lengths),
            )
            ids += base
            out["ids"][target] = ids & ((1 << PAGE_BITS) - 1)
            if "id_splits" in out:  # each term's count of postings below each page boundary
                splits = out["id_splits"].reshape(self.hashes.size, -1)
                terms = np.repeat(self.entry_term[chosen], lengths)
                for boundary in range(splits.shape[1]):
                    below = terms[ids < (boundary + 1) << PAGE_BITS]
                    splits[:, boundary] += np.bincount(below, minlength=self.hashes.size).astype(np.uint32)
            if "weights" in out:
                assert part.weights is not None
                out["weights"][target] = part.weights[source]
            if self.positional:
                assert part.counts is not None and part.positions is not None
                out["counts"][target] = part.counts[source]
                source = spans(self.entry_pos_start[chosen], self.entry_pos_length[chosen])
                target = spans(self.out_pos_start[chosen], self.entry_pos_length[chosen])
                out["positions"][target] = part.positions[source]
