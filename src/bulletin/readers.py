"""Readers: turn paths, folders, stdin, path lists, JSONL feeds and WARCs into RawInput items."""

from __future__ import annotations

import io
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast

from bulletin.errors import InputError

HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml", ".php", ".asp", ".aspx", ".jsp"})
TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
# Files inside folders are taken only with these suffixes (or none); a folder of scraped pages
# often holds images, scripts and stylesheets beside the pages.
FOLDER_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES | {""}
# Containers of many pages, recognised by the end of their name.
JSONL_SUFFIXES = (".jsonl", ".jl", ".ndjson")
WARC_SUFFIXES = (".warc", ".arc")
FORMATS = ("auto", "html", "text", "jsonl", "warc")
DEFAULT_MAX_SIZE = 20 * 1024 * 1024
# Compressed bytes read, and decompressed bytes made, per step: memory stays bounded even for
# a gzip bomb.
_GZIP_CHUNK = 64 * 1024
_GZIP_STEP = 1024 * 1024
STDIN_ORIGIN = "<stdin>"


@dataclass(frozen=True)
class RawInput:
    """The original bytes of one input and where they came from.

    `kind` is "html", "text" or None (sniff the bytes). `hints` carries metadata a
    scraper already knew (url, title, date, source) to be used when the page lacks it.
    """

    data: bytes
    origin: str
    kind: str | None = None
    url: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)


