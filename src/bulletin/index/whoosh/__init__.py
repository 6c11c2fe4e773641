"""The Whoosh backend: bulletin's index in Whoosh segments plus posting arrays for numpy.

Importing this package applies bulletin's Whoosh patches (bulletin.index.whoosh.patches)
before any other module here imports Whoosh.
"""

from __future__ import annotations

from bulletin.index.whoosh import patches

patches.apply()

# isort: split
from bulletin.index.whoosh.backend import WhooshIndex  # noqa: E402
from bulletin.index.whoosh.documents import prepare  # noqa: E402

__all__ = ["WhooshIndex", "prepare"]
