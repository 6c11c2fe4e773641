"""The archive: an Archive facade over its store, importer, grouping, learned cleaning, health and lock.

The public names load on first use, so `bulletin.archive.store` or `.locking` can be imported
(by search, by tests) without pulling in the facade and everything it uses.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bulletin.archive.digest import Gist, gist_of
    from bulletin.archive.facade import Archive, DuplicateGroup, open_archive
    from bulletin.archive.importer import ImportEvent, ImportReport
    from bulletin.archive.indexdoc import to_index_doc
    from bulletin.archive.layout import DB_NAME, DEFAULT_WAIT, INDEX_DIR, LOCK_NAME
    from bulletin.archive.stats import ArchiveStats

_HOMES = {
    "Archive": "facade",
    "DuplicateGroup": "facade",
    "open_archive": "facade",
    "Gist": "digest",
    "gist_of": "digest",
    "ImportEvent": "importer",
    "ImportReport": "importer",
    "to_index_doc": "indexdoc",
    "ArchiveStats": "stats",
    "DB_NAME": "layout",
    "DEFAULT_WAIT": "layout",
    "INDEX_DIR": "layout",
    "LOCK_NAME": "layout",
}

__all__ = [
    "DB_NAME",
    "DEFAULT_WAIT",
    "INDEX_DIR",
    "LOCK_NAME",
    "Archive",
    "ArchiveStats",
    "DuplicateGroup",
    "Gist",
    "ImportEvent",
    "ImportReport",
    "gist_of",
    "open_archive",
    "to_index_doc",
]


def __getattr__(name: str) -> Any:
    """Load a public name from the module that defines it."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
