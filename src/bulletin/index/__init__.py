"""The search index: the only place that talks to Whoosh.

The index is derived from the SQLite store and can always be rebuilt from it. It
lives in generation folders (`gen-000001/`) under the index root; a small CURRENT
file names the live generation and the schema version, so a rebuild writes a new
generation and switches with one atomic rename while the old one keeps serving.
"""

from __future__ import annotations

# Must run before anything imports Whoosh (see the module).
import bulletin.lean_whoosh  # noqa: F401

# isort: split
import dataclasses
import os
import shutil
from array import array
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.index import LockError
from whoosh.searching import Searcher

from bulletin.analysis import Unit, query_segments
from bulletin.errors import ArchiveError, ArchiveLockedError, QueryError
from bulletin.index import block_pickles
from bulletin.index.analyzers import FieldPostings, char_postings, field_postings
from bulletin.index.lazy_terms import install as install_lazy_terms
from bulletin.index.schema import SCHEMA_VERSION, make_schema
from bulletin.index.zero_copy import install as install_zero_copy
from bulletin.query import And, Everything, Node, Not, Or, Word

install_zero_copy()
install_lazy_terms()
block_pickles.install()

CURRENT_FILE = "CURRENT"
NOTHING_TO_SEARCH = "the query has no letters, digits or CJK characters to search for; add a word"
DEFAULT_FIELDS = ("title", "text")
CHARS_FIELD = "chars"  # the CJK characters of title and text, for one-character queries


class IndexUnusable(ArchiveError):
    """The index is missing, from another schema version, or damaged: rebuild it."""


@dataclass(frozen=True)
class IndexDoc:
    """What the index holds for one article."""

    id: str
    title: str
    text: str
    source: str
    author: str
    tag: str
    site: str
    date_key: int
    group: str = ""  # near-duplicate group id; empty: the article is its own group


@dataclass(frozen=True)
class Filters:
    """Restrictions applied outside relevance: a date-key range (inclusive)."""

    date_from: int | None = None
    date_to: int | None = None


@dataclass(frozen=True)
class IndexHits:
    """One page of ids with scores, and the total number of matches."""

    total: int
    hits: list[tuple[str, float]]
    copies: dict[str, int] = dataclasses.field(default_factory=dict)  # id -> other matching group members


def _read_current(root: Path) -> tuple[str, int] | None:
    try:
        name, version = (root / CURRENT_FILE).read_text(encoding="utf-8").split()
        return name, int(version)
    except (OSError, ValueError):
        return None


def _write_current(root: Path, name: str) -> None:
    tmp = root / (CURRENT_FILE + ".tmp")
    tmp.write_text(f"{name} {SCHEMA_VERSION}\n", encoding="utf-8")
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, root / CURRENT_FILE)


def _next_generation(root: Path) -> str:
    numbers = [int(p.name[4:]) for p in root.glob("gen-*") if p.name[4:].isdigit()]
    return f"gen-{max(numbers, default=0) + 1:06d}"


class CharPrefix(wq.Prefix):  # type: ignore[misc]
    """A lone CJK character: every document with a token starting with it.

    Whoosh ORs one matcher per expanded term (hundreds of bigrams start with 区), decoding
    positions for each: seconds at 10k articles. Here the doc ids of each term's postings are
    unioned directly; a document's weight is how many distinct tokens start with the character.
    """

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        """A list matcher over the union of the expanded terms' documents (per segment)."""
        from whoosh import matching

        reader = searcher.reader()
        counts: dict[int, int] = {}
        for btext in self._btexts(reader):
            if not btext:
                continue
            for docnum in reader.postings(self.fieldname, btext).all_ids():
                counts[docnum] = counts.get(docnum, 0) + 1
        if not counts:
            return matching.NullMatcher()
        ids = sorted(counts)
        return matching.ListMatcher(ids, weights=[self.boost * counts[d] for d in ids])


