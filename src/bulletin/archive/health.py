"""Checking and repairing an archive: SQLite integrity, index drift, originals against their hashes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bulletin.archive.indexdoc import to_index_doc
from bulletin.archive.store import Store
from bulletin.index import IndexBackend, IndexDoc, IndexUnusable, open_index


def problems(store: Store, index_root: Path) -> list[str]:
    """Problems found: SQLite integrity, index drift, originals that fail their hash."""
    found = [f"database: {p}" for p in store.integrity_problems()]
    stored = set(store.ids())
    try:
        index = open_index(index_root)
        indexed = index.all_ids()
        found.extend(f"index: {problem}" for problem in index.problems())
    except IndexUnusable as exc:
        return [*found, f"index: {exc}"]
    seen: set[str] = set()
    for article_id in indexed:
        if article_id in seen:
            found.append(f"index: article {article_id} is indexed more than once")
        seen.add(article_id)
        if article_id not in stored:
            found.append(f"index: entry {article_id} has no article in the database")
    found.extend(f"index: article {i} is not indexed" for i in sorted(stored - seen))
    found.extend(f"database: the record of {i} cannot be read" for i in store.unreadable_records())
    for article_id, sha, raw in store.iter_raw():
        if raw is None:
            found.append(f"database: original of {article_id} is damaged and cannot be read")
        elif hashlib.sha256(raw).hexdigest() != sha:
            found.append(f"database: original of {article_id} does not match its SHA-256")
    return found


def repair_index(store: Store, index: IndexBackend) -> int:
    """Make the index hold every stored article exactly once; returns changes made."""
    stored = set(store.ids())
    counts: dict[str, int] = {}
    for article_id in index.all_ids():
        counts[article_id] = counts.get(article_id, 0) + 1
    bad = {i for i, n in counts.items() if n > 1 or i not in stored}
    missing = [i for i in store.ids() if i not in counts or i in bad]
    if not bad and not missing:
        return 0
    index.delete(bad)
    batch: list[IndexDoc] = []
    for start in range(0, len(missing), 500):
        records = store.get_many(missing[start : start + 500])
        batch = [to_index_doc(records[i]) for i in missing[start : start + 500] if i in records]
        index.add_all(batch)
    return len(bad) + len(missing)


def sync_index(store: Store, index: IndexBackend) -> None:
    """Bring the index level with the store after an interrupted run (writer lock held)."""
    if index.doc_count() != store.count():
        repair_index(store, index)
