"""The import flow, in one direction: inputs → worker extraction → learned cleaning → store → groups → index.

Inputs go in batches: while worker processes extract batches k+1 and k+2, this process
commits batch k — SQLite first (the truth), then the index. An "added" event is yielded only
after both commits, so an interrupted run loses at most the batches in flight (never
reported), and a re-run skips what is already in.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bulletin.archive import grouping
from bulletin.archive.indexdoc import to_index_doc
from bulletin.archive.learned import LearnedCleaning
from bulletin.archive.store import Store
from bulletin.errors import ArchiveError, InputError
from bulletin.index import IndexBackend, IndexDoc, PreparedDoc
from bulletin.models import Article
from bulletin.models import article_id as id_from_sha
from bulletin.readers import RawInput

if TYPE_CHECKING:
    from bulletin.pipeline import WorkerProducts

T = TypeVar("T")

# Articles per SQLite transaction and index commit: an interrupted import loses at most one
# chunk. Each commit writes one index segment, and Whoosh pays per distinct term a segment,
# so bigger chunks make a smaller index (10,000 benchmark articles: 4.06x the input with
# 1,000 a chunk, 3.65x with 2,000) and search faster (fewer segments); the writer holds one
# chunk's postings in memory (its peak grows by about 200 MB per 1,000 articles).
CHUNK = 2000

Pending = tuple[Article, bytes, "WorkerProducts"]


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


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Importer:
    """Files extracted articles into a store and its index; the caller holds the writer lock."""

    def __init__(self, folder: Path, store: Store, learned: LearnedCleaning) -> None:
        self.folder = folder
        self.store = store
        self.learned = learned

    def run(
        self,
        index: IndexBackend,
        inputs: Iterable[RawInput | InputError],
        *,
        now: datetime | None,
        jobs: int | None,
        stop: Callable[[], bool] | None,
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[ImportEvent]:
        """Extract and archive each input; yields one event per input as it is settled.

        `progress(n)`: n more inputs were passed over as known or extracted (before their commit).
        """
        from bulletin.pipeline import AHEAD, Extractor, batched  # multiprocessing: only when importing

        stopping = stop if stop is not None else (lambda: False)
        seen: dict[str, str] = {}
        with Extractor(jobs=jobs, now=now, prepare=True) as extractor:
            in_flight: deque[tuple[list[RawInput], Any]] = deque()
            stopped = False
            for batch in batched(iter(inputs), CHUNK):
                if stopping():
                    stopped = True
                    break
                fresh: list[RawInput] = []
                for item in batch:
                    event = self._triage(item, seen)
                    if event is None:
                        fresh.append(item)
                    else:
                        if progress is not None:
                            progress(1)
                        yield event
                if not fresh:
                    continue
                in_flight.append((fresh, extractor.submit(fresh, expect_more=len(batch) == CHUNK)))
                if len(in_flight) > AHEAD:
                    yield from self._settle(index, *in_flight.popleft(), stop=stop, progress=progress)
                if stopping():
                    stopped = True
                    break
            # A Ctrl-C while the last chunk was settling must not start settling another.
            if stopped or stopping():
                # Interrupted: drop the batches still being extracted (never reported, so
                # nothing promised is lost) rather than make the user wait for them.
                extractor.close(abort=True)
            else:
                while in_flight:
                    yield from self._settle(index, *in_flight.popleft(), stop=stop, progress=progress)
                    if stopping():
                        stopped = True
                        extractor.close(abort=True)
                        break
        if not stopped and not stopping():
            index.maintain(merge=False)

    def add_articles(self, index: IndexBackend, items: Iterable[tuple[Article, bytes]]) -> int:
        """Archive already-extracted articles with their originals; returns how many were added."""
        from bulletin.pipeline import batched, with_products

        added = 0
        for batch in batched(with_products(self._not_archived(items), chunk=CHUNK), CHUNK):
            added += sum(1 for _ in self._commit(index, list(batch)))
        index.maintain()
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
        self,
        index: IndexBackend,
        batch: list[RawInput],
        pending: Any,
        stop: Callable[[], bool] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[ImportEvent]:
        outcomes = pending.get(stop, progress)
        del pending  # its results are `outcomes` now: nothing else may keep the chunk alive
        if outcomes is None:  # interrupted while the chunk was being extracted: drop it
            return
        stamp = now_iso()
        ready: list[Pending] = []
        failed: list[ImportEvent] = []
        for raw, (article, reason, prepared) in zip(batch, outcomes, strict=True):
            if article is None:
                failed.append(ImportEvent(raw.origin, "failed", reason=reason))
            else:
                ready.append((article.with_changes(imported_at=stamp), raw.data, prepared))
        del batch, outcomes
        yield from failed
        if ready:
            yield from self._commit(index, ready, stop)

    def _commit(
        self, index: IndexBackend, pending: list[Pending], stop: Callable[[], bool] | None = None
    ) -> Iterator[ImportEvent]:
        """Clean, store, group, then index a chunk (consuming `pending`); the worker's products
        save analysing and compressing here.

        A `stop()` that turns true before the database commit rolls the chunk back (none of it
        was reported) so Ctrl-C is prompt; after it, the chunk is indexed and reported.
        """
        try:
            docs: list[PreparedDoc | IndexDoc] = []
            with self.store.transaction():
                cleaned = self.learned.apply_all(article for article, _raw, _made in pending)
                for article, (extracted, raw, made) in zip(cleaned, pending, strict=True):
                    if stop is not None and stop():
                        raise _Stopped
                    self.store.add(article, raw, packed=made.packed)
                    docs.append(self._entry(article, made, changed=article is not extracted))
            added = [
                ImportEvent(a.origin, "added", article_id=a.id, title=a.title) for a, _raw, _made in pending
            ]
            # A chunk's analyses are ~100 MB: each goes as soon as the index writer has filed it.
            pending.clear()
            index.add_batch(_drained(docs))
        except _Stopped:
            return
        except OSError as exc:
            raise ArchiveError(
                f"{self.folder}: cannot write the archive ({exc.strerror or exc}); free disk space or fix "
                "permissions, then run the import again (finished articles are kept)"
            ) from None
        yield from added

    def _entry(self, article: Article, made: WorkerProducts, *, changed: bool) -> PreparedDoc | IndexDoc:
        """Join a just-stored article to its near-duplicate group; its index document.

        When learned cleaning changed the text, the worker sketched and analysed the old one, so
        both are redone here from the text as stored.
        """
        if changed:
            group = grouping.place(self.store, article, grouping.anchors_of(article.text))
            return to_index_doc(article, group)
        group = grouping.place(self.store, article, made.anchors)
        if group == article.id:
            return made.doc
        return replace(made.doc, doc=replace(made.doc.doc, group=group))


def _drained(items: list[T]) -> Iterator[T]:
    """The items in order, each dropped from the list as it is taken (the list ends empty)."""
    items.reverse()
    while items:
        yield items.pop()