def _units_query(field: str, units: list[Unit]) -> wq.Query:
    if len(units) == 1:
        unit = units[0]
        return CharPrefix(field, unit.text) if unit.prefix else wq.Term(field, unit.text)
    return wq.Phrase(field, [unit.text for unit in units])


def _word_query(word: Word) -> wq.Query | None:
    segments = query_segments(word.text, phrase=word.phrase)
    if not segments:
        return None
    if not word.field and len(segments) == 1 and len(segments[0]) == 1 and segments[0][0].prefix:
        return wq.Term(CHARS_FIELD, segments[0][0].text)
    fields = (word.field,) if word.field else DEFAULT_FIELDS
    per_field = []
    for field in fields:
        parts = [_units_query(field, units) for units in segments]
        per_field.append(parts[0] if len(parts) == 1 else wq.And(parts))
    return per_field[0] if len(per_field) == 1 else wq.Or(per_field)


def to_whoosh(node: Node) -> wq.Query | None:
    """Translate a parsed query into a Whoosh query (None when nothing is searchable)."""
    if isinstance(node, Everything):
        return wq.Every()
    if isinstance(node, Word):
        return _word_query(node)
    if isinstance(node, Not):
        inner = to_whoosh(node.item)
        return None if inner is None else wq.Not(inner)
    children = [q for q in (to_whoosh(item) for item in node.items) if q is not None]
    if not children:
        return None
    if isinstance(node, And):
        positives = [q for q in children if not isinstance(q, wq.Not)]
        if not positives:
            children.insert(0, wq.Every())
        return children[0] if len(children) == 1 else wq.And(children)
    if isinstance(node, Or):
        return children[0] if len(children) == 1 else wq.Or(children)
    raise TypeError(f"unknown query node {node!r}")


# From this many documents up, queries are evaluated with numpy (bulletin.index.vector):
# below it Whoosh's matchers finish in a few milliseconds, less than importing numpy
# (~0.1 s) costs a command. Measured by benchmarks/search.py (both engines, same queries).
VECTOR_MIN_DOCS = 20_000

# Segments read for keyword document frequencies (see SearchIndex.word_frequencies).
IDF_SEGMENTS = 10
SIMILAR_TERMS = 40  # an article's most distinctive terms that `similar` searches for


