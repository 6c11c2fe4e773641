"""Open a segment's term dictionary when a query first needs it, not when the segment opens.

Opening Whoosh's term dictionary reads its hash directory, 265 small reads a segment: at 100
segments that is most of the time a search process spends opening the index. The numpy
engine reads posting arrays (bulletin.index.whoosh.posting_arrays) and never needs the dictionary
of a segment that has them; Whoosh's own matchers open it on first use, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class LazyTermsReader:
    """Stands in for a W3TermsReader and opens the real one on first use."""

    def __init__(self, open_reader: Callable[[], Any]) -> None:
        self._open_reader = open_reader
        self._reader: Any = None

    @property
    def is_open(self) -> bool:
        """Whether the real dictionary has been opened."""
        return self._reader is not None

    def _real(self) -> Any:
        if self._reader is None:
            self._reader = self._open_reader()
        return self._reader

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)

    def __contains__(self, term: object) -> bool:  # special methods bypass __getattr__
        return term in self._real()

    def close(self) -> None:
        """Close the real dictionary if it was ever opened."""
        if self._reader is not None:
            self._reader.close()
