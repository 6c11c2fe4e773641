"""The library's front door: an Archive that imports, searches, shows and checks articles.

A thin facade: each job is done by a module of its own (importer, grouping, learned, health,
stats, digest, store, locking); this class owns the folder, the store and the live index.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bulletin import search as search_mod
from bulletin.archive import grouping, health
from bulletin.archive.digest import Gist, digest_of, gist_of
from bulletin.archive.importer import Importer, ImportEvent
from bulletin.archive.indexdoc import to_index_doc
from bulletin.archive.layout import DB_NAME, DEFAULT_WAIT, INDEX_DIR, LOCK_NAME
from bulletin.archive.learned import LearnedCleaning
from bulletin.archive.locking import folder_is_writable, writer_lock
from bulletin.archive.stats import ArchiveStats, archive_stats
from bulletin.archive.store import Store
from bulletin.errors import ArchiveError, BulletinError, InputError
from bulletin.index import IndexBackend, IndexUnusable, create_index, index_exists, open_index, rebuild_index
from bulletin.models import Article
from bulletin.readers import RawInput
from bulletin.results import ShownArticle
from bulletin.search import SearchRequest, SearchResult
from bulletin.summary_defaults import DIGEST_SAMPLE, KEYWORD_COUNT, SUMMARY_LENGTH

if TYPE_CHECKING:
    from bulletin.keywords import IdfTable
    from bulletin.summarize import Digest

T = TypeVar("T")


@dataclass(frozen=True)
class DuplicateGroup:
    """Near-duplicates of one bulletin: the first archived member's id and every member."""

    group_id: str
    members: list[Article]


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
        # A folder this process cannot write (a DVD, a shared drive) is opened for reading only:
        # SQLite read-only, no index maintenance; writing commands say why they cannot run.
        self.readonly = db_path.exists() and not folder_is_writable(folder)
        self.store = Store(db_path, readonly=self.readonly)
        self._index: IndexBackend | None = None
        self._importer = Importer(folder, self.store, LearnedCleaning(self.store))
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
    def index(self) -> IndexBackend:
        """The live index, rebuilt from the store when it is missing or unusable."""
        if self._index is None:
            try:
                self._index = open_index(self.index_root)
            except IndexUnusable as exc:
                if self.readonly:
                    raise ArchiveError(
                        f"{self.folder}: the archive is read-only and its search index needs rebuilding "
                        f"({exc}); copy the archive somewhere writable and run `bulletin reindex` there"
                    ) from None
                if self.store.count() == 0 and not index_exists(self.index_root):
                    self._index = create_index(self.index_root)
                else:
                    self.notices.append(f"{exc}; rebuilding it from the archive database")
                    self._index = self._rebuild_index()
        return self._index

    def _rebuild_index(self, progress: Callable[[int, int], None] | None = None) -> IndexBackend:
        with writer_lock(self.folder / LOCK_NAME, wait=60.0):
            return self._rebuild_index_locked(progress)

    def _rebuild_index_locked(self, progress: Callable[[int, int], None] | None = None) -> IndexBackend:
        from bulletin.pipeline import analysed  # multiprocessing: only when rebuilding

        groups = self.store.group_map()

        def left_out(_article_id: str, message: str) -> None:
            self.notices.append(f"{message}; the article is left out of the index")

        articles = self.store.iter_articles(on_damaged=left_out)
        docs = (to_index_doc(a, groups.get(a.id, "")) for a in articles)
        analysed_docs = analysed(docs)
        if progress is not None:
            analysed_docs = _counted(analysed_docs, self.store.count(), progress)
        index = rebuild_index(self.index_root, analysed_docs)
        index.maintain()
        return index

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild the index from SQLite alone; the old index serves until the switch.

        `progress(done, total)` hears of each article as the index writer takes it.
        """
        self._index = self._rebuild_index(progress)
        return self._index.doc_count()

    def _ready_index(self) -> IndexBackend:
        """The index, level with the store and with every article fingerprinted (writer lock held)."""
        if grouping.fingerprint_missing(self.store):
            self._index = self._rebuild_index_locked()
        index = self.index
        health.sync_index(self.store, index)
        return index

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
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[ImportEvent]:
        """Extract and archive each input; yields one event per input as it is settled.

        An "added" event comes only after the database and index commits (bulletin.archive.importer);
        `progress(n)` hears of n more inputs extracted or passed over, ahead of their events.
        """
        try:
            with writer_lock(self.folder / LOCK_NAME, wait=wait, on_wait=on_wait):
                index = self._ready_index()
                yield from self._importer.run(index, inputs, now=now, jobs=jobs, stop=stop, progress=progress)
        except (sqlite3.OperationalError, OSError) as exc:  # a full or read-only disk, mostly
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ArchiveError(
                f"{self.folder}: cannot write the archive ({detail}); free disk space or fix permissions, "
                "then run the import again (what was reported as added is kept)"
            ) from None

    def add_articles(self, items: Iterable[tuple[Article, bytes]], *, wait: float = DEFAULT_WAIT) -> int:
        """Archive already-extracted articles with their original bytes (bulk loads, tests).

        Articles whose original is already archived are skipped; returns how many were added.
        """
        with writer_lock(self.folder / LOCK_NAME, wait=wait):
            return self._importer.add_articles(self._ready_index(), items)

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
        try:
            idf: IdfTable | None = self.idf([article.text])
        except ArchiveError:
            if not self.readonly:
                raise
            # A read-only archive whose index cannot be used still shows its articles.
            self.notices.append("the search index cannot be used here: keywords weighed by jieba's table")
            idf = None
        return gist_of(article, length=length, keywords=keywords, idf=idf)

    def digest(self, request: SearchRequest, *, sample: int = DIGEST_SAMPLE) -> Digest:
        """What a result set says: counts over every hit, keywords and summary from the top `sample`."""
        return digest_of(self, request, sample=sample)

    def stats(self) -> ArchiveStats:
        """Counts, dates, sources (all of them), months, duplicate groups and sizes."""
        return archive_stats(self.folder, self.store, self.index)

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
                index.delete(full)
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
        return health.problems(self.store, self.index_root)

    def repair_index(self) -> int:
        """Make the index hold every stored article exactly once; returns changes made."""
        return health.repair_index(self.store, self.index)


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


def _counted(items: Iterable[T], total: int, progress: Callable[[int, int], None]) -> Iterator[T]:
    """The items, telling `progress(done, total)` as each is taken."""
    for done, item in enumerate(items, 1):
        yield item
        progress(done, total)