class SearchIndex:
    """A Whoosh index in generation folders under `root`."""

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
    def open(cls, root: Path) -> SearchIndex:
        """Open the live generation; IndexUnusable says why it cannot be used."""
        current = _read_current(root)
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
    def create(cls, root: Path) -> SearchIndex:
        """Create an empty generation and make it live."""
        root.mkdir(parents=True, exist_ok=True)
        name = _next_generation(root)
        folder = root / name
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), make_schema())
        _write_current(root, name)
        return cls(root, name, ix)

    @classmethod
    def rebuild(cls, root: Path, docs: Iterable[IndexDoc | PreparedDoc], *, batch: int = 2000) -> SearchIndex:
        """Build a new generation from `docs`, then switch to it; the old one serves meanwhile."""
        root.mkdir(parents=True, exist_ok=True)
        name = _next_generation(root)
        folder = root / name
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), make_schema())
        fresh = cls(root, name, ix)
        fresh.add_all(docs, batch=batch)
        old = _read_current(root)
        _write_current(root, name)
        if old is not None and old[0] != name:
            shutil.rmtree(root / old[0], ignore_errors=True)
        fresh.remove_stale_generations()
        return fresh

    def remove_stale_generations(self) -> None:
        """Delete generation folders other than the live one (left by crashed rebuilds)."""
        for path in self.root.glob("gen-*"):
            if path.name != self.generation and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)

    # -- writing ---------------------------------------------------------------------

    @contextmanager
    def writer(self, *, timeout: float = 10.0, bulk: bool = False) -> Iterator[IndexWriter]:
        """A writer that commits on success and cancels on error.

        `bulk` trades memory for speed during large imports (bigger in-memory buffer,
        no merging until the end).
        """
        try:
            if bulk:
                raw = _bulk_writer_class()(self._ix, timeout=timeout)
            else:
                raw = self._ix.writer(timeout=timeout, limitmb=128)
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
        # Imports merge afterwards (optimize), through the bulk writer.
        raw.commit(merge=False)

    def add_all(self, docs: Iterable[IndexDoc | PreparedDoc], *, batch: int = 2000) -> int:
        """Add documents (analysed or not), committing every `batch` so memory stays bounded."""
        count = 0
        pending: list[IndexDoc | PreparedDoc] = []
        for doc in docs:
            pending.append(doc)
            if len(pending) >= batch:
                self.add_batch(pending)
                count += len(pending)
                pending = []
        if pending:
            self.add_batch(pending)
            count += len(pending)
        return count

    def add_batch(self, docs: list[IndexDoc | PreparedDoc]) -> None:
        """Add documents (analysed or not) in one bulk commit: one new segment."""
        with self.writer(bulk=True) as writer:
            for item in docs:
                if isinstance(item, PreparedDoc):
                    writer.add_prepared(item)
                else:
                    writer.add(item)

    def optimize(self) -> None:
        """Merge small segments into one (done after a bulk load).

        Only up to MERGE_DOCS articles are merged: a merge holds its postings in memory, and
        rewriting big segments in pure Python costs about as much as indexing anew.
        """
        with suppress(LockError):  # another writer is busy: merging can wait for next time
            writer = _bulk_writer_class()(self._ix, timeout=0.0)
            writer.commit(mergetype=_merge_small_segments)
        self.compact_arrays()

    def compact_arrays(self) -> int:
        """Merge the posting arrays of consecutive segments into runs, so the numpy engine
        finds a word in a few files instead of one per segment (bulletin.index.array_runs).
        Returns how many runs were written. The caller holds the archive's writer lock."""
        from bulletin.index import array_runs

        segments = array_runs.segment_infos(self._ix._segments())
        try:
            return array_runs.compact(str(self.root / self.generation), segments)
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

    def _filter_set(self, searcher: Searcher, filters: Filters) -> set[int] | None:
        bounds = _date_range(filters)
        if bounds is None:
            return None
        lo, hi = bounds
        reader = searcher.reader()
        column = reader.column_reader("date")
        # Reading the column is a tight loop over one array: far cheaper than a Whoosh
        # range query, which enumerates every date term first.
        return {docnum for docnum, value in enumerate(column) if lo <= value <= hi}

    def search(
        self,
        node: Node,
        *,
        filters: Filters = Filters(),
        sort: str = "relevance",
        limit: int | None = 10,
        offset: int = 0,
        collapse: bool = False,
    ) -> IndexHits:
        """Ids and scores of one page of hits, plus the total count.

        With `collapse`, near-duplicates count once: the page holds the best-ranked member of
        each group, `total` counts groups, and `copies` says how many other members matched.
        """
        query = to_whoosh(node)
        if query is None:
            raise QueryError(NOTHING_TO_SEARCH)
        with self._searching() as searcher:
            vector = self._vector_index(searcher)
            if vector is not None:
                return _vector_search(searcher, vector, node, filters, sort, offset, limit, collapse)
            allowed = self._filter_set(searcher, filters)
            if allowed is not None and not allowed:
                # Whoosh reads an empty filter as "no filter": no article is in the range.
                return IndexHits(total=0, hits=[])
            wanted = None if limit is None else offset + limit
            kwargs: dict[str, Any] = {"filter": allowed}
            if sort in ("date", "-date"):
                kwargs["sortedby"] = sorting.FieldFacet("date", reverse=(sort == "-date"))
            if collapse:
                return _collapsed_page(searcher, query, kwargs, offset, wanted, sort == "relevance")
            results = _run(searcher, query, limit=wanted, **kwargs)
            total = len(results)
            page = results[offset:wanted] if wanted is not None else results[offset:]
            hits = [(hit["id"], float(hit.score or 0.0)) for hit in page]
        return IndexHits(total=total, hits=hits)

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
            from bulletin.index.vector import VectorIndex

            self._vector = (searcher, VectorIndex(searcher.reader(), DEFAULT_FIELDS, CHARS_FIELD))
        return self._vector[1]

    def facet(self, node: Node, field: str, *, filters: Filters = Filters()) -> dict[str, int]:
        """Counts of `field` ("source", "year" or "month") over every hit of the query."""
        query = to_whoosh(node)
        if query is None:
            raise QueryError(NOTHING_TO_SEARCH)
        counts: dict[str, int] = {}
        with self._searching() as searcher:
            vector = self._vector_index(searcher)
            if vector is not None:
                return _vector_facet(searcher, vector, node, field, filters)
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
                keys = (_date_bucket(column[docnum], field) for docnum in results.docs())
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
            # Whoosh's own more_like looks every word of the text up in every segment and then
            # walks a 40-term OR: 14 s at 100k articles. The arrays answer in a fraction of a second.
            counts: dict[bytes, int] = {}
            for btext, frequency, _weight, _value in searcher.schema["text"].index(text):
                counts[btext] = counts.get(btext, 0) + frequency
            found = vector.more_like(
                "text", list(counts.items()), exclude=docnum, top=limit, numterms=SIMILAR_TERMS
            )
            return [(searcher.stored_fields(doc)["id"], score) for doc, score in found]


