"""WhooshIndex: the IndexBackend over Whoosh, in generation folders under the index root.

Two engines evaluate queries: Whoosh's own matchers, and from VECTOR_MIN_DOCS documents up
numpy over the segments' posting arrays (bulletin.index.whoosh.vector); both give the same
hits, totals and order (tests/test_vector_engine.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from itertools import chain, islice
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import sorting
from whoosh.index import LockError
from whoosh.searching import Searcher

from bulletin.analysis import query_segments
from bulletin.errors import ArchiveLockedError, QueryError
from bulletin.index.protocol import (
    NO_FILTERS,
    NOTHING_TO_SEARCH,
    Capabilities,
    Filters,
    IndexDoc,
    IndexHits,
    IndexState,
    IndexUnusable,
    PreparedDoc,
)
from bulletin.index.schema import SCHEMA_VERSION, make_schema
from bulletin.index.whoosh import generations
from bulletin.index.whoosh.documents import IndexWriter
from bulletin.index.whoosh.translate import (
    CHARS_FIELD,
    DEFAULT_BOOSTS,
    DEFAULT_FIELDS,
    date_bucket,
    to_whoosh,
    with_filters,
)
from bulletin.query import Node

# From this many documents up, queries are evaluated with numpy (bulletin.index.whoosh.vector):
# below it Whoosh's matchers finish in a few milliseconds, less than importing numpy
# (~0.1 s) costs a command. Measured by benchmarks/search.py (both engines, same queries).
VECTOR_MIN_DOCS = 20_000

# Segments read for keyword document frequencies (see WhooshIndex.word_frequencies).
IDF_SEGMENTS = 10
SIMILAR_TERMS = 40  # an article's most distinctive terms that `similar` searches for
ENGINES = ("vector", "whoosh")


def _bulk_writer(ix: Any, timeout: float) -> Any:
    # Imported on first write: whoosh.writing loads lazily and searches never need it.
    from bulletin.index.whoosh.bulk_writer import BulkSegmentWriter

    return BulkSegmentWriter(ix, timeout=timeout)


class WhooshIndex:
    """A Whoosh index in generation folders under `root` (an IndexBackend)."""

    def __init__(self, root: Path, generation: str, ix: Any) -> None:
        self.root = root
        self.generation = generation
        self._ix = ix
        # "auto" (by size), "vector" or "whoosh": which engine evaluates queries.
        self.engine = "auto"
        self._vector: tuple[Searcher, Any] | None = None
        self._searcher: Searcher | None = None

    # -- opening and rebuilding -------------------------------------------------------

    @classmethod
    def open(cls, root: Path) -> WhooshIndex:
        """Open the live generation; IndexUnusable says why it cannot be used."""
        current = generations.read_current(root)
        if current is None:
            raise IndexUnusable(f"no search index under {root}")
        name, version = current
        if version != SCHEMA_VERSION:
            raise IndexUnusable(
                f"search index schema v{version} differs from this version's v{SCHEMA_VERSION}"
            )
        try:
            ix = whoosh_index.open_dir(str(root / name))
            # Open the searcher now (unpickling fails here when analyzers moved) and keep it:
            # opening a reader opens every segment, ~2 ms each at 100 segments.
            searcher = ix.searcher()
            searcher.doc_count()
        except Exception as exc:  # Whoosh raises many kinds (pickle, EOF, struct, OSError)
            raise IndexUnusable(
                f"search index {root / name} cannot be opened ({type(exc).__name__}: {exc})"
            ) from exc
        index = cls(root, name, ix)
        index._searcher = searcher
        return index

    @classmethod
    def create(cls, root: Path) -> WhooshIndex:
        """Create an empty generation and make it live."""
        name = generations.new_generation(root)
        ix = whoosh_index.create_in(str(root / name), make_schema())
        generations.write_current(root, name)
        return cls(root, name, ix)

    @classmethod
    def rebuild(cls, root: Path, docs: Iterable[IndexDoc | PreparedDoc], *, batch: int = 2000) -> WhooshIndex:
        """Build a new generation from `docs`, then switch to it; the old one serves meanwhile."""
        name = generations.new_generation(root)
        ix = whoosh_index.create_in(str(root / name), make_schema())
        fresh = cls(root, name, ix)
        fresh.add_all(docs, batch=batch)
        generations.write_current(root, name)
        fresh.remove_stale_generations()
        return fresh

    def remove_stale_generations(self) -> None:
        """Delete generation folders other than the live one (left by crashed rebuilds)."""
        generations.remove_others(self.root, self.generation)

    def state(self) -> IndexState:
        """The served generation and the one CURRENT names live now (no query runs)."""
        current = generations.read_current(self.root)
        return IndexState(self.generation, None if current is None else current[0])

    def capabilities(self) -> Capabilities:
        """Two engines; analysis can run ahead in worker processes."""
        return Capabilities(name="whoosh", engines=ENGINES, prepared_docs=True)

    # -- writing ---------------------------------------------------------------------

    @contextmanager
    def writer(self, *, timeout: float = 10.0) -> Iterator[IndexWriter]:
        """A writer that commits on success and cancels on error.

        Always bulletin's bulk writer: it is the one that writes each segment's posting
        arrays, the only home of positions (Whoosh's own writer would leave a segment in
        which phrases cannot be matched).
        """
        try:
            raw = _bulk_writer(self._ix, timeout)
        except LockError:
            raise ArchiveLockedError(
                f"the search index {self.root} is locked by another bulletin process; "
                "wait for it to finish or raise --wait"
            ) from None
        wrapped = IndexWriter(raw)
        try:
            yield wrapped
        except BaseException:
            raw.cancel()
            raise
        # No merging here: Whoosh's own merge would write segments without posting arrays.
        # Imports merge afterwards (maintain), through the bulk writer.
        raw.commit(merge=False)

    def add_all(self, docs: Iterable[IndexDoc | PreparedDoc], *, batch: int = 2000) -> int:
        """Add documents (analysed or not), committing every `batch` so memory stays bounded.

        Each document goes to the writer as it comes (a batch of analysed documents held
        whole would be ~100 MB per 1,000 articles on top of what the writer files them into).
        """
        count = 0
        iterator = iter(docs)

        def counted(items: Iterable[IndexDoc | PreparedDoc]) -> Iterator[IndexDoc | PreparedDoc]:
            nonlocal count
            for item in items:
                count += 1
                yield item

        for first in iterator:  # the batch's first document; islice takes the rest of it
            self.add_batch(counted(chain((first,), islice(iterator, batch - 1))))
        return count

    def add_batch(self, docs: Iterable[IndexDoc | PreparedDoc]) -> None:
        """Add documents (analysed or not) in one bulk commit: one new segment."""
        with self.writer() as writer:
            for item in docs:
                if isinstance(item, PreparedDoc):
                    writer.add_prepared(item)
                else:
                    writer.add(item)

    def delete(self, article_ids: Iterable[str]) -> None:
        """Remove documents by article id, in one commit."""
        with self.writer() as writer:
            for article_id in article_ids:
                writer.delete(article_id)

    def maintain(self, *, merge: bool = True) -> None:
        """After writing: merge small segments (with `merge`), then compact posting arrays."""
        if merge:
            self.optimize()
        else:
            self.compact_arrays()

    def optimize(self) -> None:
        """Merge small segments into one (done after a bulk load), then compact the arrays.

        Only up to MERGE_DOCS articles are merged: a merge holds its postings in memory, and
        rewriting big segments in pure Python costs about as much as indexing anew.
        """
        from bulletin.index.whoosh.bulk_writer import merge_small_segments

        with suppress(LockError):  # another writer is busy: merging can wait for next time
            _bulk_writer(self._ix, 0.0).commit(mergetype=merge_small_segments)
        self.compact_arrays()

    def compact_arrays(self) -> int:
        """Merge the posting arrays of consecutive segments into runs, so the numpy engine
        finds a word in a few files instead of one per segment (bulletin.index.whoosh.array_runs).
        Returns how many runs were written. The caller holds the archive's writer lock."""
        from bulletin.index.whoosh import array_runs
        from bulletin.index.whoosh.own_arrays import write_own_arrays

        live = self._ix._segments()
        segments = array_runs.segment_infos(live)
        folder = str(self.root / self.generation)
        try:
            # Segments with no arrays to read (their run fits no more or was damaged, or
            # Whoosh's own writer made them) get their own file first: a run is its segments'
            # only copy, and a segment with arrays is read fast and joins the next run.
            for number in array_runs.array_units(folder, segments)[1]:
                write_own_arrays(self._ix, live[number])
            return array_runs.compact(folder, segments)
        except OSError:  # a full disk: runs only speed searches up, and the next import retries
            return 0

    # -- reading ---------------------------------------------------------------------

    @contextmanager
    def _searching(self) -> Iterator[Searcher]:
        """One searcher kept open across queries (opening segment files costs ~30 ms)."""
        searcher = self._searcher
        if searcher is None:
            searcher = self._ix.searcher()
        elif not searcher.up_to_date():
            # Opened anew, not refresh()ed: Whoosh's refresh reuses a segment's reader even when
            # the segment gained deletions (the count stays stale), and fails on an empty index.
            searcher.close()
            searcher = self._ix.searcher()
        self._searcher = searcher
        yield searcher

    def close(self) -> None:
        """Release the cached searcher's files."""
        searcher = self._searcher
        if searcher is not None:
            searcher.close()
            self._searcher = None
        self._vector = None

    def doc_count(self) -> int:
        """Number of live documents."""
        with self._searching() as searcher:
            return int(searcher.doc_count())

    def all_ids(self) -> list[str]:
        """Every indexed article id, duplicates included (for integrity checks)."""
        with self._ix.searcher() as searcher:
            return [fields["id"] for fields in searcher.all_stored_fields()]

    def size_bytes(self) -> int:
        """Bytes on disk of the live generation."""
        folder = self.root / self.generation
        return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())

    def problems(self) -> list[str]:
        """Segments without posting arrays: positions live only there, so phrases cannot be
        matched in those segments until the index is rebuilt."""
        from bulletin.index.whoosh import array_runs

        segments = array_runs.segment_infos(self._ix._segments())
        _, without = array_runs.array_units(str(self.root / self.generation), segments)
        return [
            f"segment {segments[number].segment_id} ({segments[number].documents} articles) has lost its "
            "posting arrays, so phrases cannot be matched in it; run `bulletin reindex`"
            for number in without
        ]

    def active_engine(self) -> str:
        """The engine that evaluates queries: "vector" (numpy) or "whoosh" (its matchers)."""
        with self._searching() as searcher:
            return self._engine_for(searcher)

    def _engine_for(self, searcher: Searcher) -> str:
        if self.engine != "auto":
            return self.engine
        return "vector" if searcher.doc_count_all() >= VECTOR_MIN_DOCS else "whoosh"

    def _vector_index(self, searcher: Searcher) -> Any:
        """The numpy view of this searcher's segments, when that engine is in use (else None)."""
        # The searcher in use decides: asking _searching() again could swap it mid-query.
        if self._engine_for(searcher) != "vector":
            return None
        if self._vector is None or self._vector[0] is not searcher:
            from bulletin.index.whoosh.vector import VectorIndex

            self._vector = (
                searcher,
                VectorIndex(searcher.reader(), DEFAULT_FIELDS, CHARS_FIELD, DEFAULT_BOOSTS),
            )
        return self._vector[1]

    def _filter_set(self, searcher: Searcher, filters: Filters) -> set[int] | None:
        bounds = filters.date_range()
        if bounds is None:
            return None
        lo, hi = bounds
        column = searcher.reader().column_reader("date")
        # Reading the column is a tight loop over one array: far cheaper than a Whoosh
        # range query, which enumerates every date term first.
        return {docnum for docnum, value in enumerate(column) if lo <= value <= hi}

    def search(
        self,
        node: Node,
        *,
        filters: Filters = NO_FILTERS,
        sort: str = "relevance",
        limit: int | None = 10,
        offset: int = 0,
        collapse: bool = False,
    ) -> IndexHits:
        """Ids and scores of one page of hits, plus the total count.

        With `collapse`, near-duplicates count once: the page holds the best-ranked member of
        each group, `total` counts groups, and `copies` says how many other members matched.
        """
        node = with_filters(node, filters)
        query = to_whoosh(node)
        if query is None:
            raise QueryError(NOTHING_TO_SEARCH)
        with self._searching() as searcher:
            vector = self._vector_index(searcher)
            if vector is not None:
                from bulletin.index.whoosh import vector_queries

                return vector_queries.search(searcher, vector, node, filters, sort, offset, limit, collapse)
            allowed = self._filter_set(searcher, filters)
            if allowed is not None and not allowed:
                # Whoosh reads an empty filter as "no filter": no article is in the range.
                return IndexHits(total=0, hits=[])
            from bulletin.index.whoosh import collectors

            wanted = None if limit is None else offset + limit
            kwargs: dict[str, Any] = {"filter": allowed}
            if sort in ("date", "-date"):
                # By day, then time of day (articles without one first within their day).
                newest = sort == "-date"
                kwargs["sortedby"] = sorting.MultiFacet(
                    [sorting.FieldFacet("date", reverse=newest), sorting.FieldFacet("time", reverse=newest)]
                )
            if collapse:
                return collectors.collapsed_page(searcher, query, kwargs, offset, wanted, sort == "relevance")
            results = collectors.run(searcher, query, limit=wanted, **kwargs)
            total = len(results)
            page = results[offset:wanted] if wanted is not None else results[offset:]
            # A sorted search's "score" is its sort key: no relevance to report (as when collapsed).
            relevance = sort == "relevance"
            hits = [(hit["id"], float(hit.score or 0.0) if relevance else 0.0) for hit in page]
        return IndexHits(total=total, hits=hits)

    def count(self, node: Node, *, filters: Filters = NO_FILTERS, collapse: bool = False) -> int:
        """The number of matches (groups, with `collapse`)."""
        return self.search(node, filters=filters, limit=1, collapse=collapse).total

    def facet(self, node: Node, field: str, *, filters: Filters = NO_FILTERS) -> dict[str, int]:
        """Counts of `field` ("source", "year" or "month") over every hit of the query."""
        node = with_filters(node, filters)
        query = to_whoosh(node)
        if query is None:
            raise QueryError(NOTHING_TO_SEARCH)
        counts: dict[str, int] = {}
        with self._searching() as searcher:
            vector = self._vector_index(searcher)
            if vector is not None:
                from bulletin.index.whoosh import vector_queries

                return vector_queries.facet(searcher, vector, node, field, filters)
            allowed = self._filter_set(searcher, filters)
            if allowed is not None and not allowed:  # no article in the range (see search)
                return counts
            results = searcher.search(query, limit=None, filter=allowed, scored=False)
            reader = searcher.reader()
            if field == "source":
                column = reader.column_reader("source_key")
                keys = (column[docnum].decode("utf-8") or "(unknown)" for docnum in results.docs())
            else:
                column = reader.column_reader("date")
                keys = (date_bucket(column[docnum], field) for docnum in results.docs())
            for key in keys:
                counts[key] = counts.get(key, 0) + 1
        return counts

    def word_frequencies(self, words: Iterable[str]) -> dict[str, int]:
        """Approximate document frequency of each word, read from the bigram postings.

        A word's frequency is the smallest frequency of its bigrams (exact for two-character
        words, an upper bound for longer ones): no phrase query per word, so keyword IDF from
        the archive costs microseconds a word. A big archive's posting arrays give every
        bigram's exact count in one binary search per arrays file. Otherwise, an index of more
        than IDF_SEGMENTS segments is sampled (evenly spaced segments, counts scaled to the
        whole): every lookup in Whoosh's tables is one per segment, and `show` looks up some
        800 bigrams (1.2 s at 100 segments unsampled, 0.2–0.4 s sampled; from the arrays a whole
        keyword IDF table for `show` takes 20–35 ms, segmenting included).
        """
        found: dict[str, int] = {}
        with self._searching() as searcher:
            vector = self._vector_index(searcher)
            frequency: Callable[[str], int]
            scale = 1.0
            if vector is not None:

                def frequency(bigram: str) -> int:
                    return int(vector.doc_frequency("text", bigram.encode("utf-8")))

            else:
                leaves = [leaf for leaf, _ in searcher.reader().leaf_readers()]
                sample = leaves[:: -(-len(leaves) // IDF_SEGMENTS)] if len(leaves) > IDF_SEGMENTS else leaves
                sampled = sum(leaf.doc_count_all() for leaf in sample)
                scale = searcher.doc_count_all() / sampled if sampled else 1.0

                def frequency(bigram: str) -> int:
                    return sum(leaf.doc_frequency("text", bigram) for leaf in sample)

            for word in words:
                units = [u for segment in query_segments(word) for u in segment if not u.prefix]
                if not units:
                    continue
                found[word] = round(min(frequency(unit.text) for unit in units) * scale)
        return found

    def similar(self, article_id: str, text: str, *, limit: int = 10) -> list[tuple[str, float]]:
        """Articles most like `text` (the article's own), by its most distinctive bigrams."""
        with self._searching() as searcher:
            docnum = searcher.document_number(id=article_id)
            if docnum is None:
                return []
            vector = self._vector_index(searcher)
            if vector is None:
                results = searcher.more_like(docnum, "text", text=text, top=limit, numterms=SIMILAR_TERMS)
                return [(hit["id"], float(hit.score or 0.0)) for hit in results]
            from bulletin.index.whoosh import vector_queries

            return vector_queries.similar(searcher, vector, docnum, text, limit, SIMILAR_TERMS)
