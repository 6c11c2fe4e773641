"""The library's front door: an Archive that imports, searches, shows and checks articles."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin import search as search_mod
from bulletin.datekeys import date_key
from bulletin.errors import ArchiveError, BulletinError, InputError
from bulletin.index import IndexDoc, IndexUnusable, PreparedDoc, SearchIndex
from bulletin.locking import writer_lock
from bulletin.models import Article
from bulletin.models import article_id as id_from_sha
from bulletin.readers import RawInput
from bulletin.results import ShownArticle
from bulletin.search import SearchRequest, SearchResult
from bulletin.store import Store
from bulletin.summary_defaults import DIGEST_SAMPLE, KEYWORD_COUNT, SUMMARY_LENGTH

if TYPE_CHECKING:
    from bulletin.extract.learned import LineMemory
    from bulletin.keywords import IdfTable
    from bulletin.pipeline import WorkerProducts
    from bulletin.summarize import Digest

DB_NAME = "archive.sqlite"
INDEX_DIR = "index"
LOCK_NAME = "write.lock"
DEFAULT_WAIT = 5.0
# Articles per SQLite transaction and index commit: an interrupted import loses at most one
# chunk. Each commit writes one index segment, and Whoosh's cost per term per segment is high,
# so bigger chunks import faster and search faster (fewer segments); the writer holds one
# chunk's postings in memory (~60 MB per 500 articles of 2.5 KB).
CHUNK = 1000


class _Stopped(Exception):
    """An import was asked to stop in the middle of storing a chunk (rolled back)."""


@dataclass(frozen=True)
class ImportEvent:
    """What happened to one input: added, unchanged or failed (with a reason)."""

    origin: str
    status: str
    article_id: str | None = None
    title: str | None = None
    reason: str | None = None


@dataclass
class ImportReport:
    """Tallies of an import run."""

    added: int = 0
    unchanged: int = 0
    failed: int = 0
    events: list[ImportEvent] = field(default_factory=list)

    def record(self, event: ImportEvent) -> None:
        """Count one event."""
        if event.status == "added":
            self.added += 1
        elif event.status == "unchanged":
            self.unchanged += 1
        else:
            self.failed += 1


@dataclass(frozen=True)
class ArchiveStats:
    """What `bulletin stats` reports."""

    path: str
    articles: int
    first_date: str | None
    last_date: str | None
    undated: int
    top_sources: list[tuple[str, int]]
    originals_bytes: int
    disk_bytes: int
    index_documents: int
    months: list[tuple[str, int]]
    duplicate_groups: int
    duplicate_articles: int
    database_bytes: int
    index_bytes: int


@dataclass(frozen=True)
class DuplicateGroup:
    """Near-duplicates of one bulletin: the first archived member's id and every member."""

    group_id: str
    members: list[Article]