def _date_range(filters: Filters) -> tuple[int, int] | None:
    if filters.date_from is None and filters.date_to is None:
        return None
    lo = filters.date_from if filters.date_from is not None else 1
    hi = filters.date_to if filters.date_to is not None else 99_999_999
    return lo, hi


def _vector_search(
    searcher: Searcher,
    vector: Any,
    node: Node,
    filters: Filters,
    sort: str,
    offset: int,
    limit: int | None,
    collapse: bool,
) -> IndexHits:
    """SearchIndex.search evaluated with numpy (see bulletin.index.vector)."""
    from bulletin.index.vector import ranked_page

    matches = vector.evaluate(node)
    if matches is None:
        raise QueryError(NOTHING_TO_SEARCH)
    page = ranked_page(
        vector,
        matches,
        date_range=_date_range(filters),
        sort=sort,
        offset=offset,
        wanted=None if limit is None else offset + limit,
        group_column="group" if collapse else None,
    )
    ids = {docnum: searcher.stored_fields(docnum)["id"] for docnum, _ in page.docs}
    return IndexHits(
        total=page.total,
        hits=[(ids[docnum], score) for docnum, score in page.docs],
        copies={ids[docnum]: n for docnum, n in page.copies.items()},
    )


def _vector_facet(
    searcher: Searcher, vector: Any, node: Node, field: str, filters: Filters
) -> dict[str, int]:
    """SearchIndex.facet evaluated with numpy (see bulletin.index.vector)."""
    from bulletin.index.vector import date_buckets, matching_docs

    matches = vector.evaluate(node)
    if matches is None:
        raise QueryError(NOTHING_TO_SEARCH)
    docs = matching_docs(vector, matches, _date_range(filters))
    counts: dict[str, int] = {}
    if field == "source":
        column = searcher.reader().column_reader("source_key")
        for docnum in docs.tolist():
            key = column[docnum].decode("utf-8") or "(unknown)"
            counts[key] = counts.get(key, 0) + 1
        return counts
    # Bucket first: a few dozen distinct year or month keys to name instead of every hit.
    for date, number in date_buckets(vector, docs, 10000 if field == "year" else 100):
        key = _date_bucket(date, field)
        counts[key] = counts.get(key, 0) + number
    return counts


