"""The Whoosh backend passes the backend contract, with each of its two query engines."""

from __future__ import annotations

from pathlib import Path

from bulletin.index import IndexBackend, IndexDoc, create_index, open_index, rebuild_index
from bulletin.index.whoosh import WhooshIndex

from .backend_contract import BackendContract


class TestWhooshBackend(BackendContract):
    """The backend as bulletin opens it: the factories, the engine chosen by size."""

    def make_index(self, root: Path) -> IndexBackend:
        """A new index through bulletin.index's factory."""
        return create_index(root)

    def reopen(self, root: Path) -> IndexBackend:
        """The live index through bulletin.index's factory."""
        return open_index(root)

    def rebuild(self, root: Path, docs: list[IndexDoc]) -> IndexBackend:
        """A rebuild through bulletin.index's factory."""
        return rebuild_index(root, docs)


class TestWhooshVectorEngine(BackendContract):
    """The same contract with queries evaluated by numpy over the posting arrays."""

    def make_index(self, root: Path) -> IndexBackend:
        """A new Whoosh index using the numpy engine whatever its size."""
        index = WhooshIndex.create(root)
        index.engine = "vector"
        return index

    def reopen(self, root: Path) -> IndexBackend:
        """The live Whoosh index, numpy engine."""
        index = WhooshIndex.open(root)
        index.engine = "vector"
        return index

    def rebuild(self, root: Path, docs: list[IndexDoc]) -> IndexBackend:
        """A rebuilt Whoosh index, numpy engine."""
        index = WhooshIndex.rebuild(root, docs)
        index.engine = "vector"
        return index