def to_index_doc(article: Article, group: str = "") -> IndexDoc:
    """The indexed form of an article (`group`: its near-duplicate group, if not its own)."""
    names = list(article.authors) + [c.name for c in article.credits if c.name not in article.authors]
    return IndexDoc(
        id=article.id,
        title=article.title or "",
        text=article.text,
        source=article.source or "",
        author=" ".join(names),
        tag=" ".join(article.tags),
        site=article.site or "",
        date_key=date_key(article.date),
        group=group if group != article.id else "",
    )


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Archive:
    """An archive folder: SQLite store (truth) plus a derived Whoosh index."""

    def __init__(self, folder: Path, *, create: bool = False) -> None:
        self.folder = folder
        db_path = folder / DB_NAME
        if not db_path.exists():
            if not create:
                raise ArchiveError(
                    f"{folder}: no archive here yet; import something first (`bulletin import PATH`) "
                    "or point --archive / $BULLETIN_ARCHIVE at an existing one"
                )
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ArchiveError(
                    f"{folder}: cannot create the archive folder ({exc.strerror}); choose another --archive"
                ) from None
        self.store = Store(db_path)
        self._index: SearchIndex | None = None
        self._lines: LineMemory | None = None
        self.notices: list[str] = []

    def close(self) -> None:
        """Release the database connection and index files."""
        if self._index is not None:
            self._index.close()
        self.store.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the index -------------------------------------------------------------------

    @property
    def index_root(self) -> Path:
        """Folder holding the index generations."""
        return self.folder / INDEX_DIR

    @property
    def index(self) -> SearchIndex:
        """The live index, rebuilt from the store when it is missing or unusable."""
        if self._index is None:
            try:
                self._index = SearchIndex.open(self.index_root)
            except IndexUnusable as exc:
                if self.store.count() == 0 and not (self.index_root / "CURRENT").exists():
                    self._index = SearchIndex.create(self.index_root)
                else:
                    self.notices.append(f"{exc}; rebuilding it from the archive database")
                    self._index = self._rebuild_index()
        return self._index

    def _rebuild_index(self) -> SearchIndex:
        with writer_lock(self.folder / LOCK_NAME, wait=60.0):
            return self._rebuild_index_locked()

    def _rebuild_index_locked(self) -> SearchIndex:
        from bulletin.pipeline import analysed  # multiprocessing: only when rebuilding

        groups = self.store.group_map()
        docs = (to_index_doc(a, groups.get(a.id, "")) for a in self.store.iter_articles())
        index = SearchIndex.rebuild(self.index_root, analysed(docs))
        index.optimize()
        return index

    def reindex(self) -> int:
        """Rebuild the index from SQLite alone; the old index serves until the switch."""
        self._index = self._rebuild_index()
        return self._index.doc_count()

    # -- importing -------------------------------------------------------------------

    def import_inputs(
        self,
        inputs: Iterable[RawInput | InputError],
        *,
        wait: float = DEFAULT_WAIT,
        on_wait: Callable[[], None] | None = None,
        now: datetime | None = None,
        jobs: int | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> Iterator[ImportEvent]:
        """Extract and archive each input; yields one event per input as it is settled.

        Inputs go in batches: while worker processes extract batch k+1, this process
        commits batch k — SQLite first (the truth), then the index. An "added" event is
        yielded only after both commits, so an interrupted run loses at most the batch
        in flight, and a re-run skips what is already in.
        """
        try:
            yield from self._import_all(inputs, wait=wait, on_wait=on_wait, now=now, jobs=jobs, stop=stop)
        except (sqlite3.OperationalError, OSError) as exc:  # a full or read-only disk, mostly
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ArchiveError(
                f"{self.folder}: cannot write the archive ({detail}); free disk space or fix permissions, "
                "then run the import again (what was reported as added is kept)"
            ) from None

    def _import_all(
        self,
        inputs: Iterable[RawInput | InputError],
        *,
        wait: float,
        on_wait: Callable[[], None] | None,
        now: datetime | None,
        jobs: int | None,
        stop: Callable[[], bool] | None,
    ) -> Iterator[ImportEvent]:
        from bulletin.pipeline import Extractor, batched  # multiprocessing: only when importing

        with writer_lock(self.folder / LOCK_NAME, wait=wait, on_wait=on_wait):
            index = self._ready_index()
            seen: dict[str, str] = {}
            with Extractor(jobs=jobs, now=now, prepare=True) as extractor:
                previous: tuple[list[RawInput], Any] | None = None
                stream = iter(inputs)
                stopped = False
                for batch in batched(stream, CHUNK):
                    if stop is not None and stop():
                        stopped = True
                        break
                    fresh: list[RawInput] = []
                    for item in batch:
                        event = self._triage(item, seen)
                        if event is None:
                            fresh.append(item)
                        else:
                            yield event
                    if not fresh:
                        continue
                    pending = extractor.submit(fresh, expect_more=len(batch) == CHUNK)
                    if previous is not None:
                        yield from self._settle(index, *previous, stop=stop)
                    previous = (fresh, pending)
                    if stop is not None and stop():
                        stopped = True
                        break
                # A Ctrl-C while the last chunk was settling must not start settling another.
                if stopped or (stop is not None and stop()):
                    # Interrupted: drop the batch still being extracted (never reported, so
                    # nothing promised is lost) rather than make the user wait for it.
                    extractor.close(abort=True)
                elif previous is not None:
                    yield from self._settle(index, *previous, stop=stop)
            if not stopped and not (stop is not None and stop()):
                index.compact_arrays()

    def add_articles(self, items: Iterable[tuple[Article, bytes]], *, wait: float = DEFAULT_WAIT) -> int:
        """Archive already-extracted articles with their original bytes (bulk loads, tests).

        Articles whose original is already archived are skipped; returns how many were added.
        """
        from bulletin.pipeline import batched, with_products

        added = 0
        with writer_lock(self.folder / LOCK_NAME, wait=wait):
            index = self._ready_index()
            for batch in batched(with_products(self._not_archived(items), chunk=CHUNK), CHUNK):
                fresh: list[tuple[Article, bytes, WorkerProducts | None]] = list(batch)
                added += sum(1 for _ in self._commit(index, fresh))
            index.optimize()
        return added

    def _not_archived(self, items: Iterable[tuple[Article, bytes]]) -> Iterator[tuple[Article, bytes]]:
        """Items whose original is neither archived nor earlier in `items` (workers run a chunk
        ahead of the commits, so the store alone cannot tell)."""
        seen: set[str] = set()
        for article, raw in items:
            if article.sha256 not in seen and self.store.id_for_sha(article.sha256) is None:
                seen.add(article.sha256)
                yield article, raw

    def _triage(self, item: RawInput | InputError, seen: dict[str, str]) -> ImportEvent | None:
        """An event for inputs settled without extraction (failed or unchanged), else None."""
        if isinstance(item, InputError):
            return ImportEvent(item.origin, "failed", reason=item.reason)
        sha = hashlib.sha256(item.data).hexdigest()
        existing = self.store.id_for_sha(sha) or seen.get(sha)
        if existing is not None:
            self.store.add_origin(existing, item.origin, now_iso())
            return ImportEvent(item.origin, "unchanged", article_id=existing)
        seen[sha] = id_from_sha(sha)  # a duplicate later in this run is "unchanged"
        return None

    def _settle(
        self, index: SearchIndex, batch: list[RawInput], pending: Any, stop: Callable[[], bool] | None = None
    ) -> Iterator[ImportEvent]:
        outcomes = pending.get(stop)
        if outcomes is None:  # interrupted while the chunk was being extracted: drop it
            return
        stamp = now_iso()
        ready: list[tuple[Article, bytes, WorkerProducts | None]] = []
        for raw, (article, reason, prepared) in zip(batch, outcomes, strict=True):
            if article is None:
                yield ImportEvent(raw.origin, "failed", reason=reason)
            else:
                ready.append((article.with_changes(imported_at=stamp), raw.data, prepared))
        if ready:
            yield from self._commit(index, ready, stop)

    def _commit(
        self,
        index: SearchIndex,
        pending: list[tuple[Article, bytes, WorkerProducts | None]],
        stop: Callable[[], bool] | None = None,
    ) -> Iterator[ImportEvent]:
        """Store then index a chunk; `prepared` (from a worker) saves analysing and compressing here.

        A `stop()` that turns true before the database commit rolls the chunk back (none of it
        was reported) so Ctrl-C is prompt; after it, the chunk is indexed and reported.
        """
        try:
            docs: list[PreparedDoc | IndexDoc] = []
            with self.store.transaction():
                for article, raw, prepared in pending:
                    if stop is not None and stop():
                        raise _Stopped
                    packed = None if prepared is None else prepared.packed
                    cleaned = self._strip_learned(article)
                    if cleaned is not article:
                        article, prepared = cleaned, None  # the worker analysed the old text
                    self.store.add(article, raw, packed=packed)
                    if prepared is None:
                        group = self._place_in_group(article)
                        docs.append(to_index_doc(article, group))
                        continue
                    group = self._group_by_anchors(article, prepared.anchors)
                    analysed = prepared.doc
                    if group != article.id:
                        analysed = replace(analysed, doc=replace(analysed.doc, group=group))
                    docs.append(analysed)
            index.add_batch(docs)
        except _Stopped:
            return
        except OSError as exc:
            raise ArchiveError(
                f"{self.folder}: cannot write the archive ({exc.strerror or exc}); free disk space or fix "
                "permissions, then run the import again (finished articles are kept)"
            ) from None
        for article, _raw, _prepared in pending:
            yield ImportEvent(article.origin, "added", article_id=article.id, title=article.title)

    def _strip_learned(self, article: Article) -> Article:
        """The article without lines its site repeats in article after article (learned here).

        Only the archive sees a site's own furniture (a fixed disclaimer, a slogan under every
        post) often enough to learn it; the line is removed from articles archived after it is
        learned (bulletin.extract.learned has the thresholds).
        """
        if not article.site or not article.text:
            return article
        if self._lines is None:
            from bulletin.extract.learned import LineMemory

            self._lines = LineMemory(self.store.connection)
        self._lines.observe(article.site, article.text)
        cleaned = self._lines.strip(article.site, article.text)
        return article if cleaned == article.text else article.with_changes(text=cleaned)

    def _place_in_group(self, article: Article) -> str:
        """Fingerprint a newly stored article and return its near-duplicate group id."""
        from bulletin.neardup import anchors_of

        return self._group_by_anchors(article, anchors_of(article.text))

    def _group_by_anchors(self, article: Article, anchors: tuple[int, ...] | None) -> str:
        """Record a stored article's anchors (None: too short to compare) and return its group id.

        The shingle set is built only when some archived article shares enough anchors.
        """
        from bulletin.neardup import MIN_SHARED_ANCHORS, best_match, shingles

        if not anchors:
            return article.id
        candidates = self.store.anchor_candidates(anchors, exclude=article.id, min_shared=MIN_SHARED_ANCHORS)
        self.store.add_anchors(article.id, anchors)
        match = best_match(shingles(article.text), candidates) if candidates else None
        if match is None:
            return article.id
        group = self.store.group_of(match)
        self.store.join_group(article.id, group)
        return group

    def _ready_index(self) -> SearchIndex:
        """The index, level with the store and with every article fingerprinted (writer lock held)."""
        missing = self.store.missing_anchors()
        regrouped = False
        if missing:
            # Archives from before near-duplicate detection: fingerprint what is there, oldest first.
            with self.store.transaction():
                for start in range(0, len(missing), 500):
                    chunk = missing[start : start + 500]
                    records = self.store.get_many(chunk)
                    for article_id in chunk:
                        regrouped |= self._place_in_group(records[article_id]) != article_id
                self.store.set_meta("anchors", "complete")
        elif self.store.get_meta("anchors") is None:
            self.store.set_meta("anchors", "complete")
        if regrouped:
            self._index = self._rebuild_index_locked()
        index = self.index
        self._sync_index(index)
        return index

    def _sync_index(self, index: SearchIndex) -> None:
        """Bring the index level with the store after an interrupted run."""
        if index.doc_count() == self.store.count():
            return
        self.repair_index()

    # -- reading ---------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        """Hits for a request (QueryError when malformed)."""
        return search_mod.run(self.store, self.index, request)

    def count(self, request: SearchRequest) -> int:
        """Number of hits for a request."""
        return search_mod.count(self.store, self.index, request)

    def facet(self, request: SearchRequest, by: str) -> list[tuple[str, int]]:
        """Hit counts per source, year or month."""
        return search_mod.facet(self.index, request, by)

    def resolve(self, id_or_prefix: str) -> str:
        """The full id of an article (NotFoundError when unknown or ambiguous)."""
        return self.store.resolve(id_or_prefix)

    def get(self, id_or_prefix: str) -> Article:
        """One article by id or unique id prefix."""
        return self.store.get(self.store.resolve(id_or_prefix))

    def raw(self, id_or_prefix: str) -> bytes:
        """The original bytes of one article."""
        return self.store.raw(self.store.resolve(id_or_prefix))

    def origins(self, article_id: str) -> list[str]:
        """Every origin an article was imported from."""
        return self.store.origins(article_id)

    def similar(self, id_or_prefix: str, limit: int = 10) -> list[tuple[Article, float]]:
        """Articles most like the given one, best first."""
        article = self.get(id_or_prefix)
        scored = [
            (i, s)
            for i, s in self.index.similar(article.id, article.text, limit=limit + 1)
            if i != article.id
        ]
        records = self.store.get_many([i for i, _ in scored])
        return [(records[i], s) for i, s in scored[:limit] if i in records]

    def idf(self, texts: Iterable[str]) -> IdfTable:
        """Document frequencies, from this archive's index, of the candidate words of `texts`."""
        from bulletin.keywords import IdfTable, candidate_words

        words: set[str] = set()
        for text in texts:
            words.update(candidate_words(text))
        index = self.index
        return IdfTable(index.doc_count(), index.word_frequencies(words))

    def shown(
        self,
        id_or_prefix: str,
        *,
        gist: bool = True,
        length: int = SUMMARY_LENGTH,
        keywords: int = KEYWORD_COUNT,
    ) -> ShownArticle:
        """One article as `bulletin show` prints it: record, origins, summary and keywords (with `gist`)."""
        article = self.get(id_or_prefix)
        made = self.gist(article, length=length, keywords=keywords) if gist else None
        return ShownArticle(
            article,
            self.origins(article.id),
            summary=made.summary if made else None,
            keywords=made.keywords if made else None,
        )

    def gist(self, article: Article, *, length: int = SUMMARY_LENGTH, keywords: int = KEYWORD_COUNT) -> Gist:
        """Extractive summary and TF-IDF keywords of one archived article (IDF from the archive)."""
        return gist_of(article, length=length, keywords=keywords, idf=self.idf([article.text]))

    def digest(self, request: SearchRequest, *, sample: int = DIGEST_SAMPLE) -> Digest:
        """What a result set says: counts over every hit, keywords and summary from the top `sample`."""
        from bulletin.summarize import MonthCount, SourceCount, digest

        top = self.search(request.with_page(limit=sample, offset=0))
        articles = [hit.article for hit in top.hits]
        result = digest(articles, idf=self.idf(a.text for a in articles))
        months = dict(self.facet(request.with_page(limit=None, offset=0), "month"))
        # Keys are "YYYY-MM", or "YYYY" (known to the year only) and "undated": neither can be charted.
        dated = sorted((k, n) for k, n in months.items() if len(k) == 7 and k[4] == "-")
        undated = sum(months.values()) - sum(n for _, n in dated)
        timeline = [MonthCount(month, count) for month, count in _fill_months(dated)]
        sources = [
            SourceCount(source, count)
            for source, count in self.facet(request.with_page(limit=None, offset=0), "source")[:10]
        ]
        return replace(
            result, count=top.total, timeline=tuple(timeline), undated=undated, sources=tuple(sources)
        )

    def stats(self) -> ArchiveStats:
        """Counts, dates, sources (all of them), months, duplicate groups and sizes."""
        base = self.store.stats(top=-1)
        disk = sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())
        database = sum(
            p.stat().st_size for p in self.folder.glob(DB_NAME + "*") if p.is_file()
        )  # with the WAL and its index
        index = self.index
        return ArchiveStats(
            path=str(self.folder),
            articles=base.articles,
            first_date=base.first_date,
            last_date=base.last_date,
            undated=base.undated,
            top_sources=base.top_sources,
            originals_bytes=base.raw_bytes,
            disk_bytes=disk,
            index_documents=index.doc_count(),
            months=base.months,
            duplicate_groups=base.duplicate_groups,
            duplicate_articles=base.duplicate_articles,
            database_bytes=database,
            index_bytes=index.size_bytes(),
        )

    # -- exporting and managing --------------------------------------------------------

    def matching_ids(self, request: SearchRequest) -> list[str]:
        """Ids of every article a request matches (near-duplicates included), in its order."""
        every = replace(request, limit=None, offset=0, all_copies=True)
        prepared = search_mod.plan(every)
        page = self.index.search(prepared.node, filters=prepared.filters, sort=every.sort, limit=None)
        return [article_id for article_id, _ in page.hits]

    def iter_articles(self, request: SearchRequest | None = None, *, batch: int = 500) -> Iterator[Article]:
        """Every article (import order), or every match of a request (its order), streamed."""
        if request is None:
            yield from self.store.iter_articles(batch)
            return
        ids = self.matching_ids(request)
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            records = self.store.get_many(chunk)
            yield from (records[i] for i in chunk if i in records)

    def delete(self, ids: Iterable[str], *, wait: float = DEFAULT_WAIT) -> list[str]:
        """Remove articles (ids or unique prefixes) from the database and the index; returns full ids.

        The database goes first: if the index step is interrupted, the next import or
        `check --repair` removes the orphaned index entries.
        """
        full = list(dict.fromkeys(self.resolve(i) for i in ids))
        if not full:
            return []
        with writer_lock(self.folder / LOCK_NAME, wait=wait):
            index = self.index
            try:
                with self.store.transaction():
                    self.store.delete(full)
                with index.writer() as writer:
                    for article_id in full:
                        writer.delete(article_id)
            except OSError as exc:
                raise ArchiveError(
                    f"{self.folder}: cannot write the archive ({exc.strerror or exc}); free disk space "
                    "or fix permissions, then run `bulletin check --repair`"
                ) from None
        return full

    def duplicate_groups(self) -> Iterator[DuplicateGroup]:
        """Groups of near-duplicate articles, largest first."""
        groups = sorted(self.store.duplicate_groups(), key=lambda g: (-len(g[1]), g[0]))
        for group_id, members in groups:
            records = self.store.get_many(members)
            yield DuplicateGroup(group_id, [records[i] for i in members if i in records])

    # -- integrity -------------------------------------------------------------------

    def check(self) -> list[str]:
        """Problems found: SQLite integrity, index drift, originals that fail their hash."""
        problems = [f"database: {p}" for p in self.store.integrity_problems()]
        stored = set(self.store.ids())
        try:
            indexed = SearchIndex.open(self.index_root).all_ids()
        except IndexUnusable as exc:
            return [*problems, f"index: {exc}"]
        seen: set[str] = set()
        for article_id in indexed:
            if article_id in seen:
                problems.append(f"index: article {article_id} is indexed more than once")
            seen.add(article_id)
            if article_id not in stored:
                problems.append(f"index: entry {article_id} has no article in the database")
        problems.extend(f"index: article {i} is not indexed" for i in sorted(stored - seen))
        for article_id, sha, raw in self.store.iter_raw():
            if hashlib.sha256(raw).hexdigest() != sha:
                problems.append(f"database: original of {article_id} does not match its SHA-256")
        return problems

    def repair_index(self) -> int:
        """Make the index hold every stored article exactly once; returns changes made."""
        index = self.index
        stored = set(self.store.ids())
        counts: dict[str, int] = {}
        for article_id in index.all_ids():
            counts[article_id] = counts.get(article_id, 0) + 1
        bad = {i for i, n in counts.items() if n > 1 or i not in stored}
        missing = [i for i in self.store.ids() if i not in counts or i in bad]
        if not bad and not missing:
            return 0
        with index.writer() as writer:
            for article_id in bad:
                writer.delete(article_id)
        batch: list[IndexDoc] = []
        for start in range(0, len(missing), 500):
            records = self.store.get_many(missing[start : start + 500])
            batch = [to_index_doc(records[i]) for i in missing[start : start + 500] if i in records]
            index.add_all(batch)
        return len(bad) + len(missing)