def _run(
    searcher: Searcher,
    query: wq.Query,
    *,
    limit: int | None,
    filter: set[int] | None = None,
    sortedby: Any = None,
    keep_ids: bool = False,
) -> Any:
    """Whoosh results found in one pass over the matches, counting every match.

    Whoosh's top-N collector prunes its matcher as the heap fills and skips blocks, so the
    total (always shown) and the set of all matches (for grouping copies) cost a second run
    of the whole query; with bigram phrases that doubled a search.
    """
    from whoosh import collectors

    if sortedby is not None or limit is None or limit >= searcher.doc_count_all():
        return searcher.search(query, limit=limit, filter=filter, sortedby=sortedby)
    collector: Any = _counting_top_class()(limit, keep_ids)
    if filter is not None:
        collector = collectors.FilterCollector(collector, filter)
    searcher.search_with_collector(query, collector)
    return collector.results()


@lru_cache(maxsize=1)
def _counting_top_class() -> type:
    """CountingTopCollector, defined on first use (Whoosh's collectors load lazily)."""
    from whoosh.collectors import TopCollector

    class CountingTopCollector(TopCollector):  # type: ignore[misc]
        """The top N by score, with every match counted (and its number kept if asked)."""

        def __init__(self, limit: int, keep_ids: bool) -> None:
            super().__init__(limit, usequality=False, replace=0)
            self.keep_ids = keep_ids

        def _collect(self, global_docnum: int, score: float) -> Any:
            if self.keep_ids:
                self.docset.add(global_docnum)
            return super()._collect(global_docnum, score)

        def computes_count(self) -> bool:
            return True

        def all_ids(self) -> Any:
            return self.docset if self.keep_ids else super().all_ids()

    return CountingTopCollector


def _collapsed_page(
    searcher: Searcher,
    query: wq.Query,
    kwargs: dict[str, Any],
    offset: int,
    wanted: int | None,
    relevance: bool,
) -> IndexHits:
    """One page with a single hit per near-duplicate group (see SearchIndex.search)."""
    column = searcher.reader().column_reader("group")
    # Rank only a margin beyond the page first; rank everything only when copies crowd it out.
    results = _run(
        searcher, query, limit=None if wanted is None else wanted * 3 + 20, keep_ids=True, **kwargs
    )
    members: dict[bytes, int] = {}
    for docnum in results.docs():
        key = column[docnum]
        members[key] = members.get(key, 0) + 1
    leaders = _group_leaders(results.top_n, column)
    if wanted is not None and len(leaders) < min(wanted, len(members)):
        leaders = _group_leaders(_run(searcher, query, limit=None, **kwargs).top_n, column)
    page = leaders[offset:wanted]
    hits: list[tuple[str, float]] = []
    copies: dict[str, int] = {}
    for score, docnum, key in page:
        article_id = searcher.stored_fields(docnum)["id"]
        hits.append((article_id, float(score or 0.0) if relevance else 0.0))
        if members[key] > 1:
            copies[article_id] = members[key] - 1
    return IndexHits(total=len(members), hits=hits, copies=copies)


def _group_leaders(top_n: list[tuple[Any, int]], column: Any) -> list[tuple[Any, int, bytes]]:
    """The first (best-ranked) hit of each group, in rank order."""
    seen: set[bytes] = set()
    leaders: list[tuple[Any, int, bytes]] = []
    for score, docnum in top_n:
        key = column[docnum]
        if key not in seen:
            seen.add(key)
            leaders.append((score, docnum, key))
    return leaders


def _date_bucket(value: int, field: str) -> str:
    if not value:
        return "undated"
    year, month = value // 10000, (value // 100) % 100
    if field == "year" or not month:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}"


