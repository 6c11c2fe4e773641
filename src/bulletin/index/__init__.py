"""The search index: the IndexBackend protocol, its data types, and the factories callers use.

Callers (the archive, the CLI, the server) open, create and rebuild indexes through the
functions here and talk to them only through bulletin.index.protocol; which backend serves
(today Whoosh, bulletin.index.whoosh) is decided here alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bulletin.index.protocol import (
    NOTHING_TO_SEARCH,
    Capabilities,
    Filters,
    IndexBackend,
    IndexDoc,
    IndexHits,
    IndexState,
    IndexUnusable,
    PreparedDoc,
)

# isort: split
from bulletin.index.whoosh import WhooshIndex, generations, prepare

__all__ = [
    "NOTHING_TO_SEARCH",
    "Capabilities",
    "Filters",
    "IndexBackend",
    "IndexDoc",
    "IndexHits",
    "IndexState",
    "IndexUnusable",
    "PreparedDoc",
    "create_index",
    "index_exists",
    "open_index",
    "prepare",
    "rebuild_index",
]


def open_index(root: Path) -> IndexBackend:
    """The live index under `root`; IndexUnusable says why it cannot be used."""
    return WhooshIndex.open(root)


def create_index(root: Path) -> IndexBackend:
    """A new, empty index under `root`, made live."""
    return WhooshIndex.create(root)


def rebuild_index(root: Path, docs: Iterable[IndexDoc | PreparedDoc], *, batch: int = 2000) -> IndexBackend:
    """A new index of `docs` under `root`, made live when complete (the old one serves meanwhile)."""
    return WhooshIndex.rebuild(root, docs, batch=batch)


def index_exists(root: Path) -> bool:
    """Whether an index was ever made live under `root` (usable or not)."""
    return generations.exists(root)