@dataclass(frozen=True)
class Gist:
    """An article's summary and keywords."""

    summary: str
    keywords: list[str]


def gist_of(
    article: Article,
    *,
    length: int = SUMMARY_LENGTH,
    keywords: int = KEYWORD_COUNT,
    idf: IdfTable | None = None,
) -> Gist:
    """Summary and keywords of an article; without `idf`, jieba's bundled table is used."""
    from bulletin.keywords import keywords as top_keywords
    from bulletin.summarize import summarize

    return Gist(
        summary=summarize(article.text, article.title, budget=length),
        keywords=top_keywords(article.text, keywords, idf=idf),
    )


def _fill_months(dated: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Month counts with the empty months between first and last added, so gaps show."""
    if not dated:
        return []
    counts = dict(dated)
    year, month = map(int, dated[0][0].split("-"))
    last = dated[-1][0]
    filled: list[tuple[str, int]] = []
    while True:
        key = f"{year:04d}-{month:02d}"
        filled.append((key, counts.get(key, 0)))
        if key >= last:
            return filled
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def open_archive(folder: Path, *, create: bool = False) -> Archive:
    """Open (or create) the archive in `folder`; ArchiveError when impossible."""
    try:
        return Archive(folder, create=create)
    except BulletinError:
        raise
    except OSError as exc:
        raise ArchiveError(
            f"{folder}: cannot open the archive ({exc.strerror or exc}); check the path"
        ) from None