class IndexWriter:
    """Adds and deletes documents inside one writer transaction."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    def add(self, doc: IndexDoc) -> None:
        """Add one document (the store guarantees ids are new)."""
        if hasattr(self._raw, "add_prepared"):
            self._raw.add_prepared(prepare(doc))
        else:
            self._raw.add_document(**_whoosh_fields(doc))

    def add_prepared(self, prepared: PreparedDoc) -> None:
        """Add a document analysed beforehand (bulk writers only; others analyse again)."""
        if hasattr(self._raw, "add_prepared"):
            self._raw.add_prepared(prepared)
        else:
            self._raw.add_document(**_whoosh_fields(prepared.doc))

    def delete(self, article_id: str) -> None:
        """Remove one document by article id."""
        self._raw.delete_by_term("id", article_id)


# -- bulk writing ------------------------------------------------------------------------------
#
# Whoosh's SegmentWriter costs ~15 µs of pure Python per posting: a pool entry, a global sort,
# a per-posting length lookup and add_posting() call at commit. With CJK bigrams an article has
# ~2,000 postings, so that was ~30 ms an article. BulkSegmentWriter keeps the same on-disk
# format but inverts into compact per-term arrays and writes each term's blocks in one step.


@dataclass(frozen=True)
class PreparedDoc:
    """An IndexDoc with its text fields already analysed (in a worker process)."""

    doc: IndexDoc
    fields: dict[str, FieldPostings]


_TEXT_FIELDS = ("title", "text", "source", "author", "tag", "site")
_ARRAY_FIELDS = frozenset((*_TEXT_FIELDS, CHARS_FIELD))  # what queries read (not the id field)


@lru_cache(maxsize=1)
def _field_boosts() -> dict[str, float]:
    schema = make_schema()
    return {name: float(schema[name].format.field_boost) for name in _TEXT_FIELDS}


def prepare(doc: IndexDoc) -> PreparedDoc:
    """Analyse a document's text fields (exactly as the schema's analyzers would)."""
    boosts = _field_boosts()
    fields = {name: field_postings(getattr(doc, name), boosts[name]) for name in _TEXT_FIELDS}
    fields[CHARS_FIELD] = char_postings(_chars_value(doc))
    return PreparedDoc(doc, fields)


def _chars_value(doc: IndexDoc) -> str:
    return doc.title + "\n" + doc.text


def _whoosh_fields(doc: IndexDoc) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "text": doc.text,
        "source": doc.source,
        "author": doc.author,
        "tag": doc.tag,
        "site": doc.site,
        CHARS_FIELD: _chars_value(doc),
        "date": doc.date_key,
        "source_key": doc.source.encode("utf-8"),
        "group": (doc.group or doc.id).encode("ascii"),
    }


class _TermPostings:
    """One term's postings in a segment: doc numbers, weights and encoded values."""

    __slots__ = ("docs", "values", "weights")

    def __init__(self) -> None:
        self.docs = array("I")
        self.weights = array("f")
        self.values: list[bytes] = []  # empty when the field's format stores no values


_DOCS = attrgetter("docs")
_WEIGHTS = attrgetter("weights")
_VALUES = attrgetter("values")
# Runs an iterator of calls to the end, at C speed.
_exhaust: Callable[[Iterable[Any]], None] = deque(maxlen=0).extend


def _file_postings(table: defaultdict[bytes, _TermPostings], docnum: int, rows: FieldPostings) -> int:
    """Add one document's posting rows to a field's term table; returns the field length.

    ~4,000 postings an article pass through here: each column is filed by map() over C
    methods rather than a Python loop, several times faster.
    """
    if not rows.values:
        return rows.length
    entries = list(map(table.__getitem__, rows.terms.split(b"\n")))
    _exhaust(map(array.append, map(_DOCS, entries), repeat(docnum, len(entries))))
    _exhaust(map(array.append, map(_WEIGHTS, entries), rows.weights))
    _exhaust(map(list.append, map(_VALUES, entries), rows.values))
    return rows.length


