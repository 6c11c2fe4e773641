"""Open Whoosh's segment sub-files over the memory map instead of copying them.

Whoosh maps each compound segment file and hands every sub-file to a `BufferFile`, which
wraps the memoryview in `BytesIO(...)`: that copies the whole sub-file (the postings of a
2,000-article segment are ~70 MB) on every open, about 0.7 s per search process at 10k
articles. `ViewFile` reads the memoryview in place; bulletin.index.whoosh.patches makes BufferFile use it.
"""

from __future__ import annotations

import os
from typing import Any


class ViewFile:
    """A read-only, seekable file over a memoryview (the parts of io.BytesIO Whoosh uses)."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        """Up to `size` bytes from the current position (all the rest when negative)."""
        start = self._pos
        chunk = self._view[start:] if size is None or size < 0 else self._view[start : start + size]
        self._pos = start + len(chunk)
        return chunk.tobytes()

    def readinto(self, buffer: Any) -> int:
        """Fill `buffer` from the current position; returns how many bytes were copied."""
        target = memoryview(buffer).cast("B")
        chunk = self._view[self._pos : self._pos + len(target)]
        target[: len(chunk)] = chunk
        self._pos += len(chunk)
        return len(chunk)

    def readline(self, size: int | None = -1) -> bytes:
        """Bytes up to and including the next newline (pickle's text opcodes read lines)."""
        view = self._view
        limit = len(view) if size is None or size < 0 else min(len(view), self._pos + size)
        end = self._pos
        while end < limit:
            end += 1
            if view[end - 1] == 0x0A:
                break
        return self.read(end - self._pos)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        """Move the position like a file's seek; returns the new position."""
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        """The current position."""
        return self._pos

    def close(self) -> None:
        """Drop the view (the mapping belongs to the compound file)."""
        self._view = memoryview(b"")
