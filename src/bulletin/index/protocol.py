"""The one interface the rest of bulletin sees of a search index, and its neutral data types.

The index is derived from the SQLite store and can always be rebuilt from it: a backend
holds, per article, an `IndexDoc` and answers queries over them. Queries arrive as the
parsed tree of bulletin.query (`Node`); restrictions arrive as `Filters`, data rather than
query text, and each backend translates both into its own query language.

Writing a backend (bulletin.index.whoosh is the one in use; OpenSearch is the planned path
past one machine, and render/bulk export already writes its bulk format and mapping):

1. A class satisfying `IndexBackend` below, with classmethods or functions to open, create
   and rebuild an index under a root folder (raising `IndexUnusable` when the index there is
   missing, from another schema version or damaged: the archive then rebuilds it from the
   store). Every method's docstring is its contract; `tests/backend_contract.py` checks them
   (subclass `BackendContract` and provide `make_index`).
2. Search semantics: words match title or text (`field:` words their field) with CJK text
   matched by bigrams; `Filters.source/author/tag` match like a phrase in that field;
   dates are yyyymmdd integers (0 = undated); sorts are "relevance", "date", "-date"; with
   `collapse`, documents of one near-duplicate group (`IndexDoc.group`, empty = its own)
   count once and the page holds each group's best-ranked member.
3. A `PreparedDoc` is a document analysed ahead in a worker process for the Whoosh backend;
   a backend that does its own analysis indexes `prepared.doc` and ignores `fields`.
4. Wire it into the factories of bulletin.index (`open_index`, `create_index`,
   `rebuild_index`, `index_exists`): archive/ and cli/ only ever call those and this protocol.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from bulletin.errors import ArchiveError

if TYPE_CHECKING:
    from bulletin.query import Node

NOTHING_TO_SEARCH = "the query has no letters, digits or CJK characters to search for; add a word"


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
    time_key: int = 0  # seconds into the day + 1 (0 = no time): orders one day's articles


@dataclass(frozen=True)
class PreparedDoc:
    """An IndexDoc with its text fields already analysed (in a worker process)."""

    doc: IndexDoc
    fields: Mapping[str, Any]  # field name -> the backend's analysed form (FieldPostings for Whoosh)


@dataclass(frozen=True, kw_only=True)
class Filters:
    """Restrictions applied beside the query: field values (each matched like a phrase in that
    field; empty = any) and a date-key range (inclusive; None = open)."""

    source: str = ""
    author: str = ""
    tag: str = ""
    date_from: int | None = None
    date_to: int | None = None

    def fields(self) -> list[tuple[str, str]]:
        """The field restrictions that are set, as (field, value) in a fixed order."""
        pairs = (("source", self.source), ("author", self.author), ("tag", self.tag))
        return [(name, value) for name, value in pairs if value]

    def date_range(self) -> tuple[int, int] | None:
        """The inclusive date-key range, open ends filled; None when dates are unrestricted."""
        if self.date_from is None and self.date_to is None:
            return None
        lo = self.date_from if self.date_from is not None else 1
        hi = self.date_to if self.date_to is not None else 99_999_999
        return lo, hi


NO_FILTERS = Filters()


@dataclass(frozen=True)
class IndexHits:
    """One page of ids with scores, and the total number of matches."""

    total: int
    hits: list[tuple[str, float]]
    copies: dict[str, int] = dataclasses.field(default_factory=dict)  # id -> other matching group members


@dataclass(frozen=True)
class IndexState:
    """Which version of the index a handle serves, and which one is live on disk now."""

    generation: str  # the version this handle reads (a rebuild makes a new one)
    live_generation: str | None  # the version the index's root names live now; None if unreadable

    @property
    def stale(self) -> bool:
        """Whether another version went live since this handle opened (reopen to see it)."""
        return self.live_generation is not None and self.live_generation != self.generation


@dataclass(frozen=True)
class Capabilities:
    """What a backend offers beyond the protocol's common ground."""

    name: str  # e.g. "whoosh"
    engines: tuple[str, ...] = ()  # query engines one can choose between (besides "auto")
    prepared_docs: bool = False  # whether PreparedDoc.fields are used (else only .doc)


class IndexBackend(Protocol):
    """A search index over IndexDocs. Implementations must satisfy tests/backend_contract.py."""

    def add_all(self, docs: Iterable[IndexDoc | PreparedDoc], *, batch: int = 2000) -> int:
        """Add new documents (ids the index does not hold), committing every `batch`; returns
        how many were added."""
        ...

    def add_batch(self, docs: Iterable[IndexDoc | PreparedDoc]) -> None:
        """Add new documents in one commit (taking them one at a time)."""
        ...

    def delete(self, article_ids: Iterable[str]) -> None:
        """Remove documents by article id (ids not held are ignored), in one commit."""
        ...

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
        """One page (`offset`, `limit`; None = all) of ids and scores, best first (or by date),
        plus the total number of matches. QueryError when nothing in `node` is searchable."""
        ...

    def count(self, node: Node, *, filters: Filters = NO_FILTERS, collapse: bool = False) -> int:
        """The number of matches (groups, with `collapse`), as search's total."""
        ...

    def facet(self, node: Node, field: str, *, filters: Filters = NO_FILTERS) -> dict[str, int]:
        """Counts over every match of `field`: "source" ("(unknown)" for none), "year" or
        "month" ("yyyy" / "yyyy-mm", "undated" for date key 0)."""
        ...

    def similar(self, article_id: str, text: str, *, limit: int = 10) -> list[tuple[str, float]]:
        """Articles most like `text` (the article's own), best first, the article itself
        excluded; empty when the article is not indexed."""
        ...

    def word_frequencies(self, words: Iterable[str]) -> dict[str, int]:
        """Term statistics: about how many documents hold each word (omitted when it has no
        searchable unit); used as keyword IDF."""
        ...

    def doc_count(self) -> int:
        """Number of live documents."""
        ...

    def all_ids(self) -> list[str]:
        """Every indexed article id, duplicates included (for integrity checks)."""
        ...

    def size_bytes(self) -> int:
        """Bytes on disk of the live index."""
        ...

    def problems(self) -> list[str]:
        """Damage the index finds in itself, one line each saying what to do (empty: none)."""
        ...

    def maintain(self, *, merge: bool = True) -> None:
        """Optimise after writing (the caller holds the archive's writer lock): with `merge`,
        the full pass after a bulk load; without, only the cheap part, after an import."""
        ...

    def state(self) -> IndexState:
        """The served and the live version (cheap: no query runs; safe on a handle whose version
        was removed by a rebuild)."""
        ...

    def capabilities(self) -> Capabilities:
        """What this backend offers beyond the protocol."""
        ...

    def close(self) -> None:
        """Release files and connections (the handle may be used again: it reopens)."""
        ...