def kind_from_suffix(path: str) -> str | None:
    """Guess "html" or "text" from a file name; None when the suffix says nothing."""
    suffix = Path(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


@dataclass
class ReadCounts:
    """Tallies kept while reading: archive records passed over because they are not pages."""

    skipped: int = 0


def format_of(path: str) -> str | None:
    """The container format a file name says: "jsonl", "warc" (each maybe .gz), else None."""
    name = path.lower().removesuffix(".gz")
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    return None


def _open_error(origin: str, exc: OSError) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError(origin, "no such file or folder; check the path")
    if isinstance(exc, IsADirectoryError):
        return InputError(origin, "is a folder; pass it as a path to read it recursively")
    if isinstance(exc, PermissionError):
        return InputError(origin, "permission denied; check the file's permissions")
    return InputError(origin, f"cannot be read ({exc.strerror or exc}); check the disk or path")


def _container(
    read: Callable[..., Iterator[RawInput | InputError]], name: str, stdin: BinaryIO | None, **options: Any
) -> Iterator[RawInput | InputError]:
    """The records `read(stream, origin, **options)` finds in a feed or web archive named
    `name` ("-": stdin); a file that cannot be opened is the one error yielded."""
    if name == "-":
        yield from read(_stdin(stdin), STDIN_ORIGIN, **options)
        return
    try:
        handle = open_binary(Path(name))
    except InputError as exc:
        yield exc
        return
    with handle:
        yield from read(handle, str(Path(name)), **options)


def open_binary(path: Path) -> BinaryIO:
    """Open a file for buffered binary reading; InputError naming it when that fails."""
    try:
        return path.open("rb")
    except OSError as exc:
        raise _open_error(str(path), exc) from None


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


def maybe_gunzip(stream: BinaryIO) -> BinaryIO:
    """The stream, decompressed if it starts with gzip's magic bytes (so stdin may be gzip too)."""
    buffered: Any = stream if hasattr(stream, "peek") else io.BufferedReader(cast(Any, stream))
    if buffered.peek(2)[:2] == b"\x1f\x8b":
        return cast(BinaryIO, io.BufferedReader(_Gunzip(buffered), buffer_size=_GZIP_STEP))
    return cast(BinaryIO, buffered)


def cut_short(stream: BinaryIO) -> bool:
    """Whether a stream from maybe_gunzip ended before its gzip end marker (a cut download)."""
    return bool(getattr(getattr(stream, "raw", None), "truncated", False))


def read_file(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> RawInput:
    """Read one file, refusing what cannot be an article before reading it all."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_size:
            raise InputError(
                origin, f"file is {size:,} bytes, over --max-size {max_size:,}; raise --max-size to take it"
            )
        with path.open("rb") as handle:
            data = handle.read(max_size + 1)
    except OSError as exc:
        raise _open_error(origin, exc) from None
    return RawInput(data=data, origin=origin, kind=kind_from_suffix(origin))


def read_stream(stream: BinaryIO, origin: str = STDIN_ORIGIN, max_size: int = DEFAULT_MAX_SIZE) -> RawInput:
    """Read a whole binary stream (stdin) as one input."""
    data = stream.read(max_size + 1)
    if len(data) > max_size:
        raise InputError(origin, f"input is over --max-size {max_size:,} bytes; raise --max-size to take it")
    return RawInput(data=data, origin=origin, kind=None)


def _wanted(name: str, fmt: str | None) -> bool:
    """Whether a file found in a folder is taken: pages by default, containers only when asked."""
    if fmt in ("jsonl", "warc"):
        # A folder of feeds or archives: `--format warc crawls/` takes every WARC beneath it.
        return format_of(name) == fmt
    return Path(name).suffix.lower() in FOLDER_SUFFIXES


def walk_folder(folder: Path, fmt: str | None = None) -> Iterator[Path]:
    """Yield candidate files under a folder, recursively, in a stable (sorted) order."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            if _wanted(name, fmt):
                yield Path(root) / name


def expand_paths(paths: Iterable[str], fmt: str | None = None) -> Iterator[str]:
    """Expand folders into the files beneath them; other paths (and "-") pass through."""
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            for child in walk_folder(path, fmt):
                yield str(child)
        else:
            yield raw


def iter_inputs(
    paths: Iterable[str],
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    fmt: str | None = None,
    mapping: Mapping[str, str] | None = None,
    stdin: BinaryIO | None = None,
    counts: ReadCounts | None = None,
) -> Iterator[RawInput | InputError]:
    """Every input under `paths`, streamed: pages one each, JSONL feeds and WARCs one per record.

    `fmt` ("auto"/None, "html", "text", "jsonl", "warc") forces how every input is read; by
    default container files are told by suffix (.jsonl/.jl/.ndjson, .warc/.arc, each maybe .gz)
    and "-" (`stdin`) is one page. `mapping` renames JSONL keys ({"html": "body"}).
    """
    fmt = None if fmt in (None, "auto") else fmt
    if fmt not in (None, *FORMATS):
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    counts = counts if counts is not None else ReadCounts()
    for name in expand_paths(paths, fmt):
        if name == "-" and stdin is None:
            # The library never reaches for sys.stdin itself: the caller says what "-" means.
            yield InputError(STDIN_ORIGIN, "no stream was given for -; pass the input as a file")
            continue
        chosen = fmt or (None if name == "-" else format_of(name))
        if chosen == "jsonl":
            from bulletin.jsonl_input import read_jsonl

            yield from _container(read_jsonl, name, stdin, max_size=max_size, mapping=mapping)
        elif chosen == "warc":
            from bulletin.warc_input import read_warc

            yield from _container(read_warc, name, stdin, max_size=max_size, counts=counts)
        else:
            try:
                raw = (
                    read_stream(_stdin(stdin), max_size=max_size)
                    if name == "-"
                    else read_file(Path(name), max_size=max_size)
                )
            except InputError as exc:
                yield exc
                continue
            yield raw if chosen is None else RawInput(data=raw.data, origin=raw.origin, kind=chosen)


def _stdin(stream: BinaryIO | None) -> BinaryIO:
    assert stream is not None  # checked by iter_inputs before any reading
    return stream


def read_path_list(stream: Iterable[str]) -> Iterator[str]:
    """Paths from a newline-separated list (as `find` prints), blank lines skipped."""
    for line in stream:
        line = line.rstrip("\r\n")
        if line.strip():
            yield line
