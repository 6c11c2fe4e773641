"""Byte streams for readers: files opened with advice on failure, gzip undone in bounded steps."""

from __future__ import annotations

import io
import os
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

from bulletin.errors import InputError
from bulletin.readers.base import STDIN_ORIGIN, RawInput, open_error

# Compressed bytes read, and decompressed bytes made, per step: memory stays bounded even for
# a gzip bomb.
_GZIP_CHUNK = 64 * 1024
_GZIP_STEP = 1024 * 1024


def container(
    read: Callable[..., Iterator[RawInput | InputError]], name: str, stdin: BinaryIO | None, **options: Any
) -> Iterator[RawInput | InputError]:
    """The records `read(stream, origin, **options)` finds in a feed or web archive named
    `name` ("-": stdin); a file that cannot be opened is the one error yielded."""
    if name == "-":
        yield from read(stdin_stream(stdin), STDIN_ORIGIN, **options)
        return
    try:
        handle = open_binary(Path(name))
    except InputError as exc:
        yield exc
        return
    with handle:
        # Origins are absolute (FILE:N for a record), whatever folder the run started in.
        yield from read(handle, os.path.abspath(name), **options)


def open_binary(path: Path) -> BinaryIO:
    """Open a file for buffered binary reading; InputError naming it when that fails."""
    try:
        return path.open("rb")
    except OSError as exc:
        raise open_error(str(path), exc) from None


class _Gunzip(io.RawIOBase):
    """Concatenated gzip members, decompressed as one stream in bounded steps.

    A stream cut short ends like a whole one, after every byte that arrived, and sets
    `truncated`: gzip.GzipFile raises as soon as its read-ahead meets the cut, losing the
    records just before it. One member per record (WARC) and one for the whole file both work.
    """

    def __init__(self, raw: Any) -> None:
        super().__init__()
        self._raw = raw
        self._inflate = zlib.decompressobj(wbits=31)
        self._fed = False  # the current member has started
        self._input = b""
        self._out = b""
        self._pos = 0
        self.truncated = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._pos >= len(self._out):
            if not self._fill():
                return 0
        view = memoryview(buffer).cast("B")
        n = min(len(view), len(self._out) - self._pos)
        view[:n] = self._out[self._pos : self._pos + n]
        self._pos += n
        return n

    def _fill(self) -> bool:
        """Decompress the next piece into self._out; False at a clean end of stream."""
        while True:
            if not self._input:
                self._input = self._raw.read(_GZIP_CHUNK)
                if not self._input:
                    self.truncated = self._fed and not self._inflate.eof
                    return False
            if self._inflate.eof:
                # Next member; writers may pad between members with NUL bytes.
                self._input = self._input.lstrip(b"\0")
                if not self._input:
                    continue
                self._inflate, self._fed = zlib.decompressobj(wbits=31), False
            self._fed = True
            self._out = self._inflate.decompress(self._input, _GZIP_STEP)
            self._pos = 0
            self._input = self._inflate.unused_data if self._inflate.eof else self._inflate.unconsumed_tail
            if self._out:
                return True


def peekable(stream: BinaryIO) -> Any:
    """The stream, buffered so that its first bytes can be peeked at without being consumed."""
    return stream if hasattr(stream, "peek") else io.BufferedReader(cast(Any, stream))


def maybe_gunzip(stream: BinaryIO) -> BinaryIO:
    """The stream, decompressed if it starts with gzip's magic bytes (so stdin may be gzip too)."""
    buffered = peekable(stream)
    if buffered.peek(2)[:2] == b"\x1f\x8b":
        return cast(BinaryIO, io.BufferedReader(_Gunzip(buffered), buffer_size=_GZIP_STEP))
    return cast(BinaryIO, buffered)


def cut_short(stream: BinaryIO) -> bool:
    """Whether a stream from maybe_gunzip ended before its gzip end marker (a cut download)."""
    return bool(getattr(getattr(stream, "raw", None), "truncated", False))


def stdin_stream(stream: BinaryIO | None) -> BinaryIO:
    """The stream "-" stands for (checked by the registry before any reading)."""
    assert stream is not None
    return stream