class _TermPool:
    """Stands in for Whoosh's PostingPool: postings grouped by field and term, in memory.

    Memory is bounded by the caller: a bulk writer holds one chunk of articles.
    """

    def __init__(self) -> None:
        self.fields: dict[str, defaultdict[bytes, _TermPostings]] = {}
        self.fieldnames: set[str] = set()

    def terms(self, fieldname: str) -> defaultdict[bytes, _TermPostings]:
        """The term table of one field (created on first use)."""
        table = self.fields.get(fieldname)
        if table is None:
            table = self.fields[fieldname] = defaultdict(_TermPostings)
            self.fieldnames.add(fieldname)
        return table

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Whoosh's pool interface (used by add_document and merges)."""
        fieldname, btext, docnum, weight, vbytes = item
        entry = self.terms(fieldname)[btext]
        entry.docs.append(docnum)
        entry.weights.append(weight)
        if vbytes:
            entry.values.append(vbytes)

    def save(self) -> None:
        """Nothing to spill: everything stays in memory."""

    def cleanup(self) -> None:
        """Drop the postings."""
        self.fields.clear()


def _bulk_writer_class() -> type:
    """BulkSegmentWriter, defined on first use so importing this module stays cheap."""
    global _BULK_WRITER
    if _BULK_WRITER is not None:
        return _BULK_WRITER
    from whoosh.codec.whoosh3 import W3TermInfo
    from whoosh.writing import SegmentWriter

    if not hasattr(W3TermInfo, "set_inline"):
        # Whoosh's postings writer calls set_inline() when it inlines, a name W3TermInfo never
        # defined (its default limit never inlines, so nobody noticed); set_inlined() is it.
        W3TermInfo.set_inline = W3TermInfo.set_inlined

    class BulkSegmentWriter(SegmentWriter):  # type: ignore[misc]
        """A SegmentWriter that takes pre-analysed documents and writes postings a term at a time."""

        def __init__(self, ix: Any, **kwargs: Any) -> None:
            from whoosh.codec.whoosh3 import W3Codec

            super().__init__(ix, codec=W3Codec(inlinelimit=INLINE_POSTINGS), **kwargs)
            self.pool = _TermPool()
            self._arrays_file = b""

        def add_prepared(self, prepared: PreparedDoc) -> None:
            """Add one document whose text fields were analysed beforehand."""
            self._check_state()
            perdoc = self.perdocwriter
            schema = self.schema
            docnum = self.docnum
            pool = self.pool
            values = _whoosh_fields(prepared.doc)
            perdoc.start_doc(docnum)
            for fieldname in sorted(values):
                value = values[fieldname]
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    if fieldname in prepared.fields:
                        length = _file_postings(pool.terms(fieldname), docnum, prepared.fields[fieldname])
                        if not field.scorable:
                            length = 0
                    else:
                        for btext, freq, weight, vbytes in field.index(value):
                            if field.scorable:
                                length += freq
                            pool.add((fieldname, btext, docnum, weight, vbytes))
                perdoc.add_field(fieldname, field, value if field.stored else None, length)
                if field.column_type and value is not None:
                    perdoc.add_column_value(fieldname, field.column_type, field.to_column_value(value))
            perdoc.finish_doc()
            self._added = True
            self.docnum += 1

        def _flush_segment(self) -> None:
            self.perdocwriter.close()
            lengths_reader = self.per_document_reader() if self.codec.length_stats else None
            writer = self.fieldwriter
            terms = {
                name: [(btext, table[btext]) for btext in sorted(table)]
                for name, table in sorted(self.pool.fields.items())
                if table
            }
            for fieldname, entries in terms.items():
                writer.start_field(fieldname, self.schema[fieldname])
                lengths = _field_lengths(lengths_reader, fieldname)
                for btext, entry in entries:
                    _write_term(writer, btext, entry, lengths)
                writer.finish_field()
            writer.close()
            if lengths_reader is not None:
                lengths_reader.close()
            self._arrays_file = self._posting_arrays(terms)

        def _posting_arrays(self, terms: dict[str, list[tuple[bytes, _TermPostings]]]) -> bytes:
            """The segment's postings as flat arrays too (see bulletin.index.posting_arrays)."""
            from bulletin.index import posting_arrays

            fields = {name: entries for name, entries in terms.items() if name in _ARRAY_FIELDS}
            with_positions = {name for name in fields if self.schema[name].format.supports("positions")}
            return posting_arrays.encode_segment(fields, with_positions)

        def _assemble_segment(self) -> None:
            # The arrays file goes beside the compound file, written after it: inside, its
            # arrays would lose their alignment.
            super()._assemble_segment()
            if self._arrays_file:
                from bulletin.index.posting_arrays import EXTENSION

                handle = self.storage.create_file(self.newsegment.make_filename(EXTENSION))
                handle.write(self._arrays_file)
                handle.close()
                self._arrays_file = b""

    _BULK_WRITER = BulkSegmentWriter
    return BulkSegmentWriter


_BULK_WRITER: type | None = None

# Terms with fewer postings than this in a segment keep them in the term's own entry
# (Whoosh's "inlined" postings) instead of a block in the postings file: most bigrams of a
# segment occur in a few documents, and a block costs a header, a pickle and bookkeeping.
INLINE_POSTINGS = 8


MERGE_DOCS = 2000


def _merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: fold the smallest segments, up to MERGE_DOCS articles in all, into
    the new one (a merge holds its postings in memory, so it stays bounded however many
    small segments a bulk load of 100k articles left)."""
    from whoosh.reading import SegmentReader

    chosen: list[Any] = []
    total = 0
    for segment in sorted(segments, key=lambda s: s.doc_count_all()):
        size = segment.doc_count_all()
        if size >= MERGE_DOCS or total + size > MERGE_DOCS:
            break
        chosen.append(segment)
        total += size
    if len(chosen) < 2:
        return segments
    for segment in sorted(chosen, key=segments.index):  # keep the documents' order
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in chosen]


def _field_lengths(reader: Any, fieldname: str) -> list[int]:
    """Each doc's field length as the codec reads it back (quantised to a byte; 0 = none)."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import byte_to_length

    if reader is None:
        return []
    column = reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return []
    table = [0] + [byte_to_length(b) for b in range(1, 256)]
    return [table[b] for b in column]


# Blocks with fewer postings are written uncompressed (each block records its own level):
# zlib's set-up dominates on a few dozen bytes, saving little space and costing a tenth of
# an import, and reading them back skips a decompression.
COMPRESS_MIN_POSTINGS = 16


def _write_term(writer: Any, btext: bytes, entry: _TermPostings, lengths: list[int]) -> None:
    """Write one term's postings in blocks, as W3FieldWriter.add() would one by one."""
    writer.start_term(btext)
    postings = writer._postwriter
    limit = postings._blocklimit
    docs, weights, values = entry.docs, entry.weights, entry.values
    total = len(docs)
    has_values = len(values) == total
    length_of = lengths.__getitem__
    for start in range(0, total, limit):
        end = start + limit
        block_docs = docs[start:end]
        postings._ids = block_docs
        postings._weights = weights[start:end]
        # A format without values (the id field) still needs one empty value a posting when the
        # postings are inlined: Whoosh's merge reads them back and requires bytes.
        postings._values = values[start:end] if has_values else [b""] * len(block_docs)
        found = list(filter(None, map(length_of, block_docs))) if lengths else []
        postings._minlength = min(found) if found else None
        postings._maxlength = max(found) if found else 0
        postings._maxweight = max(0, max(postings._weights))
        postings._compression = _COMPRESSION if len(block_docs) >= COMPRESS_MIN_POSTINGS else 0
        if end < total:
            postings._write_block()
    writer.finish_term()


_COMPRESSION = 3  # Whoosh's default level for postings blocks
